"""/healthz: for load balancers and monitors; never cached, never redirected."""

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200  # no /ky/ or /ru/ redirect
    assert response.json()["status"] == "ok"
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 200


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_healthz_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr("aimak.core.views.connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


def test_a_refusal_shows_its_reason_in_the_users_language(demo_user):
    """A 403 page says why, not Django's bare "403 Forbidden"."""
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/ru/")
    request.user = demo_user("staff")
    reason = "Этот раунд принадлежит другому муниципалитету."
    with translation.override("ru"):
        response = permission_denied(request, PermissionDenied(reason))
    body = response.content.decode()
    assert response.status_code == 403
    assert reason in body
    assert "Нет доступа" in body
