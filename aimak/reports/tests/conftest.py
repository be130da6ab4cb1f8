import pytest

from aimak.demo.seed import DEMO_ROUND_KEY


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Report files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_round(db):
    from aimak.surveys.models import Round

    return Round.objects.select_related("municipality", "version").get(key=DEMO_ROUND_KEY)


@pytest.fixture
def make_report(django_capture_on_commit_callbacks, demo_user):
    """Request a report as the demo staff and run its job (the immediate backend)."""
    from aimak.reports.services import report_request

    def make(round, kind="analytical_pdf", language="ky", user=None):
        with django_capture_on_commit_callbacks(execute=True):
            report, _created = report_request(
                round=round, kind=kind, language=language, user=user or demo_user("staff")
            )
        report.refresh_from_db()
        return report

    return make
