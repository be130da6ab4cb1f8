"""Interviews: the server-side check, storing once per id, quotas, and the API."""

import random
import uuid

import pytest

from aimak.accounts.models import Role
from aimak.demo.answers import demo_answers
from aimak.demo.seed import DEMO_ROUND_KEY
from aimak.surveys.answers import FormChecker
from aimak.surveys.collection import InterviewRefused, interview_submit, version_checker
from aimak.surveys.expressions import ExpressionError, evaluate, expression_compile, is_true
from aimak.surveys.models import Interview, Round, RoundStatus
from aimak.surveys.selectors import quota_progress
from tests.factories import MembershipFactory, api_token

pytestmark = pytest.mark.django_db

AK_KORGON_VILLAGE = "41703204804010"


@pytest.fixture
def round(db):
    return Round.objects.select_related("version", "municipality").get(key=DEMO_ROUND_KEY)


def good_answers(round, seed=1, **overrides):
    checker = version_checker(round.version)
    rng = random.Random(seed)
    answers = {}
    while answers.get("consent") != "yes":
        answers = demo_answers(checker, rng, villages=[AK_KORGON_VILLAGE])
    answers.update(consent="yes", sex="female", village=AK_KORGON_VILLAGE)
    answers.update(overrides)
    clean, problems = checker.clean(answers)
    assert not problems
    return clean


# Expressions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "answers", "current", "expected"),
    [
        ("${consent} = 'yes'", {"consent": "yes"}, None, True),
        ("${consent} = 'yes'", {}, None, False),
        (". >= 1 and . <= 30", {}, 31, False),
        (". >= 1 and . <= 30", {}, 4, True),
        ("not(selected(., 'none') and count-selected(.) > 1)", {}, ["none", "smell"], False),
        ("not(selected(., 'none') and count-selected(.) > 1)", {}, ["none"], True),
        ("${a} + 2 * 3 div 4 > 2", {"a": 1}, None, True),
        ("${n} mod 2 = 1 or string-length(${t}) > 3", {"n": 4, "t": "ab"}, None, False),
        ("if(${n} > 1, 'many', 'one') = 'many'", {"n": 3}, None, True),
        ("regex(., '^[0-9]{6}$')", {}, "720001", True),
        ("-${n} < 0", {"n": 2}, None, True),
    ],
)
def test_expressions_evaluate_as_odk_does(expression, answers, current, expected):
    assert is_true(expression_compile(expression), answers, current) is expected


@pytest.mark.parametrize("bad", ["jr:choice-name(${a}, 'a')", "(${a} = 1", "${a} = = 2", "a/b"])
def test_unsupported_expressions_are_refused(bad):
    with pytest.raises(ExpressionError):
        expression_compile(bad)


def test_an_empty_number_compares_false_not_zero():
    assert evaluate(expression_compile("${n} < 5"), {}) is False


# The server-side check -------------------------------------------------------------------


def test_answers_to_skipped_questions_are_dropped(round):
    answers = good_answers(round, consent="yes")
    answers["consent"] = "no"
    clean, problems = version_checker(round.version).clean(answers)
    assert not problems
    assert clean == {"consent": "no"}


def test_every_wrong_answer_is_named(round):
    checker = version_checker(round.version)
    answers = good_answers(round, household_size=4)
    answers.update(household_size=45, sex="robot", water_problems=["none", "smell"], ghost=1)
    _clean, problems = checker.clean(answers)
    named = {p.question: p for p in problems}
    assert set(named) >= {"household_size", "sex", "ghost"}
    assert "1 to 30" in named["household_size"].message
    assert named["sex"].value == "robot"


def test_spreadsheet_text_is_read_by_type(round):
    checker = FormChecker(round.version.form)
    household = checker.questions["household_size"]
    assert checker.value(household, " 5 ") == 5
    assert checker.value(checker.questions["sex"], "Женский") == "female"
    assert checker.value(checker.questions["consent"], "Ооба") == "yes"
    with pytest.raises(ValueError, match="not a whole number"):
        checker.value(household, "4,5")


# Storing -------------------------------------------------------------------------------


def test_the_same_interview_sent_twice_is_stored_once(round, demo_user):
    enumerator = demo_user("enumerator")
    key = uuid.uuid4()
    first = interview_submit(
        round=round, interview_id=key, answers=good_answers(round), user=enumerator
    )
    again = interview_submit(
        round=round, interview_id=str(key), answers=good_answers(round), user=enumerator
    )
    assert first.created and not again.created
    assert again.interview.pk == first.interview.pk
    assert Interview.objects.filter(round=round, uuid=key).count() == 1
    assert first.interview.village.code == AK_KORGON_VILLAGE
    assert first.interview.sex == "female"


