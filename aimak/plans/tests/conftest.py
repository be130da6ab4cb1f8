import datetime

import pytest

from aimak.accounts.models import Role
from aimak.plans.models import ActionStatus, Source
from aimak.plans.services import action_create, recommendation_create
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def statuses(db):
    return {s.key: s for s in ActionStatus.objects.all()}


@pytest.fixture
def member(db):
    """member(role, municipality) -> a new user holding that role there."""

    def make(role: str, municipality):
        user = UserFactory()
        MembershipFactory(user=user, role=role, municipality=municipality)
        return user

    return make


@pytest.fixture
def other_staff(member, other_municipality):
    return member(Role.STAFF, other_municipality)


@pytest.fixture
def make_rec(demo_user):
    def make(municipality, *, title="Тест", published=True, **kwargs):
        values = {"source": Source.STUDY, "reference": "Исследование 2025"}
        values.update(kwargs)
        return recommendation_create(
            municipality=municipality,
            user=demo_user("staff"),
            title_ru=title,
            title_ky=title + " (ky)",
            published=published,
            **values,
        )

    return make


@pytest.fixture
def make_action(demo_user, statuses):
    def make(rec, *, status="planned", weight=None, deadline=None, title="Действие", **kw):
        return action_create(
            recommendation=rec,
            user=demo_user("staff"),
            title_ru=title,
            responsible="Айыл өкмөтү",
            deadline=deadline or datetime.date.today() + datetime.timedelta(days=30),
            status=statuses[status],
            weight=weight,
            **kw,
        )

    return make
