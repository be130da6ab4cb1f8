"""The inclusion API: indicators, drill-downs, budgets (upload, tags) and status."""

from __future__ import annotations

import pytest
from django.test import Client

from aimak.inclusion.models import Budget

from .helpers import BUDGET_ROWS, xlsx
from .test_indicators import NARYN, A, world  # noqa: F401

PATHS = [
    "/api/v1/inclusion/indicators",
    "/api/v1/inclusion/indicators/policies",
    "/api/v1/inclusion/indicators/hearings",
    "/api/v1/inclusion/indicators/mobilisation",
    "/api/v1/municipalities/{code}/inclusion",
    "/api/v1/municipalities/{code}/budgets",
    "/api/v1/municipalities/{code}/budgets/{pk}",
    "/api/v1/municipalities/{code}/budgets/{pk}/tags",
]


def test_paths_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in PATHS:
        assert path in schema["paths"], path
        for operation in schema["paths"][path].values():
            assert operation.get("summary")


def test_indicators_with_from_to_region(world, client):  # noqa: F811
    data = client.get(
        f"/api/v1/inclusion/indicators?from=2031-01-01&to=2031-12-31&region={NARYN}"
    ).json()
    assert data["scope"] == {"from": "2031-01-01", "to": "2031-12-31", "region": NARYN}
    assert data["policy"]["in_force"] == 2
    assert (data["hearings"]["women"], data["hearings"]["men"]) == (20, 17)
    assert data["mobilising"]["covered"] == 6
    page = client.get(
        f"/api/v1/inclusion/indicators/mobilisation?from=2031-01-01&to=2031-12-31&region={NARYN}"
    ).json()
    assert (
        page["count"] == 6
        and page["results"][0]["municipality"] <= page["results"][1]["municipality"]
    )
    hearings = client.get(
        f"/api/v1/inclusion/indicators/hearings?from=2031-01-01&to=2031-12-31&region={NARYN}"
    ).json()
    assert sum(r["women"] for r in hearings["results"]) == 20
    assert client.get("/api/v1/inclusion/indicators?region=999").status_code == 404
    assert (
        client.get("/api/v1/inclusion/indicators?from=2031-02-01&to=2031-01-01").status_code == 422
    )


@pytest.fixture
def token(demo_user):
    from aimak.accounts.services import api_token_create

    def make(role):
        return api_token_create(user=demo_user(role), name="t")[1]

    return make


def test_upload_tag_and_read_a_budget(client, demo_municipality, token):
    code = demo_municipality.code
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token('staff')}"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/api/v1/municipalities/{code}/budgets",
        {"year": 2031, "version": "draft", "file": SimpleUploadedFile("b.xlsx", xlsx(BUDGET_ROWS))},
        **auth,
    )
    assert response.status_code == 201, response.content
    budget = response.json()
    assert budget["lines"] == 3
    again = client.post(
        f"/api/v1/municipalities/{code}/budgets",
        {"year": 2031, "version": "draft", "file": SimpleUploadedFile("b.xlsx", xlsx(BUDGET_ROWS))},
        **auth,
    )
    assert again.status_code == 422 and "demo-staff" in again.json()["detail"][0]
    line = budget["line_items"][2]
    response = Client().put(
        f"/api/v1/municipalities/{code}/budgets/{budget['id']}/tags",
        {"lines": [{"id": line["id"], "tag": "targeted", "groups": ["women"]}]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200
    shares = {s["tag"]: s for s in response.json()["shares"]}
    assert shares["targeted"]["share"] == "25.0" or float(shares["targeted"]["share"]) == 25.0
    status = client.get(f"/api/v1/municipalities/{code}/inclusion").json()
    assert any(b["id"] == budget["id"] for b in status["budgets"])


def test_api_refuses_anonymous_and_other_municipality(
    client, demo_municipality, other_municipality, token
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("b.xlsx", xlsx(BUDGET_ROWS))
    assert (
        client.post(
            f"/api/v1/municipalities/{demo_municipality.code}/budgets",
            {"year": 2031, "version": "draft", "file": file},
        ).status_code
        == 401
    )
    response = client.post(
        f"/api/v1/municipalities/{other_municipality.code}/budgets",
        {"year": 2031, "version": "draft", "file": SimpleUploadedFile("b.xlsx", xlsx(BUDGET_ROWS))},
        HTTP_AUTHORIZATION=f"Bearer {token('staff')}",
    )
    assert response.status_code == 403
    assert not Budget.objects.filter(municipality=other_municipality).exists()
