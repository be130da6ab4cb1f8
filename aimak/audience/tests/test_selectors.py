import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F

from aimak.accounts.models import User
from aimak.audience import selectors
from aimak.audience.selectors import Period, audience_report, portal_indicators
from aimak.audience.services import response_submit
from aimak.events.models import Event, Participant
from aimak.news.models import Article, MagazineIssue
from aimak.practices.models import Practice, PracticeTransition
from tests.factories import UserFactory

from .conftest import answers_for, make_survey

pytestmark = pytest.mark.django_db
BISHKEK = ZoneInfo("Asia/Bishkek")
MARCH = Period(datetime.date(2021, 3, 1), datetime.date(2021, 3, 31))


def at(*args):
    return datetime.datetime(*args, tzinfo=BISHKEK)


def user(category, joined):
    return UserFactory(audience_category=category, date_joined=joined)


@pytest.fixture
def only_questions_source(monkeypatch):
    """The questions app gives its contract (one business user asked 7 questions… of the
    lsg category, as a fake); the other contract apps are missing."""
    state = {}

    def contract(app, name):
        if app != "questions":
            return None
        if name == "active_user_ids":
            return lambda since, until: User.objects.filter(pk__in=state["ids"]).values(
                user_id=F("pk")
            )
        if name == "activity_by_category":
            return lambda since, until: {"lsg": 7}
        if name == "response_share_by_month":
            return state.get("shares")
        return None

    monkeypatch.setattr(selectors, "_contract", contract)
    return state


def test_figures_per_category_match_hand_counts(clientbase, only_questions_source):
    before = {r.category: r.registered for r in audience_report(period=MARCH).rows}
    a = user("lsg", at(2021, 3, 5))
    b = user("lsg", at(2020, 1, 1))
    f = user("lsg", at(2020, 1, 1))
    c = user("citizen", at(2021, 3, 20))
    d = user("citizen", at(2021, 4, 2))
    e = user("business", at(2020, 1, 1))
    only_questions_source["ids"] = [e.pk]

    # a submitted a practice in March; b registered twice for events in March.
    transition = PracticeTransition.objects.create(
        practice=Practice.objects.first(), from_status="draft", to_status="submitted", by=a
    )
    PracticeTransition.objects.filter(pk=transition.pk).update(at=at(2021, 3, 10, 12))
    for event in Event.objects.all()[:2]:
        p = Participant.objects.create(event=event, user=b, name="Б")
        Participant.objects.filter(pk=p.pk).update(registered_at=at(2021, 3, 12, 9))
    outside = Participant.objects.create(event=Event.objects.first(), user=d, name="Д")
    Participant.objects.filter(pk=outside.pk).update(registered_at=at(2021, 4, 1, 0, 0))

    survey = make_survey(clientbase, opens_on=datetime.date(2021, 3, 1))
    response_submit(survey=survey, user=c, now=at(2021, 3, 15, 10),
                    answers=answers_for(survey, rating=2, needs=["trainings", "templates"]))  # fmt: skip
    response_submit(survey=survey, user=f, now=at(2021, 3, 31, 23, 30),
                    answers=answers_for(survey, rating=4, needs=["trainings"]))  # fmt: skip
    response_submit(survey=survey, user=d, now=at(2021, 4, 2, 8),
                    answers=answers_for(survey, rating=5, needs=["contests"]))  # fmt: skip

    report = audience_report(period=MARCH)
    rows = {r.category: r for r in report.rows}
    assert {k: rows[k].registered - before[k] for k in rows} == {
        "lsg": 3, "university": 0, "state": 0, "expert_ngo": 0, "community": 0, "donor": 0,
        "business": 1, "citizen": 2,
    }  # fmt: skip
    assert {k: r.new for k, r in rows.items() if r.new} == {"lsg": 1, "citizen": 1}
    assert {k: r.active for k, r in rows.items() if r.active} == {
        "lsg": 3, "citizen": 1, "business": 1,
    }  # fmt: skip
    assert rows["lsg"].actions == {
        "questions": 7, "contests": None, "learning": None, "mentoring": None,
        "communities": None, "practices": 1, "events": 2, "feedback": 1,
    }  # fmt: skip
    assert rows["citizen"].actions["feedback"] == 1 and rows["citizen"].actions["events"] == 0
    assert [s.key for s in report.unavailable] == [
        "contests",
        "learning",
        "mentoring",
        "communities",
    ]
    assert report.total.actions["questions"] == 7 and report.total.actions["contests"] is None
    assert (rows["lsg"].satisfaction, rows["lsg"].rated) == (4, 1)
    assert (rows["citizen"].satisfaction, rows["citizen"].rated) == (2, 1)
    assert rows["business"].satisfaction is None
    assert (report.total.satisfaction, report.total.rated) == (3, 2)
    assert report.total.distribution == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 0)]
    needs = {n.key: n for n in report.needs}
    assert set(needs) == {"trainings", "templates"}  # "contests" was chosen in April
    assert needs["trainings"].total == 2 and needs["trainings"].by_category == {
        "citizen": 1, "lsg": 1,
    }  # fmt: skip
    assert needs["templates"].label in ("Үлгүлөр", "Шаблоны", "Templates")
    assert report.needs_base == {"citizen": 1, "lsg": 1}


