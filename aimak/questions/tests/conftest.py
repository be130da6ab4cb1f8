import datetime

import pytest
from django.utils import timezone

from aimak.accounts.models import Membership, Role
from aimak.practices.models import Expert, Theme
from aimak.questions.services import question_ask
from tests.factories import UserFactory


@pytest.fixture
def asker(db):
    return UserFactory(username="asker1")


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger1")


@pytest.fixture
def admin(db):
    user = UserFactory(username="qadmin1")
    Membership.objects.create(user=user, role=Role.CONTENT_ADMIN, municipality=None)
    return user


@pytest.fixture
def themes(db):
    return {t.slug: t for t in Theme.objects.all()}


@pytest.fixture
def expert_user(db):
    user = UserFactory(username="expert1")
    Membership.objects.create(user=user, role=Role.EXPERT, municipality=None)
    return user


@pytest.fixture
def expert(expert_user):
    return Expert.objects.create(slug="test-expert-1", name="Тест Эксперт", user=expert_user)


@pytest.fixture
def other_expert(db):
    user = UserFactory(username="expert2")
    return Expert.objects.create(slug="test-expert-2", name="Другой Эксперт", user=user)


@pytest.fixture
def make_question(asker, themes):
    def make(**kw):
        data = {
            "author": asker,
            "theme": themes["participation"],
            "title": "Как провести общественные слушания по бюджету?",
            "body": "Подробности вопроса.",
        }
        data.update(kw)
        return question_ask(**data)

    return make


def at(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))
