"""The API: anonymous reads of published recommendations, token writes with permissions."""

import datetime

import pytest
from django.test import Client

from aimak.plans.models import Recommendation
from tests.factories import api_token

PATHS = {
    "/api/v1/municipalities/{code}/recommendations": {"get", "post"},
    "/api/v1/recommendations/{pk}": {"get"},
    "/api/v1/recommendations/{pk}/actions": {"post"},
    "/api/v1/actions/{pk}/status": {"post"},
    "/api/v1/actions/{pk}/milestones": {"post"},
    "/api/v1/actions/{pk}/verifications": {"post"},
    "/api/v1/action-statuses": {"get"},
    "/api/v1/action-statuses/{key}": {"put"},
}


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)[1]}"}


@pytest.mark.django_db
def test_paths_are_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
        for method in methods:
            op = schema["paths"][path][method]
            assert op.get("summary"), (path, method)
    assert "RecommendationOut" in schema["components"]["schemas"]


@pytest.mark.django_db
def test_anonymous_sees_published_members_see_all(client, demo_municipality, make_rec, demo_user):
    hidden = make_rec(demo_municipality, title="Черновик", published=False)
    path = f"/api/v1/municipalities/{demo_municipality.code}/recommendations"
    data = client.get(path).json()
    titles = {r["title_ru"] for r in data}
    assert "Черновик" not in titles
    assert "Бесперебойная подача питьевой воды (демо)" in titles
    first = next(r for r in data if r["title_ru"].startswith("Бесперебойная"))
    assert first["source"] == "crc_finding" and first["service"] == "drinking-water"
    assert first["actions"] and {"progress", "status", "overdue", "evidence"} <= set(
        first["actions"][0]
    )
    member = client.get(path, **auth(demo_user("deputy"))).json()
    assert "Черновик" in {r["title_ru"] for r in member}
    assert client.get(f"/api/v1/recommendations/{hidden.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/recommendations/{hidden.pk}", **auth(demo_user("deputy"))).status_code
        == 200
    )
    assert client.get(path, HTTP_AUTHORIZATION="Bearer forged").status_code == 401


@pytest.mark.django_db
def test_the_loop_through_the_api(demo_municipality, demo_user, other_staff):
    client = Client()
    staff = auth(demo_user("staff"))
    path = f"/api/v1/municipalities/{demo_municipality.code}/recommendations"
    body = {
        "title_ru": "API рекомендация",
        "source": "study",
        "reference": "Отчёт 2025",
        "published": True,
    }
    assert client.post(path, body, content_type="application/json").status_code == 401
    response = client.post(path, body, content_type="application/json", **auth(other_staff))
    assert response.status_code == 403
    detail = response.json()["detail"]  # in the request's language (Kyrgyz by default)
    assert "иш-аракеттер планын өзгөртүүгө" in detail or "may not change" in detail
    response = client.post(path, body, content_type="application/json", **staff)
    assert response.status_code == 201, response.content
    rec_id = response.json()["id"]
    bad = client.post(
        path, {"title_ru": "x", "source": "study"}, content_type="application/json", **staff
    )
    assert bad.status_code == 422
    response = client.post(
        f"/api/v1/recommendations/{rec_id}/actions",
        {"title_ru": "Шаг", "responsible": "АО", "deadline": "2027-01-01", "weight": "2"},
        content_type="application/json",
        **staff,
    )
    assert response.status_code == 201, response.content
    action_id = response.json()["actions"][0]["id"]
    response = client.post(
        f"/api/v1/actions/{action_id}/milestones",
        {
            "date": datetime.date.today().isoformat(),
            "progress": 30,
            "links": [{"url": "https://example.org/p", "title": "Фото"}],
        },
        content_type="application/json",
        **staff,
    )
    assert response.status_code == 201
    assert response.json()["progress"] == "30.0" or float(response.json()["progress"]) == 30
    assert response.json()["actions"][0]["evidence"][0]["url"] == "https://example.org/p"
    response = client.post(
        f"/api/v1/actions/{action_id}/verifications",
        {"verdict": "verified"},
        content_type="application/json",
        **staff,
    )
    assert response.status_code == 403  # staff are not the monitoring group
    response = client.post(
        f"/api/v1/actions/{action_id}/status",
        {"status": "done"},
        content_type="application/json",
        **staff,
    )
    assert response.status_code == 200 and float(response.json()["progress"]) == 100
    response = client.post(
        f"/api/v1/actions/{action_id}/verifications",
        {"verdict": "verified", "comment": "Да"},
        content_type="application/json",
        **auth(demo_user("monitor")),
    )
    assert response.status_code == 201
    assert response.json()["actions"][0]["verification"] == "verified"
    assert Recommendation.objects.get(pk=rec_id).published


@pytest.mark.django_db
def test_status_list_api(client, demo_user):
    data = client.get("/api/v1/action-statuses").json()
    assert [s["key"] for s in data][:5] == [
        "planned",
        "in_progress",
        "delayed",
        "done",
        "cancelled",
    ]
    body = {
        "key": "x",
        "name_ky": "Текшерилүүдө",
        "name_ru": "На проверке",
        "default_progress": 90,
        "is_open": True,
    }
    url = "/api/v1/action-statuses/review"
    assert (
        client.put(
            url, body, content_type="application/json", **auth(demo_user("staff"))
        ).status_code
        == 403
    )
    response = client.put(
        url, body, content_type="application/json", **auth(demo_user("programme"))
    )
    assert response.status_code == 200 and response.json()["key"] == "review"
