"""A real round's results: the demo round, weighting, caching, suppression, change, page."""

import datetime
import random
import uuid

import pytest
from django.core.exceptions import ValidationError

from aimak.accounts.models import Role
from aimak.catalogue.models import Service
from aimak.demo.answers import demo_answers
from aimak.demo.seed import DEMO_ROUND_KEY
from aimak.results.compute import NOT_STATED, suppress
from aimak.results.models import AGE_NAMES, PopulationStructure
from aimak.results.selectors import round_change, round_results
from aimak.results.services import population_structure_set
from aimak.surveys.collection import interview_submit, version_checker
from aimak.surveys.models import Interview, Round, RoundStatus
from aimak.surveys.rounds import round_advance, round_create
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

VILLAGE = "41703204804010"
# Made up for the tests: adults of Ак-Коргон by sex and age group.
CELLS = {
    "male": {"18_29": 1500, "30_44": 1400, "45_59": 1000, "60_plus": 600},
    "female": {"18_29": 1450, "30_44": 1450, "45_59": 1100, "60_plus": 900},
}


@pytest.fixture
def round(db):
    return Round.objects.select_related("version", "municipality").get(key=DEMO_ROUND_KEY)


@pytest.fixture
def structure(round, demo_user):
    return population_structure_set(
        municipality=round.municipality,
        year=2025,
        source="Test figures",
        cells=CELLS,
        user=demo_user("staff"),
    )


def answers_of(round):
    return list(Interview.objects.filter(round=round).values_list("answers", flat=True))


def question(results, name):
    return next(q for s in results.sections for q in s.questions if q.name == name)


def test_demo_round_has_a_section_per_service_and_every_rating(round):
    results = round_results(round=round)
    assert results.interviews == 120
    assert [s.slug for s in results.sections] == ["drinking-water", "solid-waste"]
    water = results.sections[0]
    assert water.label == "Drinking water supply"
    assert water.uses == "water_uses"
    names = [q.name for q in water.questions]
    assert names[0] == "water_uses"
    for expected in ["water_access", "water_quality", "water_reliability", "water_satisfaction"]:
        assert expected in names
    assert "water_availability" not in names  # a number: no percentage index
    assert results.weighting.method == "none"
    assert results.weighting.note == "Unweighted: no population structure entered."


def test_bases_are_the_users_who_answered_on_the_scale(round):
    results = round_results(round=round)
    rows = answers_of(round)
    for name in ("water_satisfaction", "water_quality"):
        q = question(results, name)
        on_scale = [a for a in rows if a.get("water_uses") == "yes" and a.get(name, "dk") != "dk"]
        dk = [a for a in rows if a.get("water_uses") == "yes" and a.get(name) == "dk"]
        assert q.total.base == len(on_scale)
        assert q.total.answered == len(on_scale) + len(dk)
        satisfied = sum(1 for a in on_scale if a[name] in ("4", "5"))
        assert q.total.satisfied.value == pytest.approx(100 * satisfied / len(on_scale))
        assert q.total.satisfied.method == "wilson"
    uses = question(results, "water_uses")
    assert uses.total.base == sum(1 for a in rows if a.get("water_uses") in ("yes", "no"))


def test_breakdown_by_sex_shows_women_men_and_not_stated(round):
    results = round_results(round=round, breakdowns=[("sex",)])
    q = question(results, "water_satisfaction")
    assert [c.group.key["sex"] for c in q.groups] == ["female", "male", NOT_STATED]
    assert sum(c.base for c in q.groups) == q.total.base
    sizes = [s for s in results.sections[0].sizes if s.group.by == ("sex",)]
    assert sum(s.respondents for s in sizes) == 120


def test_a_dimension_the_form_lacks_is_refused_in_words(round):
    with pytest.raises(ValidationError) as excinfo:
        round_results(round=round, breakdowns=[("income",)])
    assert "income" in excinfo.value.messages[0]


def test_weights_follow_the_latest_population_structure(round, structure):
    results = round_results(round=round, breakdowns=[("sex",)])
    w = results.weighting
    assert w.method == "post-stratification"
    assert w.structure_year == 2025 and w.structure_source == "Test figures"
    assert "Weighted to the population by sex and age group" in w.note
    assert w.trimmed == 0
    # After weighting, the sex × age shares of those with both equal the population's.
    known = [c for c in w.cells if c.respondents]
    weighted_total = sum(c.respondents * c.weight for c in known)
    persons = sum(c.persons for c in known)
    for c in known:
        assert c.respondents * c.weight / weighted_total == pytest.approx(c.persons / persons)
    men = sum(c.respondents * c.weight for c in known if c.sex == "male") / weighted_total
    assert men == pytest.approx(sum(c.persons for c in known if c.sex == "male") / persons)
    q = question(results, "water_satisfaction")
    assert q.total.satisfied.method == "wilson-kish"
    assert q.total.effective_n < q.total.base  # unequal weights cost precision
    assert isinstance(q.total.base, int)  # counts stay unweighted


def test_the_latest_year_weights(round, structure, demo_user):
    older = {sex: dict.fromkeys(AGE_NAMES, 100) for sex in CELLS}
    population_structure_set(
        municipality=round.municipality, year=2020, source="Old", cells=older, user=None
    )
    assert round_results(round=round).weighting.structure_year == 2025


def test_results_are_cached_until_an_interview_arrives(round, django_assert_max_num_queries):
    first = round_results(round=round)
    with django_assert_max_num_queries(2):
        again = round_results(round=round)
    assert again.sections == first.sections
    checker = version_checker(round.version)
    rng = random.Random(5)
    answers = {}
    while answers.get("consent") != "yes":
        answers = demo_answers(checker, rng, villages=[VILLAGE])
    answers.update(village=VILLAGE, water_uses="yes")
    interview_submit(
        round=round,
        interview_id=uuid.uuid4(),
        answers=answers,
        user=round.members.first().user,
    )
    assert round_results(round=round).interviews == 121