def test_a_failing_source_is_listed_as_not_available(monkeypatch):
    def broken(since, until):
        raise RuntimeError("boom")

    monkeypatch.setattr(
        selectors, "_contract", lambda app, name: broken if app == "learning" else None
    )
    report = audience_report(period=MARCH)
    assert "learning" in [s.key for s in report.unavailable]


def test_the_real_sources_answer():
    """Whatever the other apps give now, the report is made (smoke test of the contracts)."""
    report = audience_report(period=Period.last_days(30))
    assert len(report.rows) == 8
    assert report.total.active >= 0


def test_portal_indicators_are_counted_in_three_queries(
    django_assert_num_queries, only_questions_source
):
    today = datetime.date(2021, 6, 15)
    only_questions_source["shares"] = lambda months, today: [
        SimpleNamespace(month=datetime.date(2021, 6, 1), asked=4, answered_in_time=3, share=0.75),
        SimpleNamespace(month=datetime.date(2021, 5, 1), asked=2, answered_in_time=2, share=1.0),
        SimpleNamespace(month=datetime.date(2021, 4, 1), asked=0, answered_in_time=0, share=None),
    ]
    n = 0

    def article(kind="news", status="published", when=None, issue=None):
        nonlocal n
        n += 1
        return Article.objects.create(kind=kind, slug=f"aud-test-{n}", title=f"Т {n}",
                                      status=status, publish_at=when, issue=issue)  # fmt: skip

    for when in [at(2021, 5, 3, 10), at(2021, 5, 3, 15), at(2021, 5, 20, 9),
                 at(2021, 5, 31, 23, 30), at(2021, 6, 1, 8)]:  # fmt: skip
        article(when=when)
    article(status="draft", when=at(2021, 5, 4, 10))
    article(kind="article", when=at(2021, 5, 5, 10))
    full = MagazineIssue.objects.create(number=901, overall_number=9901, title="Т",
                                        date=datetime.date(2021, 5, 10), published=True)  # fmt: skip
    thin = MagazineIssue.objects.create(number=902, overall_number=9902, title="Т",
                                        date=datetime.date(2021, 3, 10), published=True)  # fmt: skip
    hidden = MagazineIssue.objects.create(number=903, overall_number=9903, title="Т",
                                          date=datetime.date(2021, 4, 10), published=False)  # fmt: skip
    for issue in (full, full, thin, hidden):
        article(kind="magazine", when=at(2021, 5, 10), issue=issue)
    article(kind="magazine", status="draft", when=at(2021, 5, 10), issue=thin)

    with django_assert_num_queries(3):
        data = portal_indicators(today=today)
    assert [m.month for m in data.news][:2] == [
        datetime.date(2021, 6, 1),
        datetime.date(2021, 5, 1),
    ]
    june, may = data.news[0], data.news[1]
    assert (june.days_with_news, june.days, june.met) == (1, 15, False)
    assert (may.days_with_news, may.days, may.met) == (3, 31, False)
    assert len(data.news) == 12 and data.news[-1].month == datetime.date(2020, 7, 1)
    assert [(i.number, i.articles, i.met) for i in data.issues] == [(901, 2, True), (902, 1, False)]
    assert [(m.share, m.met) for m in data.responses] == [(0.75, False), (1.0, True), (None, None)]
    assert len(data.practices) == 12 and data.practices_target == 4


def test_indicators_without_the_questions_contract(only_questions_source):
    assert portal_indicators().responses is None
