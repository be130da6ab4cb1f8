import pytest

from aimak.notifications.models import Notification, NotificationPreference
from tests.factories import UserFactory, api_token

from .factories import note

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/notifications": {"get"},
    "/api/v1/notifications/{notification_id}/read": {"post"},
    "/api/v1/notifications/read-all": {"post"},
    "/api/v1/notifications/settings": {"get", "put"},
}


def _auth(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def reader():
    user = UserFactory(preferred_language="ru")
    return user, api_token(user)[1]


def test_paths_are_in_the_openapi_schema(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, methods in PATHS.items():
        assert methods <= set(spec["paths"][path]), path
        for method in methods:
            operation = spec["paths"][path][method]
            assert operation["summary"] and "200" in operation["responses"]
    params = {p["name"] for p in spec["paths"]["/api/v1/notifications"]["get"]["parameters"]}
    assert {"unread", "lang", "limit", "offset"} <= params


def test_anonymous_gets_401(client):
    for path, methods in PATHS.items():
        url = path.replace("{notification_id}", "1")
        for method in methods:
            assert getattr(client, method)(url).status_code == 401, (method, url)


def test_list_is_mine_paginated_filtered_and_in_my_language(client, reader):
    user, token = reader
    first = note(user, action="First", url="/ky/plans/recommendations/1/")
    note(user, action="Second")
    note(UserFactory(), action="Not mine")
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    data = client.get("/api/v1/notifications", {"limit": 1}, **_auth(token)).json()
    assert data["count"] == 2 and len(data["items"]) == 1
    assert (
        data["items"][0]["text"].startswith("Просрочено") and "Second" in data["items"][0]["text"]
    )
    data = client.get("/api/v1/notifications", {"unread": "true"}, **_auth(token)).json()
    assert [i["text"] for i in data["items"]] == [data["items"][0]["text"]] and data["count"] == 1
    data = client.get("/api/v1/notifications", {"lang": "en"}, **_auth(token)).json()
    item = next(i for i in data["items"] if i["id"] == first.pk)
    assert item["text"].startswith("Overdue") and item["url"] == "/en/plans/recommendations/1/"
    assert item["family"] == "plans" and item["read_at"] is not None
    # The session works for reading too.
    client.force_login(user)
    assert client.get("/api/v1/notifications").json()["count"] == 2


def test_mark_read_mine_only(client, reader):
    user, token = reader
    mine = note(user)
    theirs = note(UserFactory())
    response = client.post(f"/api/v1/notifications/{mine.pk}/read", **_auth(token))
    assert response.status_code == 200 and response.json()["read_at"] is not None
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read", **_auth(token)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    note(user)
    note(user)
    response = client.post("/api/v1/notifications/read-all", **_auth(token))
    assert response.json() == {"marked": 2}
    assert client.post("/api/v1/notifications/read-all", **_auth(token)).json() == {"marked": 0}


def test_settings_read_and_write(client, reader):
    user, token = reader
    data = client.get("/api/v1/notifications/settings", **_auth(token)).json()
    assert data["digest"] == "daily" and data["muted"] == [] and "plans" in data["families"]
    response = client.put(
        "/api/v1/notifications/settings",
        {"digest": "weekly", "weekday": 3, "muted": ["events"]},
        content_type="application/json",
        **_auth(token),
    )
    assert response.status_code == 200 and response.json()["weekday"] == 3
    pref = NotificationPreference.objects.get(user=user)
    assert (pref.digest, pref.weekday, pref.muted) == ("weekly", 3, ["events"])
    for bad in (
        {"digest": "hourly"},
        {"digest": "weekly", "weekday": 7},
        {"digest": "daily", "muted": ["spam"]},
    ):
        response = client.put(
            "/api/v1/notifications/settings", bad, content_type="application/json", **_auth(token)
        )
        assert response.status_code == 422, bad
    pref.refresh_from_db()
    assert (pref.digest, pref.weekday, pref.muted) == ("weekly", 3, ["events"])