def test_a_wrong_interview_stores_nothing(round, demo_user):
    before = Interview.objects.count()
    with pytest.raises(InterviewRefused) as refused:
        interview_submit(
            round=round,
            interview_id=uuid.uuid4(),
            answers={**good_answers(round), "household_size": 0},
            user=demo_user("enumerator"),
        )
    assert [p.question for p in refused.value.problems] == ["household_size"]
    assert Interview.objects.count() == before


def test_a_round_not_collecting_refuses_interviews(round, demo_user):
    Round.objects.filter(pk=round.pk).update(status=RoundStatus.CLOSED)
    round.refresh_from_db()
    with pytest.raises(InterviewRefused, match="not collecting"):
        interview_submit(
            round=round,
            interview_id=uuid.uuid4(),
            answers=good_answers(round),
            user=demo_user("enumerator"),
        )


def test_progress_counts_against_the_quotas(round, demo_user):
    enumerator = demo_user("enumerator")
    before = quota_progress(round=round)
    for seed, sex in enumerate(["female", "female", "male"]):
        interview_submit(
            round=round,
            interview_id=uuid.uuid4(),
            answers=good_answers(round, seed=seed, sex=sex),
            user=enumerator,
        )
    after = quota_progress(round=round)
    village = next(r for r in after.villages if r.village.code == AK_KORGON_VILLAGE)
    old = next(r for r in before.villages if r.village.code == AK_KORGON_VILLAGE)
    assert (village.done_women - old.done_women, village.done_men - old.done_men) == (2, 1)
    assert village.planned > 0
    mine = quota_progress(round=round, enumerator=enumerator)
    assert all(r.enumerator == enumerator for r in mine.routes)
    assert after.total.done == before.total.done + 3


# API -----------------------------------------------------------------------------------


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_api_interview_is_idempotent_and_checked(client, round, demo_user):
    _token, raw = api_token(demo_user("enumerator"))
    url = f"/api/v1/rounds/{round.pk}/interviews"
    body = {"id": str(uuid.uuid4()), "answers": good_answers(round), "source": "phone"}
    first = client.post(url, body, content_type="application/json", headers=bearer(raw))
    again = client.post(url, body, content_type="application/json", headers=bearer(raw))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    wrong = {"id": str(uuid.uuid4()), "answers": {**body["answers"], "sex": "robot"}}
    refused = client.post(url, wrong, content_type="application/json", headers=bearer(raw))
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["question"] == "sex"
    listed = client.get(f"{url}?limit=1000", headers=bearer(raw)).json()
    assert body["id"] in [i["id"] for i in listed["items"]]


def test_api_refuses_people_outside_the_round(client, round, other_municipality):
    outsider = MembershipFactory(role=Role.ENUMERATOR, municipality=other_municipality).user
    _token, raw = api_token(outsider)
    response = client.post(
        f"/api/v1/rounds/{round.pk}/interviews",
        {"id": str(uuid.uuid4()), "answers": good_answers(round)},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/rounds/{round.pk}/form", headers=bearer(raw)).status_code == 403


def test_api_form_has_compiled_expressions(client, round, demo_user):
    _token, raw = api_token(demo_user("enumerator"))
    form = client.get(f"/api/v1/rounds/{round.pk}/form?lang=ky", headers=bearer(raw)).json()
    profile = form["items"][0]
    sex = next(i for i in profile["items"] if i["name"] == "sex")
    assert sex["relevant"] == ["op", "=", ["ref", "consent"], ["lit", "yes"]]
    assert ["female", "Аял"] in sex["choices"]


def test_api_progress(client, round, demo_user):
    _token, raw = api_token(demo_user("monitor"))
    progress = client.get(f"/api/v1/rounds/{round.pk}/progress", headers=bearer(raw)).json()
    assert progress["total"]["planned"] > 0
    assert {v["village"] for v in progress["villages"]} >= {AK_KORGON_VILLAGE}


def test_a_refusal_is_worded_in_the_language_of_whoever_asks(round):
    from django.utils import translation

    checker = version_checker(round.version)
    household = checker.questions["household_size"]
    with translation.override("ru"), pytest.raises(ValueError, match="не целое число"):
        checker.value(household, "4,5")
    with translation.override("en"), pytest.raises(ValueError, match="not a whole number"):
        checker.value(household, "4,5")
