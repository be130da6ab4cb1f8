import pytest
from django.utils import timezone

from aimak.accounts.models import Role
from aimak.demo.events import demo_priorities_hearing
from aimak.events.models import Attendance, Event
from tests.factories import MembershipFactory, api_token

pytestmark = pytest.mark.django_db

NEIGHBOUR = "41703204806000"


def _auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_paths_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/events",
        "/api/v1/events/{pk}",
        "/api/v1/events/{pk}/registrations",
        "/api/v1/events/{pk}/check-in",
        "/api/v1/events/{pk}/attendance/{code}",
        "/api/v1/resolutions",
        "/api/v1/resolutions/{pk}",
        "/api/v1/municipalities/{code}/resolutions",
    ):
        assert path in paths, path
        for operation in paths[path].values():
            assert operation.get("summary"), path


def test_list_filters_and_detail_with_attendance(client, demo_municipality):
    data = client.get("/api/v1/events?kind=hearing_priorities").json()
    assert data["count"] >= 1
    assert all(e["kind"] == "hearing_priorities" for e in data["items"])
    assert client.get(f"/api/v1/events?municipality={NEIGHBOUR}").json()["count"] == 2
    # Region: the oblast of the demo municipality (Batken, 41703).
    region = demo_municipality.parent.parent.code
    assert (
        client.get(f"/api/v1/events?region={region}&from=2025-01-01&to=2025-12-31").json()["count"]
        == 5
    )
    event = demo_priorities_hearing()
    detail = client.get(f"/api/v1/events/{event.pk}").json()
    assert detail["attendance"]["people"] == 131
    assert detail["attendance"]["total"]["sex_not_stated"] == 6
    assert {r["municipality"] for r in detail["attendance"]["municipalities"]} == {
        demo_municipality.code,
        NEIGHBOUR,
    }
    assert client.get("/api/v1/events/999999").status_code == 404


def test_create_event_needs_a_token_and_the_role(
    client, demo_user, demo_municipality, other_municipality
):
    body = {
        "title_ru": "Консультация",
        "kind": "consultation",
        "municipalities": [demo_municipality.code],
        "starts_at": "2027-03-01T10:00:00+06:00",
        "place": "Айыл өкмөтү",
    }
    assert client.post("/api/v1/events", body, content_type="application/json").status_code == 401
    _, raw = api_token(demo_user("staff"))
    response = client.post("/api/v1/events", body, content_type="application/json", **_auth(raw))
    assert response.status_code == 201, response.content
    assert response.json()["municipalities"] == [demo_municipality.code]
    body["municipalities"] = [other_municipality.code]
    before = Event.objects.count()
    response = client.post("/api/v1/events", body, content_type="application/json", **_auth(raw))
    assert response.status_code == 403
    body["municipalities"] = [demo_municipality.code]
    body["place"] = ""
    response = client.post("/api/v1/events", body, content_type="application/json", **_auth(raw))
    assert response.status_code == 422
    assert Event.objects.count() == before


def test_register_and_check_in_anonymously(client, demo_user, demo_municipality):
    _, raw = api_token(demo_user("staff"))
    response = client.post(
        "/api/v1/events",
        {
            "title_ru": "Сегодня",
            "kind": "hearing_tariff",
            "municipalities": [demo_municipality.code],
            "starts_at": timezone.now().isoformat(),
            "place": "Клуб",
            "check_in_code": "5555",
        },
        content_type="application/json",
        **_auth(raw),
    )
    pk = response.json()["id"]
    body = {"name": "Бермет", "contact": "bermet@example.kg", "sex": "female", "age_group": "18_29"}
    response = client.post(
        f"/api/v1/events/{pk}/registrations", body, content_type="application/json"
    )
    assert response.status_code == 201
    response = client.post(
        f"/api/v1/events/{pk}/registrations", body, content_type="application/json"
    )
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/events/{pk}/check-in",
        {"code": "1111", "contact": "bermet@example.kg"},
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.post(
        f"/api/v1/events/{pk}/check-in",
        {"code": "5555", "contact": "bermet@example.kg"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["checked_in"]
    detail = client.get(f"/api/v1/events/{pk}").json()
    assert detail["attendance"]["total"]["women"] == 1
    # A bad token is refused, not treated as anonymous.
    response = client.post(
        f"/api/v1/events/{pk}/registrations",
        {"name": "X", "contact": "x@example.kg"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer nonsense",
    )
    assert response.status_code == 401


def test_put_sheet_totals(client, demo_user, demo_municipality):
    event = demo_priorities_hearing()
    _, raw = api_token(demo_user("staff"))
    url = f"/api/v1/events/{event.pk}/attendance/{demo_municipality.code}"
    bad = {"women": 10, "men": 10, "age_30_59": 19}
    response = client.put(url, bad, content_type="application/json", **_auth(raw))
    assert response.status_code == 422
    row = Attendance.objects.get(event=event, municipality=demo_municipality)
    assert row.total == 90
    good = {"women": 50, "men": 40, "sex_not_stated": 4, "age_30_59": 94, "youth": 10}
    response = client.put(url, good, content_type="application/json", **_auth(raw))
    assert response.status_code == 200
    assert response.json()["attendance"]["people"] == 94 + 41
    # The neighbour's row belongs to the neighbour's organisers.
    response = client.put(
        f"/api/v1/events/{event.pk}/attendance/{NEIGHBOUR}",
        good,
        content_type="application/json",
        **_auth(raw),
    )
    assert response.status_code == 403
    # A facilitator of the neighbour may.
    facilitator = MembershipFactory(
        role=Role.FACILITATOR, municipality=event.municipalities.get(code=NEIGHBOUR)
    ).user
    _, raw2 = api_token(facilitator)
    response = client.put(
        f"/api/v1/events/{event.pk}/attendance/{NEIGHBOUR}",
        good,
        content_type="application/json",
        **_auth(raw2),
    )
    assert response.status_code == 200
