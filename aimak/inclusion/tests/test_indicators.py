"""The seed-002 indicators, hand-computed on small fixtures (Naryn oblast, year 2031, where
the demo has no data), their drill-downs, page, export and fixed query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aimak.council.models import DecisionKind
from aimak.inclusion.export import indicators_xlsx
from aimak.inclusion.selectors import (
    Scope,
    hearing_rows,
    indicators,
    mobilising_rows,
    policy_rows,
)
from aimak.surveys.models import RoundStatus

from .helpers import attendance, event, resolution, round_, unit

NARYN = "41704000000000"
RAYON_210 = "41704210000000"
A, B, C = "41704210820000", "41704210806000", "41704220803000"
D, E, F, G = "41704210808000", "41704210809000", "41704210811000", "41704220806000"
DEMO = "41703204804000"
Y2031 = (datetime.date(2031, 1, 1), datetime.date(2031, 12, 31))


@pytest.fixture
def world(db):
    a, b, c, d, e, f, g, x = (unit(code) for code in (A, B, C, D, E, F, G, DEMO))
    resolution(a, "2030-05-01")  # in force, adopted before
    resolution(b, "2031-03-01", repealed_on="2031-10-01")  # adopted, repealed before the end
    resolution(c, "2031-06-01")
    resolution(c, "2031-07-01", number="2")  # a second one: C counts once
    resolution(x, "2031-02-01")  # outside the region
    resolution(a, "2032-01-05", number="3")  # after the period
    resolution(b, "2031-04-01", kind=DecisionKind.BUDGET, number="4")  # not a policy
    e1 = event("hearing_budget", "2031-04-10", a, b)
    attendance(e1, a, 10, 5, 1)
    attendance(e1, b, 3, 4, 0)
    e2 = event("hearing_tariff", "2031-08-01", c)
    attendance(e2, c, 7, 8, 2)
    e3 = event("hearing_priorities", "2030-12-31", a, hour=23)
    attendance(e3, a, 100)
    e4 = event("training", "2031-05-01", a)
    attendance(e4, a, 50)
    e5 = event("hearing_budget", "2031-06-01", x)
    attendance(e5, x, 20)
    event("campaign", "2031-09-01", d)
    round_(e, "2031-11-01", "2031-12-15", RoundStatus.COLLECTING)
    round_(f, "2031-05-01", "2031-06-01", RoundStatus.PLANNING)
    round_(g, "2030-03-01", "2030-04-01", RoundStatus.PUBLISHED, published="2031-02-01")


def scope(region: str | None = NARYN, start=Y2031[0], end=Y2031[1]) -> Scope:
    return Scope(start=start, end=end, region=unit(region) if region else None)


def test_policy_in_force_at_the_end_and_adopted_during(world):
    data = indicators(scope())
    assert data.policy == {"in_force": 2, "adopted": 2}  # A, C in force; B, C adopted
    assert indicators(scope(RAYON_210)).policy == {"in_force": 1, "adopted": 1}
    # Ending before B's repeal: B is still in force.
    before = indicators(scope(end=datetime.date(2031, 9, 30)))
    assert before.policy == {"in_force": 3, "adopted": 2}
    # On the day of the repeal it is no longer in force.
    assert indicators(scope(end=datetime.date(2031, 10, 1))).policy["in_force"] == 2


def test_hearing_participants_by_sex_and_kind(world):
    h = indicators(scope()).hearings
    assert (h["women"], h["men"], h["not_stated"], h["people"], h["events"]) == (20, 17, 3, 40, 2)
    kinds = {k["kind"]: k for k in h["by_kind"]}
    assert (kinds["hearing_budget"]["women"], kinds["hearing_budget"]["men"]) == (13, 9)
    assert kinds["hearing_tariff"]["not_stated"] == 2
    assert kinds["hearing_priorities"]["women"] == 0  # the one on 31 Dec 2030 is outside
    rayon = indicators(scope(RAYON_210)).hearings
    assert (rayon["women"], rayon["men"], rayon["not_stated"]) == (13, 9, 1)


def test_municipalities_covered_by_mobilising_initiatives(world):
    m = indicators(scope()).mobilising
    assert (m["covered"], m["by_events"], m["by_rounds"]) == (6, 4, 2)
    assert m["in_region"] == 64
    codes = [t.code for t in mobilising_rows(scope())]
    assert codes == sorted([A, B, C, D, E, G])
    rows = {t.code: (t.n_events, t.n_rounds) for t in mobilising_rows(scope())}
    assert rows[A] == (1, 0) and rows[E] == (0, 1)


def test_whole_country_includes_other_regions(world):
    whole = indicators(scope(None))
    naryn = indicators(scope())
    assert whole.policy["in_force"] >= naryn.policy["in_force"] + 1  # X, in Jalal-Abad
    assert whole.hearings["women"] >= naryn.hearings["women"] + 20


def test_drilldowns_list_what_is_counted(world):
    policies = list(policy_rows(scope()))
    assert [(r.municipality.code, bool(r.counted_in_force)) for r in policies] == [
        (B, False),
        (A, True),
        (C, True),
        (C, True),
    ] or sorted((r.municipality.code, r.number) for r in policies) == sorted(
        [(A, "1"), (B, "1"), (C, "1"), (C, "2")]
    )
    hearings = list(hearing_rows(scope()))
    assert sorted((a.municipality.code, a.women) for a in hearings) == sorted(
        [(A, 10), (B, 3), (C, 7)]
    )


def _more_data(n: int) -> None:
    a, c = unit(A), unit(C)
    for i in range(n):
        e = event("hearing_priorities", f"2031-03-{i % 28 + 1:02d}", a, c)
        attendance(e, a, 1, 1)
        resolution(c, f"2031-02-{i % 28 + 1:02d}", number=f"x{i}")


def test_fixed_number_of_queries(world, django_assert_num_queries):
    s = scope()
    with django_assert_num_queries(3):
        indicators(s)
    _more_data(30)
    with django_assert_num_queries(3):
        data = indicators(s)
    assert data.hearings["women"] == 50


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_page_and_drilldowns_keep_their_query_count(world, client):
    url = reverse("inclusion:indicators") + f"?start=2031-01-01&end=2031-12-31&region={NARYN}"
    pages = [url] + [
        reverse("inclusion:drilldown", args=[k]) + url[url.index("?") :]
        for k in ("policies", "hearings", "mobilisation")
    ]
    small = [_page_queries(client, u + "&x=1") for u in pages]
    _more_data(30)
    large = [_page_queries(client, u + "&x=2") for u in pages]
    assert small == large
    assert small[0] <= 8


def test_page_shows_the_figures_and_how_they_are_counted(world, client):
    url = reverse("inclusion:indicators") + f"?start=2031-01-01&end=2031-12-31&region={NARYN}"
    html = client.get(url).content.decode()
    assert 'id="indicator-policy">2<' in html
    assert 'id="indicator-hearings">40<' in html
    assert 'id="hearings-women">20<' in html
    assert 'id="indicator-mobilising">6<' in html
    assert 'id="how"' in html
    detail = client.get(
        reverse("inclusion:drilldown", args=["mobilisation"]) + url[url.index("?") :]
    ).content.decode()
    assert "6 rows" in detail or "6" in detail
    assert reverse("inclusion:municipality", args=[E]) in detail


def test_bad_period_is_refused_on_the_page(world, client):
    response = client.get(reverse("inclusion:indicators") + "?start=2031-12-31&end=2031-01-01")
    assert response.status_code == 200
    assert "must not be after" in response.content.decode()


def test_xlsx_export_holds_indicators_definitions_and_lists(world, client):
    from openpyxl import load_workbook

    response = client.get(
        reverse("inclusion:indicators_export") + f"?start=2031-01-01&end=2031-12-31&region={NARYN}"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames == ["Indicators", "Policies", "Hearings", "Mobilisation"]
    rows = [[*r, None, None, None][:3] for r in wb["Indicators"].iter_rows(values_only=True)]
    values = {r[0]: r[1] for r in rows if r and r[0]}
    assert values["Region"].startswith("Нарын") or "41704000000000" in values["Region"]
    policy = next(r for r in rows if r[0] and r[0].startswith("Municipalities where"))
    assert policy[1] == 2 and "repealed" in policy[2]
    hearing_sheet = list(wb["Hearings"].iter_rows(values_only=True))
    assert len(hearing_sheet) == 1 + 3
    mob = list(wb["Mobilisation"].iter_rows(values_only=True))
    assert {r[0] for r in mob[1:]} == {A, B, C, D, E, G}
    assert len(indicators_xlsx(scope())) > 1000
