import datetime

import pytest

from aimak.accounts.models import Membership, Role
from aimak.audience.models import QuestionKind, QuestionRole
from aimak.audience.services import SurveyData, question_add, survey_save
from tests.factories import UserFactory

NEEDS = [
    {"key": "trainings", "ky": "Окуулар", "ru": "Обучение", "en": "Trainings"},
    {"key": "templates", "ky": "Үлгүлөр", "ru": "Шаблоны", "en": "Templates"},
    {"key": "contests", "ky": "Сынактар", "ru": "Конкурсы", "en": "Contests"},
]
SECTIONS = [
    {"key": "news", "ky": "Жаңылыктар", "ru": "Новости", "en": "News"},
    {"key": "legal", "ky": "Актылар", "ru": "Акты", "en": "Legal acts"},
]


@pytest.fixture
def clientbase(db):
    user = UserFactory(username="clientbase1", audience_category="state")
    Membership.objects.create(user=user, role=Role.CLIENTBASE_ADMIN, municipality=None)
    return user


@pytest.fixture
def content_admin(db):
    user = UserFactory(username="content1")
    Membership.objects.create(user=user, role=Role.CONTENT_ADMIN, municipality=None)
    return user


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen1", audience_category="citizen")


def make_survey(admin, *, opens_on=None, closes_on=None, for_all=True, categories=(),
                active=True, title="Сурамжылоо тест"):  # fmt: skip
    opens_on = opens_on or datetime.date.today() - datetime.timedelta(days=10)
    survey = survey_save(
        by=admin,
        data=SurveyData(
            title={"ky": title, "ru": "Опрос тест", "en": "Test survey"},
            intro={"ky": "Кыскача", "ru": "Коротко"},
            opens_on=opens_on,
            closes_on=closes_on,
            for_all=for_all,
            categories=list(categories),
            active=active,
        ),
    )
    question_add(
        survey=survey, by=admin, kind=QuestionKind.RATING, role=QuestionRole.SATISFACTION,
        label={"ky": "Канчалык ыраазысыз?", "ru": "Насколько вы довольны?", "en": "How satisfied?"},
    )  # fmt: skip
    question_add(
        survey=survey, by=admin, kind=QuestionKind.MULTIPLE, role=QuestionRole.NEEDS,
        label={"ky": "Эмне керек?", "ru": "Что нужно?", "en": "What do you need?"},
        choices=NEEDS,
    )  # fmt: skip
    question_add(
        survey=survey, by=admin, kind=QuestionKind.CHOICE,
        label={"ky": "Кайсы бөлүм?", "ru": "Какой раздел?", "en": "Which section?"},
        choices=SECTIONS,
    )  # fmt: skip
    question_add(
        survey=survey, by=admin, kind=QuestionKind.TEXT, required=False,
        label={"ky": "Пикир", "ru": "Комментарий", "en": "Comment"},
    )  # fmt: skip
    return survey


@pytest.fixture
def survey(clientbase):
    return make_survey(clientbase)


def answers_for(survey, rating=4, needs=("trainings",), section="news", text=None):
    rating_q, needs_q, section_q, text_q = survey.questions.order_by("position")
    answers = {str(rating_q.pk): rating, str(needs_q.pk): list(needs), str(section_q.pk): section}
    if text is not None:
        answers[str(text_q.pk)] = text
    return answers
