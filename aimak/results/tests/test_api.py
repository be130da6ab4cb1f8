"""The results API: shape, who sees what, change, open data, population structure."""

import csv
import io
from dataclasses import replace

import openpyxl
import pytest

from aimak.accounts.models import Role
from aimak.demo.seed import DEMO_ROUND_KEY
from aimak.results.opendata import safe_text, to_csv
from aimak.results.selectors import round_results
from aimak.surveys.models import Round, RoundStatus
from aimak.surveys.rounds import round_advance
from tests.factories import MembershipFactory, api_token

from .test_results import CELLS, second_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(db):
    return Round.objects.select_related("version", "municipality").get(key=DEMO_ROUND_KEY)


@pytest.fixture
def published(round, demo_user):
    monitor = demo_user("monitor")
    round_advance(round=round, to_status=RoundStatus.CLOSED, user=monitor)
    return round_advance(round=round, to_status=RoundStatus.PUBLISHED, user=monitor)


def url(round, tail="results"):
    return f"/api/v1/rounds/{round.pk}/{tail}"


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_results_shape_for_a_manager(client, round, demo_user):
    client.force_login(demo_user("staff"))
    response = client.get(url(round), {"lang": "en"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "round",
        "municipality",
        "status",
        "interviews",
        "by",
        "dimensions",
        "min_cell",
        "weighting",
        "sections",
    }
    assert body["interviews"] == 120 and body["status"] == "collecting"
    assert body["dimensions"] == ["sex", "age_group", "village", "vulnerable", "users"]
    assert body["min_cell"] == 5
    assert body["weighting"]["method"] == "none"
    assert body["weighting"]["note"] == "Unweighted: no population structure entered."
    water = body["sections"][0]
    assert water["service"] == "drinking-water" and water["label"] == "Drinking water supply"
    satisfaction = next(q for q in water["questions"] if q["question"] == "water_satisfaction")
    assert satisfaction["kind"] == "rating" and satisfaction["role"] == "service"
    [total] = satisfaction["cells"]
    assert total["group"] == {} and total["label"] == "All respondents"
    indicators = {e["indicator"] for e in total["estimates"]}
    assert indicators == {"mean", "score", "satisfied", "dissatisfied", "net", "share", "off_scale"}
    satisfied = next(e for e in total["estimates"] if e["indicator"] == "satisfied")
    assert satisfied["base"] == total["base"]
    assert satisfied["low"] <= satisfied["estimate"] <= satisfied["high"]
    assert satisfied["method"] == "wilson"
    share = next(e for e in total["estimates"] if e["category"] == "5")
    assert share["label"] == "Very satisfied"
    assert isinstance(share["count"], int)


def test_results_by_two_dimensions(client, round, demo_user):
    client.force_login(demo_user("monitor"))
    body = client.get(url(round), {"by": "sex,village", "min_cell": 0}).json()
    assert body["by"] == ["sex", "village"] and body["min_cell"] == 0
    q = next(q for q in body["sections"][0]["questions"] if q["question"] == "water_satisfaction")
    groups = q["cells"][1:]
    assert {tuple(g["group"]) for g in groups} == {("sex", "village")}
    assert {g["group"]["sex"] for g in groups} == {"female", "male", "not_stated"}
    assert sum(g["base"] for g in groups) == q["cells"][0]["base"]


def test_a_bad_breakdown_is_422(client, round, demo_user):
    client.force_login(demo_user("staff"))
    response = client.get(url(round), {"by": "sex,income"})
    assert response.status_code == 422
    assert "income" in response.json()["detail"][0]


def test_unpublished_results_are_for_the_round_people_only(client, round, demo_user):
    assert client.get(url(round)).status_code == 403
    outsider = MembershipFactory(role=Role.STAFF).user  # staff of another municipality
    client.force_login(outsider)
    assert client.get(url(round)).status_code == 403
    client.logout()
    _token, raw = api_token(demo_user("staff"))
    assert client.get(url(round), headers=bearer(raw)).status_code == 200
    assert client.get(url(round), headers=bearer("wrong")).status_code == 401
    client.force_login(demo_user("enumerator"))  # assigned to the demo round
    assert client.get(url(round)).status_code == 200


def test_published_results_are_public_with_small_cells_blank(client, published):
    response = client.get(url(published), {"by": "village,sex", "min_cell": 0})
    assert response.status_code == 200
    body = response.json()
    assert body["min_cell"] == 5  # the public cannot lower the threshold
    q = next(q for q in body["sections"][0]["questions"] if q["question"] == "water_satisfaction")
    blank = [c for c in q["cells"] if c["suppressed"]]
    assert blank
    for cell in blank:
        assert cell["base"] is None and cell["flags"] == ["suppressed"]
        assert all(e["estimate"] is None and e["count"] is None for e in cell["estimates"])
    shown = [c for c in q["cells"] if not c["suppressed"]]
    assert all(c["base"] >= 5 for c in shown)


def test_weighting_appears_in_the_api(client, published, demo_user):
    _token, raw = api_token(demo_user("staff"))
    put = client.put(
        f"/api/v1/municipalities/{published.municipality.code}/population-structure",
        {"year": 2025, "source": "Census", "cells": CELLS},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert put.status_code == 200, put.content
    assert put.json()["total"] == 9_400
    body = client.get(url(published)).json()
    weighting = body["weighting"]
    assert weighting["method"] == "post-stratification"
    assert weighting["structure_year"] == 2025
    assert len(weighting["cells"]) == 8
    assert weighting["design_effect"] >= 1
    q = next(q for q in body["sections"][0]["questions"] if q["question"] == "water_satisfaction")
    satisfied = next(e for e in q["cells"][0]["estimates"] if e["indicator"] == "satisfied")
    assert satisfied["method"] == "wilson-kish"


def test_change_between_rounds(client, round, demo_user):
    later = second_round(round, demo_user)
    client.force_login(demo_user("staff"))
    response = client.get(url(later, "change"), {"from": round.pk, "min_cell": 0})
    assert response.status_code == 200
    body = response.json()
    assert body["round"] == later.pk and body["previous"] == round.pk
    q = next(q for q in body["sections"][0]["questions"] if q["question"] == "water_satisfaction")
    satisfied = next(c for c in q["changes"] if c["indicator"] == "satisfied")
    assert satisfied["method"] == "newcombe"
    assert satisfied["low"] <= satisfied["difference"] <= satisfied["high"]
    assert isinstance(satisfied["significant"], bool)
    assert client.get(url(later, "change")).status_code == 422  # no ?from=


def test_change_needs_both_rounds_visible(client, round, published, demo_user):
    later = second_round(round, demo_user)
    # The public sees the published round but not the later one, still collecting.
    assert client.get(url(later, "change"), {"from": published.pk}).status_code == 403


def test_open_data_only_for_published_rounds(client, round, demo_user):
    client.force_login(demo_user("staff"))
    assert client.get(url(round, "open-data.csv")).status_code == 404
    assert client.get(url(round, "open-data.xlsx")).status_code == 404


def test_open_data_csv(client, published):
    response = client.get(url(published, "open-data.csv"), {"lang": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    assert {r["breakdown"] for r in rows} == {
        "",
        "sex",
        "age_group",
        "village",
        "vulnerable",
        "users",
    }
    # Aggregates only: nothing identifies an interview.
    for forbidden in ("uuid", "answers", "enumerator"):
        assert forbidden not in rows[0]
    blank = [r for r in rows if r["flags"] == "suppressed"]
    assert blank and all(r["estimate"] == "" and r["base_n"] == "" for r in blank)
    shown = [r for r in rows if r["base_n"]]
    assert all(int(r["base_n"]) >= 5 for r in shown)
    total = next(
        r
        for r in rows
        if r["question"] == "water_satisfaction"
        and r["breakdown"] == ""
        and r["indicator"] == "satisfied"
    )
    assert total["service_label"] == "Drinking water supply"
    assert float(total["ci_low"]) <= float(total["estimate"]) <= float(total["ci_high"])


def test_open_data_xlsx(client, published):
    response = client.get(url(published, "open-data.xlsx"), {"lang": "ru"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(max_row=50, values_only=True))
    assert rows[0][:3] == ("round", "municipality", "service")
    assert any(r[3] == "Питьевое водоснабжение" for r in rows[1:])
    assert len(workbook.worksheets) == 2


def test_open_data_text_never_runs_as_a_formula(published):
    assert safe_text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_text("-1+2") == "'-1+2" and safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("Вода") == "Вода"
    results = round_results(round=published)
    evil = replace(
        results,
        sections=[replace(results.sections[0], labels={"en": "=cmd|' /C calc'!A0"})],
    )
    text = to_csv(evil, "en")
    assert "'=cmd" in text and ",=cmd" not in text


def test_population_structure_api(client, demo_municipality, demo_user):
    path = f"/api/v1/municipalities/{demo_municipality.code}/population-structure"
    assert client.get(path).json() == []
    body = {"year": 2024, "source": "Census", "cells": CELLS}
    assert client.put(path, body, content_type="application/json").status_code == 401
    _token, outsider = api_token(MembershipFactory(role=Role.STAFF).user)
    response = client.put(path, body, content_type="application/json", headers=bearer(outsider))
    assert response.status_code == 403
    _token, raw = api_token(demo_user("monitor"))
    bad = {"year": 2024, "source": "Census", "cells": {"male": {"18_29": 5}}}
    response = client.put(path, bad, content_type="application/json", headers=bearer(raw))
    assert response.status_code == 422
    assert any("female" in message for message in response.json()["detail"])
    response = client.put(path, body, content_type="application/json", headers=bearer(raw))
    assert response.status_code == 200
    listed = client.get(path).json()
    assert [(s["year"], s["total"]) for s in listed] == [(2024, 9_400)]
