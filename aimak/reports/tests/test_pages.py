"""The reports page of a round: request, follow, download; who may do what."""

import pytest

from aimak.accounts.models import Role
from aimak.reports.models import Report, ReportStatus
from aimak.surveys.models import RoundStatus
from aimak.surveys.rounds import round_advance
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def page(round, lang="en"):
    return f"/{lang}/reports/rounds/{round.pk}/"


@pytest.fixture
def published(demo_round, demo_user):
    monitor = demo_user("monitor")
    round_advance(round=demo_round, to_status=RoundStatus.CLOSED, user=monitor)
    return round_advance(round=demo_round, to_status=RoundStatus.PUBLISHED, user=monitor)


def test_the_round_page_links_the_reports(client, demo_user, demo_round):
    client.force_login(demo_user("staff"))
    html = client.get(f"/en/surveys/rounds/{demo_round.pk}/").content.decode()
    assert f'href="/en/reports/rounds/{demo_round.pk}/"' in html
    assert "Make and download the round's reports" in html


def test_staff_request_a_report_and_download_it(
    client, demo_user, demo_round, django_capture_on_commit_callbacks
):
    client.force_login(demo_user("staff"))
    html = client.get(page(demo_round)).content.decode()
    assert "Make a report" in html
    assert html.count('name="language"') == 12  # four kinds × three languages
    assert "No report has been made for this round yet." in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/reports/rounds/{demo_round.pk}/request/",
            {"kind": "scorecard_pdf", "language": "ky"},
            follow=True,
        )
        assert "is being made; this page shows its progress" in response.content.decode()
        assert "Waiting for the background worker: 0%" in response.content.decode()
    html = client.get(page(demo_round)).content.decode()
    report = Report.objects.get(round=demo_round)
    assert report.status == ReportStatus.DONE
    assert f'href="/en/reports/{report.pk}/download/"' in html
    assert "Made from 120 interviews." in html
    download = client.get(f"/en/reports/{report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "aimak-round-" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Asked again on the same interviews: the same report.
    response = client.post(
        f"/en/reports/rounds/{demo_round.pk}/request/",
        {"kind": "scorecard_pdf", "language": "ky"},
        follow=True,
    )
    assert "already made from the same interviews" in response.content.decode()
    assert Report.objects.filter(round=demo_round).count() == 1


def test_a_report_being_made_shows_progress_and_polls(client, demo_user, demo_round):
    client.force_login(demo_user("monitor"))
    client.post(
        f"/en/reports/rounds/{demo_round.pk}/request/",
        {"kind": "analytical_pdf", "language": "ru"},
    )  # the on-commit hook does not run here: the job waits for a worker
    report = Report.objects.get(round=demo_round)
    Report.objects.filter(pk=report.pk).update(status="running", progress=40, step="charts")
    html = client.get(page(demo_round)).content.decode()
    assert "Drawing the charts: 40%" in html
    assert 'hx-trigger="every 2s"' in html
    assert '<meta http-equiv="refresh" content="5">' in html  # without JavaScript
    assert "Refresh" in html
    rows = client.get(f"/en/reports/rounds/{demo_round.pk}/list/", headers={"HX-Request": "true"})
    assert rows.status_code == 200
    assert 'id="report-rows"' in rows.content.decode()
    assert client.get(f"/en/reports/{report.pk}/download/").status_code == 404


def test_a_failed_report_says_why(client, demo_user, demo_round):
    client.force_login(demo_user("staff"))
    report = Report.objects.create(
        round=demo_round,
        kind="analytical_docx",
        language="ky",
        status=ReportStatus.FAILED,
        error="unexpected",
        data_key="x",
    )
    html = client.get(page(demo_round, "ru")).content.decode()
    assert "Отчёт не удалось составить из-за непредвиденной ошибки" in html
    assert "hx-trigger" not in html
    assert client.get(f"/ru/reports/{report.pk}/download/").status_code == 404


def test_another_municipality_may_not_see_request_or_download(
    client, demo_round, other_municipality, make_report
):
    report = make_report(demo_round, "scorecard_pdf", "ru")
    outsider = MembershipFactory(role=Role.STAFF, municipality=other_municipality).user
    client.force_login(outsider)
    assert client.get(page(demo_round)).status_code == 403
    response = client.post(
        f"/en/reports/rounds/{demo_round.pk}/request/", {"kind": "scorecard_pdf", "language": "ru"}
    )
    assert response.status_code == 403
    assert client.get(f"/en/reports/{report.pk}/download/").status_code == 403
    assert Report.objects.filter(round=demo_round).count() == 1


def test_an_enumerator_downloads_but_does_not_request(client, demo_user, demo_round, make_report):
    report = make_report(demo_round, "scorecard_pdf", "ru")
    client.force_login(demo_user("enumerator"))
    html = client.get(page(demo_round)).content.decode()
    assert "Make a report" not in html
    assert f"/en/reports/{report.pk}/download/" in html
    response = client.post(
        f"/en/reports/rounds/{demo_round.pk}/request/", {"kind": "scorecard_pdf", "language": "en"}
    )
    assert response.status_code == 403


def test_a_published_round_reports_are_public(client, published, make_report):
    report = make_report(published, "scorecard_pdf", "ky")
    Report.objects.create(round=published, kind="analytical_pdf", language="ky", data_key="y")
    html = client.get(page(published)).content.decode()
    assert "Make a report" not in html
    assert f"/en/reports/{report.pk}/download/" in html
    assert "Analytical report (PDF)" not in html  # only finished reports for the public
    assert client.get(f"/en/reports/{report.pk}/download/").status_code == 200


def test_an_unpublished_round_reports_are_not_public(client, demo_round, make_report):
    report = make_report(demo_round, "scorecard_pdf", "ky")
    assert client.get(page(demo_round)).status_code == 403
    assert client.get(f"/en/reports/{report.pk}/download/").status_code == 403
