"""Reports in the API: request (202), follow, download; permissions as on the pages."""

import pytest

from aimak.accounts.models import Role
from aimak.reports.models import Report
from tests.factories import MembershipFactory, api_token

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_request_follow_and_download_with_a_token(
    client, demo_user, demo_round, django_capture_on_commit_callbacks
):
    _token, raw = api_token(demo_user("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/rounds/{demo_round.pk}/reports",
            {"kind": "tables_xlsx", "language": "ru"},
            content_type="application/json",
            headers=bearer(raw),
        )
    assert response.status_code == 202
    body = response.json()
    assert body["created"] is True and body["kind"] == "tables_xlsx"
    state = client.get(f"/api/v1/reports/{body['id']}", headers=bearer(raw)).json()
    assert state["status"] == "done" and state["progress"] == 100
    assert state["interviews"] == 120 and state["outdated"] is False
    assert state["file"] == f"/api/v1/reports/{body['id']}/file"
    file = client.get(state["file"], headers=bearer(raw))
    assert file.status_code == 200
    assert file["Content-Type"].startswith("application/vnd.openxmlformats")
    again = client.post(
        f"/api/v1/rounds/{demo_round.pk}/reports",
        {"kind": "tables_xlsx", "language": "ru"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert again.status_code == 202 and again.json()["id"] == body["id"]
    assert again.json()["created"] is False
    listed = client.get(f"/api/v1/rounds/{demo_round.pk}/reports", headers=bearer(raw)).json()
    assert [r["id"] for r in listed] == [body["id"]]


def test_a_queued_report_is_202_with_its_progress(client, demo_user, demo_round):
    client.force_login(demo_user("monitor"))
    response = client.post(
        f"/api/v1/rounds/{demo_round.pk}/reports",
        {"kind": "analytical_pdf", "language": "ky"},
        content_type="application/json",
    )
    assert response.status_code == 202  # the session (the test client skips CSRF checks)
    _token, raw = api_token(demo_user("monitor"))
    response = client.post(
        f"/api/v1/rounds/{demo_round.pk}/reports",
        {"kind": "analytical_pdf", "language": "ky"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 202
    state = client.get(f"/api/v1/reports/{response.json()['id']}", headers=bearer(raw)).json()
    assert state["status"] == "queued" and state["file"] is None
    assert (
        client.get(f"/api/v1/reports/{response.json()['id']}/file", headers=bearer(raw)).status_code
        == 404
    )


def test_bad_kind_is_422(client, demo_user, demo_round):
    _token, raw = api_token(demo_user("staff"))
    response = client.post(
        f"/api/v1/rounds/{demo_round.pk}/reports?lang=en",
        {"kind": "poster", "language": "ky"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 422
    assert Report.objects.count() == 0


def test_another_municipality_is_403(client, demo_round, other_municipality, make_report):
    report = make_report(demo_round, "scorecard_pdf", "ky")
    _token, raw = api_token(
        MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    )
    response = client.post(
        f"/api/v1/rounds/{demo_round.pk}/reports",
        {"kind": "scorecard_pdf", "language": "ru"},
        content_type="application/json",
        headers=bearer(raw),
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/reports/{report.pk}", headers=bearer(raw)).status_code == 403
    assert client.get(f"/api/v1/reports/{report.pk}/file", headers=bearer(raw)).status_code == 403
    assert client.get(f"/api/v1/reports/{report.pk}/file").status_code == 403  # anonymous
    assert (
        client.post(
            f"/api/v1/rounds/{demo_round.pk}/reports",
            {"kind": "scorecard_pdf", "language": "ru"},
            content_type="application/json",
        ).status_code
        == 401
    )
