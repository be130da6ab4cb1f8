"""The report-card dashboards: who sees which round, the figures they show (the same as
round_results and round_change give), warnings, suppression, breakdowns, the change
between rounds, the comparison of municipalities, and the SVG charts."""

import html as html_module
import re
import xml.etree.ElementTree as ET

import pytest
from defusedxml import ElementTree as defused
from django.utils import translation

from aimak.accounts.models import Role
from aimak.demo.seed import (
    DEMO_PUBLISHED_ROUND_KEY,
    DEMO_ROUND_KEY,
    DEMO_STRUCTURE_CELLS,
)
from aimak.results import charts
from aimak.results.compute import suppress
from aimak.results.dashboard_data import headline_question
from aimak.results.selectors import (
    comparable_rounds,
    results_min_cell,
    round_change,
    round_results,
)
from aimak.results.services import population_structure_set
from aimak.surveys.models import Round, RoundStatus
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def round(db):
    """The demo round in collection (not public)."""
    return Round.objects.select_related("version", "municipality").get(key=DEMO_ROUND_KEY)


@pytest.fixture
def published(db):
    """The demo's earlier round, published with 300 interviews."""
    return Round.objects.select_related("version", "municipality").get(key=DEMO_PUBLISHED_ROUND_KEY)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def text_of(response) -> str:
    """The visible text of the page's main part, tags removed, spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", main)))


def question(results, name):
    return next(q for s in results.sections for q in s.questions if q.name == name)


# --- Who sees what -------------------------------------------------------------------------


def test_a_published_round_is_public(client, published):
    response = page(client, f"/en/results/rounds/{published.pk}/")
    text = text_of(response)
    assert "Citizen report card results: Ak-Korgon" in text
    assert "Drinking water supply" in text and "Solid waste collection" in text
    assert "Interviews 300" in text
    # Public readers get the open data links; only national roles the comparison.
    assert f"/api/v1/rounds/{published.pk}/open-data.csv?lang=en" in response.content.decode()
    assert "Compare municipalities" not in text


def test_an_unpublished_round_asks_visitors_to_sign_in(client, round):
    response = page(client, f"/en/results/rounds/{round.pk}/", status=302)
    assert response["Location"].startswith("/en/accounts/login/")
    for tail in ("services/drinking-water/", "change/"):
        assert client.get(f"/en/results/rounds/{round.pk}/{tail}").status_code == 302


def test_another_municipality_staff_may_not_see_an_unpublished_round(
    client, round, published, other_municipality
):
    stranger = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    client.force_login(stranger)
    for url in (
        f"/en/results/rounds/{round.pk}/",
        f"/en/results/rounds/{round.pk}/services/drinking-water/",
        f"/en/results/rounds/{round.pk}/change/",
    ):
        assert client.get(url).status_code == 403, url
    # A published round is public for them too.
    page(client, f"/en/results/rounds/{published.pk}/")


@pytest.mark.parametrize("role", ["staff", "monitor", "enumerator", "admin"])
def test_the_round_people_see_it_before_publication(client, round, demo_user, role):
    client.force_login(demo_user(role))
    text = text_of(page(client, f"/en/results/rounds/{round.pk}/"))
    assert "Not published: only the round's managers and assigned people see" in text


def test_a_council_deputy_sees_only_published_results(client, round, published, demo_user):
    client.force_login(demo_user("deputy"))
    assert client.get(f"/en/results/rounds/{round.pk}/").status_code == 403
    page(client, f"/en/results/rounds/{published.pk}/")


def test_the_smallest_cell_follows_the_api_rule(round, published, demo_user):
    staff, deputy = demo_user("staff"), demo_user("deputy")
    assert results_min_cell(user=staff, round=round) == 5
    assert results_min_cell(user=staff, round=round, asked=0) == 0
    assert results_min_cell(user=deputy, round=published, asked=0) == 5
    assert results_min_cell(user=deputy, round=published, asked=12) == 12


# --- What a round's page shows -------------------------------------------------------------


def test_headline_indices_and_intervals_are_those_of_round_results(client, published):
    text = text_of(page(client, f"/en/results/rounds/{published.pk}/"))
    results = suppress(round_results(round=published, breakdowns=[("sex",)]), 5)
    for section in results.sections:
        cell = headline_question(section).total
        assert f"{charts.percent(cell.satisfied.value)} 95% interval: " in text
        assert f"{charts.number(cell.satisfied.low)}–{charts.number(cell.satisfied.high)}" in text
        assert charts.signed(cell.net.value) in text
        assert charts.number(cell.score.value) in text
        assert f"Base: n = {cell.base} respondents" in text


def test_men_women_and_not_stated_always_appear_with_unweighted_n(client, published):
    text = text_of(page(client, f"/en/results/rounds/{published.pk}/"))
    results = round_results(round=published, breakdowns=[("sex",)])
    groups = question(results, "water_satisfaction").groups
    assert [g.group.label for g in groups] == ["Female", "Male", "Not stated"]
    for cell in groups[:2]:
        # The unweighted n next to the weighted share and its interval.
        assert (
            f"{cell.group.label} {cell.base} {charts.percent(cell.satisfied.value)} "
            f"{charts.number(cell.satisfied.low)}–{charts.number(cell.satisfied.high)}" in text
        )
    # Nobody left sex unstated: the row is there, blank, and the page says why.
    assert "Not stated — — —" in text
    assert "“—”: fewer than 5 respondents answered, so the figure is not shown" in text


def test_small_bases_are_warned_about(client, published):
    text = text_of(page(client, f"/en/results/rounds/{published.pk}/?by=village"))
    results = suppress(round_results(round=published, breakdowns=[("village",)]), 5)
    small = [
        c
        for c in question(results, "water_satisfaction").groups
        if c.base is not None and 5 <= c.base < 30
    ]
    assert small, "the demo should have villages of fewer than 30 users"
    for cell in small:
        assert f"{cell.group.label} ⚠ fewer than 30 respondents" in text
        assert f" {cell.base} {charts.percent(cell.satisfied.value)} " in text


def test_the_public_cannot_lower_the_threshold_but_the_round_people_can(
    client, published, demo_user
):
    url = f"/en/results/rounds/{published.pk}/?by=sex&by2=village"
    results = round_results(round=published, breakdowns=[("sex", "village")])
    tiny = [c for c in question(results, "waste_satisfaction").groups if c.base and 0 < c.base < 5]
    assert tiny, "crossing sex and village should give cells of fewer than 5"
    public = text_of(page(client, url + "&min_cell=0"))
    assert "fewer than 5 respondents answered" in public
    assert "Show every cell" not in public
    client.force_login(demo_user("monitor"))
    shown = text_of(page(client, url + "&min_cell=0"))
    assert "Every cell is shown" in shown
    cell = tiny[0]
    assert f"{cell.group.label} ⚠ fewer than 30 respondents" in shown
    assert f" {cell.base} {charts.percent(cell.satisfied.value)} " in shown


def test_a_crossed_breakdown_and_a_bad_one(client, published):
    text = text_of(page(client, f"/en/results/rounds/{published.pk}/?by=village&by2=sex"))
    results = round_results(round=published, breakdowns=[("village", "sex")])
    labels = [c.group.label for c in question(results, "water_satisfaction").groups]
    assert any(" · Female" in label for label in labels)
    for label in labels[:4]:
        assert label in text
    assert "Overall satisfaction by village × sex" in text
    # An unknown dimension falls back to sex rather than failing.
    fallback = text_of(page(client, f"/en/results/rounds/{published.pk}/?by=income"))
    assert "Overall satisfaction by sex" in fallback


def test_switching_the_breakdown_with_htmx_returns_only_the_figures(client, published):
    response = client.get(
        f"/en/results/rounds/{published.pk}/?by=age_group", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard"')
    assert "<html" not in html
    assert "Overall satisfaction by age group" in html
    assert "HX-Request" in response["Vary"]


def test_the_weighting_is_stated(client, published, demo_user):
    text = text_of(page(client, f"/en/results/rounds/{published.pk}/"))
    assert "Unweighted: no population structure entered." in text
    population_structure_set(
        municipality=published.municipality,
        year=2025,
        source="Test figures",
        cells=DEMO_STRUCTURE_CELLS,
        user=demo_user("staff"),
    )
    text = text_of(page(client, f"/en/results/rounds/{published.pk}/"))
    assert "Weighted to the population by sex and age group (2025, Test figures)" in text
    assert "Design effect of the weights" in text


def test_numbers_use_the_language_s_decimal_separator(client, published):
    results = round_results(round=published)
    value = headline_question(results.sections[0]).total.satisfied.value
    with translation.override("ru"):
        ru = charts.number(value)
    assert "," in ru
    assert ru in page(client, f"/ru/results/rounds/{published.pk}/").content.decode()


def test_anonymous_visitors_get_the_cached_page(client, published, django_assert_num_queries):
    page(client, f"/en/results/rounds/{published.pk}/")
    with django_assert_num_queries(1):  # the public-content version only
        page(client, f"/en/results/rounds/{published.pk}/")


def test_a_corrected_population_reaches_the_cached_public_page(client, published, demo_user):
    url = f"/en/results/rounds/{published.pk}/"
    assert "Unweighted: no population structure entered." in text_of(page(client, url))
    population_structure_set(
        municipality=published.municipality,
        year=2025,
        source="Corrected figures",
        cells=DEMO_STRUCTURE_CELLS,
        user=demo_user("staff"),
    )
    assert "(2025, Corrected figures)" in text_of(page(client, url))


# --- One service in detail -----------------------------------------------------------------


def test_a_service_in_detail(client, published):
    url = f"/en/results/rounds/{published.pk}/services/drinking-water/"
    text = text_of(page(client, url))
    results = suppress(round_results(round=published, breakdowns=[("sex",)]), 5)
    section = results.sections[0]
    for q in section.questions:
        assert q.label in text
    informal = question(results, "water_informal").total
    refused = next(s for s in informal.off_scale if s.name == "refuse")
    # "Prefer not to say": its count and its share of everyone who answered.
    assert f"Prefer not to say {refused.count} {charts.percent(refused.estimate.value)}" in text
    quality = question(results, "water_quality").total
    dk = next(s for s in quality.off_scale if s.name == "dk")
    assert f"Don't know {dk.count}" in text
    for share in quality.distribution:
        assert (
            f"{share.label} {share.count} {charts.percent(share.estimate.value)} "
            f"{charts.number(share.estimate.low)}–{charts.number(share.estimate.high)}" in text
        )
    assert "Several answers possible" in text  # the multiple choices say so
    assert client.get(f"/en/results/rounds/{published.pk}/services/roads/").status_code == 404


# --- Change between rounds -----------------------------------------------------------------


def test_change_between_rounds_in_words(client, round, published, demo_user):
    client.force_login(demo_user("staff"))
    text = text_of(page(client, f"/en/results/rounds/{round.pk}/change/"))
    changes = round_change(round=round, previous=published)
    water = next(q for q in changes[0].questions if q.name == "water_satisfaction")
    satisfied = next(c for c in water.changes if c.indicator == "satisfied")
    words = (
        "not significant"
        if not satisfied.significant
        else "significant increase"
        if satisfied.difference > 0
        else "significant decrease"
    )
    assert (
        f"Satisfied n {satisfied.base_before} → {satisfied.base_after} "
        f"{charts.percent(satisfied.before)} {charts.percent(satisfied.after)} "
        f"{charts.signed(satisfied.difference)} "
        f"{charts.signed(satisfied.low)}…\u200b{charts.signed(satisfied.high)} {words}" in text
    )
    # The trend over both rounds, with each round's share satisfied.
    assert "Share satisfied in each round" in text
    html = page(client, f"/en/results/rounds/{round.pk}/change/").content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 2


def test_change_for_the_public_and_bad_choices(client, round, published):
    # The earliest published round has nothing before it.
    text = text_of(page(client, f"/en/results/rounds/{published.pk}/change/"))
    assert "There is no earlier round of this municipality to compare with." in text
    # A round the reader may not see cannot be chosen.
    assert client.get(f"/en/results/rounds/{published.pk}/change/?from={round.pk}").status_code == (
        404
    )
    assert client.get(f"/en/results/rounds/{published.pk}/change/?from=9999").status_code == 404


# --- Municipalities side by side -----------------------------------------------------------


def test_comparison_is_for_national_roles(client, demo_user):
    assert client.get("/en/results/compare/").status_code == 302
    for role in ("staff", "monitor", "deputy", "facilitator", "content"):
        client.force_login(demo_user(role))
        assert client.get("/en/results/compare/").status_code == 403, role
    for role in ("programme", "expert", "admin"):
        client.force_login(demo_user(role))
        assert client.get("/en/results/compare/").status_code == 200, role


def test_comparison_pairs_with_its_selector(demo_user):
    for role in (
        "staff",
        "deputy",
        "monitor",
        "enumerator",
        "facilitator",
        "programme",
        "content",
        "clientbase",
        "expert",
        "admin",
    ):
        user = demo_user(role)
        assert bool(comparable_rounds(user=user)) == user.has_perm("results.compare"), role


def test_comparison_shows_intervals_in_alphabetical_order_never_ranks(
    client, published, demo_user, other_municipality
):
    # A second municipality with a published round of its own: the demo round moved there.
    moved = Round.objects.get(key=DEMO_ROUND_KEY)
    Round.objects.filter(pk=moved.pk).update(
        municipality=other_municipality, status=RoundStatus.PUBLISHED
    )
    client.force_login(demo_user("programme"))
    text = text_of(page(client, "/en/results/compare/?service=drinking-water"))
    assert "This is not a ranking." in text
    names = [published.municipality.name, other_municipality.name]
    first, second = sorted(names)
    assert text.index(first) < text.index(second)
    results = suppress(round_results(round=published), 5)
    cell = headline_question(results.sections[0]).total
    assert (
        f"{charts.percent(cell.satisfied.value)} "
        f"{charts.number(cell.satisfied.low)}–{charts.number(cell.satisfied.high)}" in text
    )
    assert "Pooled value" in text
    assert any(
        words in text
        for words in (
            "intervals overlap: no clear difference",
            "higher than the pooled value",
            "lower than the pooled value",
        )
    )
    html = page(client, "/en/results/compare/?service=drinking-water").content.decode()
    assert "<ol" not in html[html.index("<main") :]  # no numbered list of places
    by_estimate = text_of(
        page(client, "/en/results/compare/?service=drinking-water&sort=estimate&indicator=score")
    )
    assert "Sorted by estimate: neighbours whose intervals overlap do not clearly differ" in (
        by_estimate
    )
    assert "Score (0–100)" in by_estimate


# --- Links to the dashboards ---------------------------------------------------------------


def test_the_municipality_page_lists_published_rounds(client, round, published):
    html = page(client, f"/en/territories/{published.municipality.code}/").content.decode()
    assert "Report-card results" in html
    assert f'href="/en/results/rounds/{published.pk}/"' in html
    assert f'href="/en/results/rounds/{round.pk}/"' not in html


def test_the_round_page_links_its_results(client, round, demo_user):
    client.force_login(demo_user("monitor"))
    html = page(client, f"/en/surveys/rounds/{round.pk}/").content.decode()
    assert f'href="/en/results/rounds/{round.pk}/"' in html
    assert f'href="/en/results/rounds/{round.pk}/change/"' in html


# --- Charts --------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    root = defused.fromstring(svg)  # the SVG must be well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text
    return root


def texts(root: ET.Element) -> str:
    return " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def test_interval_bars_write_values_and_escape_labels():
    svg = charts.interval_bars(
        [
            charts.Bar("Women <script>alert(1)</script> & co", 47.26, 36.1, 58.4),
            charts.Bar("Men", 52.0, 40.0, 63.0, dashed=True),
            charts.Bar("Not stated", None),
        ],
        title="Share satisfied by “sex”",
    )
    assert "<script>" not in svg
    root = parse(svg)
    words = texts(root)
    assert "Women <script>alert(1)</script> & co" in words  # escaped in the markup
    assert "47.3%" in words and "52.0%" in words and "—" in words
    assert len(root.findall(f".//{SVG}rect")) == 2
    assert len(svg) < 2500


def test_distribution_bar_labels_every_point_in_order():
    points = [("Very bad", 10.0), ("Bad", 15.0), ("So-so", 25.5), ("Good", 30.0), ("Great", 19.5)]
    root = parse(charts.distribution_bar(points, title="Answers"))
    words = texts(root)
    positions = [words.index(f"{label}: {charts.percent(v)}") for label, v in points]
    assert positions == sorted(positions)
    assert len(root.findall(f".//{SVG}rect")) == 10  # five segments, five legend keys


def test_trend_chart_has_a_band_and_every_round():
    root = parse(
        charts.trend_chart(
            [
                charts.TrendPoint("2024", 40.0, 33.0, 47.0),
                charts.TrendPoint("2025", None),
                charts.TrendPoint("2026", 52.0, 43.0, 60.0),
                charts.TrendPoint("2027", 55.0, 47.0, 62.0),
            ],
            title="Trend",
        )
    )
    words = texts(root)
    for expected in ("2024", "2025", "2026", "40.0%", "52.0%", "55.0%"):
        assert expected in words
    assert len(root.findall(f".//{SVG}polygon")) == 1  # only the run 2026–2027 has a band


def test_comparison_chart_never_numbers_and_says_how_each_stands():
    rows = [
        charts.CompareRow("Ak-Korgon", 62.0, 55.0, 69.0, charts.HIGHER, "higher"),
        charts.CompareRow("Ak-Tam", 41.0, 30.0, 52.0, charts.OVERLAP, "no clear difference"),
        charts.CompareRow("Kosh-Dobo", 30.0, 24.0, 36.0, charts.LOWER, "lower"),
    ]
    root = parse(charts.comparison_chart(rows, title="Compare", pooled=45.0, pooled_label="Pooled"))
    words = texts(root)
    assert "Ak-Korgon — higher" in words and "Kosh-Dobo — lower" in words
    assert "Ak-Tam — no clear difference" in words
    assert not re.search(r"(^|\s)#?[123][.)]\s", words)  # no rank numbers
    assert charts.verdict(55.0, 69.0, 45.0) == charts.HIGHER
    assert charts.verdict(30.0, 52.0, 45.0) == charts.OVERLAP
    assert charts.verdict(24.0, 36.0, 45.0) == charts.LOWER


def test_chart_numbers_follow_the_language():
    with translation.override("ru"):
        words = texts(parse(charts.interval_bars([charts.Bar("Ж", 47.26)], title="t")))
    assert "47,3" in words
    assert charts.signed(-4.04) == "−4.0" and charts.signed(0.0) == "0.0"


def test_a_user_without_a_role_sees_published_rounds_only(client, round, published):
    client.force_login(UserFactory())
    assert client.get(f"/en/results/rounds/{round.pk}/").status_code == 403
    page(client, f"/en/results/rounds/{published.pk}/")


def test_staff_turn_a_finding_into_a_recommendation_from_the_service_page(
    client, published, demo_user
):
    """The link on a question of the service page opens the new recommendation with the
    round, the service and the question already chosen; the public sees no such link."""
    url = f"/ru/results/rounds/{published.pk}/services/drinking-water/"
    assert "/new/?round=" not in page(client, url).content.decode()
    client.force_login(demo_user("staff"))
    html = page(client, url).content.decode()
    links = re.findall(r'href="(/ru/plans/\d{14}/new/\?[^"]+)"', html)
    assert links, "no link from a finding to a new recommendation"
    target = html_module.unescape(links[0])
    assert f"round={published.pk}" in target and "service=drinking-water" in target
    form = page(client, target).content.decode()
    assert re.search(rf'<option value="{published.pk}:drinking-water:[^"]+" selected', form)
