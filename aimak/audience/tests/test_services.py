import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aimak.audience.models import FeedbackAnswer, FeedbackResponse, QuestionKind, QuestionRole
from aimak.audience.services import (
    SurveyData,
    parse_choices,
    question_add,
    question_remove,
    response_submit,
    survey_save,
)
from tests.factories import UserFactory

from .conftest import answers_for, make_survey

pytestmark = pytest.mark.django_db


def test_only_the_clientbase_admin_makes_surveys(citizen, content_admin):
    data = SurveyData(title={"ky": "А", "ru": "Б"}, opens_on=datetime.date.today())
    for user in (citizen, content_admin):
        with pytest.raises(PermissionDenied):
            survey_save(by=user, data=data)


def test_survey_checks(clientbase):
    with pytest.raises(ValidationError) as exc:
        survey_save(
            by=clientbase,
            data=SurveyData(
                title={"ky": "", "ru": "Опрос"},
                opens_on=datetime.date(2026, 5, 1),
                closes_on=datetime.date(2026, 4, 1),
                for_all=False,
                categories=[],
            ),
        )
    messages = exc.value.messages
    assert "Give the title in Kyrgyz and in Russian." in messages
    assert "The survey cannot close before it opens." in messages
    assert "Choose the audience categories, or open the survey to everyone." in messages


def test_question_checks_and_freeze(clientbase, survey):
    with pytest.raises(ValidationError, match="at least two choices"):
        question_add(survey=survey, by=clientbase, kind=QuestionKind.CHOICE,
                     label={"ky": "С", "ru": "В"}, choices=[{"key": "a", "ky": "a", "ru": "a"}])  # fmt: skip
    with pytest.raises(ValidationError, match="already has a question measuring"):
        question_add(survey=survey, by=clientbase, kind=QuestionKind.RATING,
                     role=QuestionRole.SATISFACTION, label={"ky": "С", "ru": "В"})  # fmt: skip
    with pytest.raises(ValidationError, match="rating question"):
        question_add(survey=survey, by=clientbase, kind=QuestionKind.TEXT,
                     role=QuestionRole.SATISFACTION, label={"ky": "С", "ru": "В"})  # fmt: skip
    user = UserFactory()
    response_submit(survey=survey, user=user, answers=answers_for(survey))
    with pytest.raises(ValidationError, match="can no longer change"):
        question_remove(question=survey.questions.first(), by=clientbase)
    assert survey.questions.count() == 4


def test_parse_choices():
    assert parse_choices("Окуулар | Обучение | Trainings\nkey-2 = Үлгү | Шаблон\n\n") == [
        {"key": "trainings", "ky": "Окуулар", "ru": "Обучение", "en": "Trainings"},
        {"key": "key-2", "ky": "Үлгү", "ru": "Шаблон", "en": ""},
    ]
    with pytest.raises(ValidationError, match="Line 1"):
        parse_choices("Окуулар")


def test_a_response_is_saved_with_its_category_and_rows(survey):
    user = UserFactory(audience_category="lsg")
    response = response_submit(
        survey=survey, user=user,
        answers=answers_for(survey, rating="5", needs=["trainings", "contests"], text=" Жакшы "),
    )  # fmt: skip
    assert response.category == "lsg"
    rating_q, needs_q, section_q, text_q = survey.questions.order_by("position")
    assert response.answers == {
        str(rating_q.pk): 5,
        str(needs_q.pk): ["trainings", "contests"],
        str(section_q.pk): "news",
        str(text_q.pk): "Жакшы",
    }
    rows = FeedbackAnswer.objects.filter(response=response)
    assert sorted(rows.exclude(choice="").values_list("choice", flat=True)) == [
        "contests", "news", "trainings",
    ]  # fmt: skip
    assert rows.get(question=rating_q).rating == 5
    # A later change of the profile does not move the answer.
    user.audience_category = "business"
    user.save()
    response.refresh_from_db()
    assert response.category == "lsg"


def test_one_response_per_user(survey):
    user = UserFactory()
    response_submit(survey=survey, user=user, answers=answers_for(survey))
    with pytest.raises(ValidationError) as exc:
        response_submit(survey=survey, user=user, answers=answers_for(survey, rating=1))
    assert exc.value.messages == ["You have already answered this survey. Thank you!"]
    assert FeedbackResponse.objects.filter(survey=survey, user=user).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"rating": 6}, 0, "Choose a mark from 1 to 5."),
        ({"rating": "abc"}, 0, "Choose a mark from 1 to 5."),
        ({"rating": True}, 0, "Choose a mark from 1 to 5."),
        ({"needs": ["trainings", "hacking"]}, 1, "Choose among the options given."),
        ({"section": "elsewhere"}, 2, "Choose one of the options given."),
        ({"section": ""}, 2, "Answer this question."),
        ({"text": "ы" * 2001}, 3, "Write at most 2000 characters."),
    ],
)
def test_answers_are_checked_against_the_questions(survey, change, field, message):
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        response_submit(survey=survey, user=user, answers=answers_for(survey, **change))
    question = list(survey.questions.order_by("position"))[field]
    assert exc.value.message_dict[question.field_name] == [message]
    assert not FeedbackResponse.objects.filter(user=user).exists()


def test_an_answer_to_another_surveys_question_is_refused(clientbase, survey):
    other = make_survey(clientbase, title="Башка")
    foreign = other.questions.first()
    answers = {**answers_for(survey), str(foreign.pk): 3}
    user = UserFactory()
    with pytest.raises(ValidationError, match="not in this survey"):
        response_submit(survey=survey, user=user, answers=answers)
    assert not FeedbackResponse.objects.filter(user=user).exists()


def test_audience_and_dates(clientbase):
    only_lsg = make_survey(clientbase, for_all=False, categories=["lsg"])
    with pytest.raises(PermissionDenied, match="other audience categories"):
        response_submit(survey=only_lsg, user=UserFactory(audience_category="citizen"),
                        answers=answers_for(only_lsg))  # fmt: skip
    response_submit(survey=only_lsg, user=UserFactory(audience_category="lsg"),
                    answers=answers_for(only_lsg))  # fmt: skip
    closed = make_survey(clientbase, opens_on=datetime.date(2020, 1, 1),
                         closes_on=datetime.date(2020, 2, 1))  # fmt: skip
    with pytest.raises(PermissionDenied, match="not open"):
        response_submit(survey=closed, user=UserFactory(), answers=answers_for(closed))
    inactive = make_survey(clientbase, active=False)
    with pytest.raises(PermissionDenied, match="not open"):
        response_submit(survey=inactive, user=UserFactory(), answers=answers_for(inactive))