def test_a_corrected_population_invalidates_the_cache(round, structure, demo_user):
    before = round_results(round=round)
    cells = {sex: dict(row) for sex, row in CELLS.items()}
    cells["male"]["60_plus"] = 5000
    population_structure_set(
        municipality=round.municipality, year=2025, source="Corrected", cells=cells, user=None
    )
    after = round_results(round=round)
    assert after.weighting.structure_source == "Corrected"
    assert after.weighting.cells != before.weighting.cells


def test_suppression_blanks_cells_under_five(round):
    results = suppress(round_results(round=round, breakdowns=[("village", "sex")]), 5)
    q = question(results, "water_satisfaction")
    small = [c for c in q.groups if c.suppressed]
    assert small, "some village × sex cells have fewer than 5 users"
    for cell in small:
        assert cell.base is None and cell.flags == ("suppressed",)
        assert all(line.estimate.value is None for line in cell.lines())
        assert all(line.count is None for line in cell.lines())
    shown = [c for c in q.groups if not c.suppressed]
    assert all(c.base >= 5 for c in shown)
    assert results.min_cell == 5


def second_round(first, demo_user, n=40, seed=9):
    """Another round of the same municipality, with `n` interviews."""
    monitor = demo_user("monitor")
    enumerator = demo_user("enumerator")
    later = round_create(
        municipality=first.municipality,
        version=first.version,
        services=list(Service.objects.filter(slug__in=["drinking-water", "solid-waste"])),
        start_date=datetime.date(2027, 5, 3),
        end_date=datetime.date(2027, 5, 28),
        monitors=[monitor],
        enumerators=[enumerator],
        user=monitor,
    )
    later = round_advance(round=later, to_status=RoundStatus.COLLECTING, user=monitor)
    checker = version_checker(later.version)
    rng = random.Random(seed)
    made = 0
    while made < n:
        answers = demo_answers(checker, rng, villages=[VILLAGE])
        if answers.get("consent") != "yes":
            continue
        interview_submit(round=later, interview_id=uuid.uuid4(), answers=answers, user=enumerator)
        made += 1
    return later


def test_change_between_rounds_of_a_municipality(round, demo_user):
    later = second_round(round, demo_user)
    sections = round_change(round=later, previous=round)
    assert [s.slug for s in sections] == ["drinking-water", "solid-waste"]
    q = next(q for q in sections[0].questions if q.name == "water_satisfaction")
    satisfied = next(c for c in q.changes if c.indicator == "satisfied")
    assert satisfied.difference == pytest.approx(satisfied.after - satisfied.before)
    assert satisfied.low <= satisfied.difference <= satisfied.high
    assert satisfied.method == "newcombe"
    assert isinstance(satisfied.significant, bool)


def test_rounds_of_different_municipalities_are_not_compared(round, other_municipality):
    other = Round(pk=round.pk + 1000, municipality=other_municipality, version=round.version)
    with pytest.raises(ValidationError):
        round_change(round=round, previous=other)


def test_population_structure_is_checked(round):
    with pytest.raises(ValidationError) as excinfo:
        population_structure_set(
            municipality=round.municipality,
            year=1800,
            source="",
            cells={"male": {"18_29": -1}, "alien": {}},
            user=None,
        )
    messages = " ".join(excinfo.value.messages)
    for expected in ["year", "source", "alien", "female", "30_44", "from 0"]:
        assert expected in messages
    assert not PopulationStructure.objects.exists()


# --- The page ------------------------------------------------------------------------------


def page(code):
    return f"/en/results/municipality/{code}/population/"


def test_staff_enter_the_population_on_a_page(client, demo_user, demo_municipality):
    client.force_login(demo_user("staff"))
    response = client.get(page(demo_municipality.code))
    assert response.status_code == 200
    assert "No population structure has been entered yet" in response.text
    data = {"year": "2025", "source": "Census 2022"}
    for sex, row in CELLS.items():
        for age, persons in row.items():
            data[f"persons_{sex}_{age}"] = str(persons)
    response = client.post(page(demo_municipality.code), data, follow=True)
    assert response.status_code == 200
    assert "Population by sex and age group for 2025 saved." in response.text
    structure = PopulationStructure.objects.get(municipality=demo_municipality, year=2025)
    assert structure.cells == CELLS and structure.total == 9_400
    assert "In use: 2025, Census 2022" in response.text
    assert structure.history.count() == 1


def test_a_wrong_number_is_shown_not_saved(client, demo_user, demo_municipality):
    client.force_login(demo_user("monitor"))
    response = client.post(page(demo_municipality.code), {"year": "2025", "source": "x"})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert not PopulationStructure.objects.exists()


def test_others_may_not_enter_a_municipality_population(client, demo_user, demo_municipality):
    client.force_login(demo_user("enumerator"))
    assert client.get(page(demo_municipality.code)).status_code == 403
    outsider = MembershipFactory(role=Role.STAFF).user
    client.force_login(outsider)
    assert client.get(page(demo_municipality.code)).status_code == 403
    client.logout()
    assert client.get(page(demo_municipality.code)).status_code == 302


def test_the_rounds_page_links_the_population_for_managers(client, demo_user, demo_municipality):
    client.force_login(demo_user("staff"))
    response = client.get(f"/en/surveys/municipality/{demo_municipality.code}/rounds/")
    assert page(demo_municipality.code) in response.text
