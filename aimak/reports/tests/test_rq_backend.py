"""The Redis-backed backend (RQ) against the real Redis on 127.0.0.1:6379: a report requested
through it waits in Redis until a worker (here in burst mode, in this process so that it
sees the test's database) makes it. Skipped, with the reason, where no Redis answers."""

import os

import pytest
from django.core.management import call_command
from django.tasks import task, task_backends
from django.test import override_settings

from aimak.reports.models import Report, ReportStatus
from aimak.reports.rq_backend import RQBackend
from aimak.reports.services import report_request
from aimak.reports.tasks import report_job

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
RQ_TASKS = {
    "default": {
        "BACKEND": "aimak.reports.rq_backend.RQBackend",
        "OPTIONS": {"REDIS_URL": REDIS_URL},
    }
}


def redis_or_skip():
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except (RedisError, OSError) as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL} ({exc}); the RQ backend is untested here")


@pytest.fixture
def rq_settings():
    redis_or_skip()
    with override_settings(TASKS=RQ_TASKS):
        backend = task_backends["default"]
        assert isinstance(backend, RQBackend)
        queue = backend.queue("default")
        queue.empty()
        yield backend
        queue.empty()


@pytest.mark.django_db
def test_a_report_waits_in_redis_until_a_worker_makes_it(
    rq_settings, demo_round, demo_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = report_request(
            round=demo_round, kind="scorecard_pdf", language="ru", user=demo_user("staff")
        )
    report.refresh_from_db()
    assert created and report.status == ReportStatus.QUEUED
    assert report.task_id
    assert rq_settings.queue("default").count == 1
    result = report_job.get_result(report.task_id)
    assert result.status == "READY"

    # A worker in burst mode: takes what is queued, runs it here, stops when empty.
    call_command("rq_worker", "--burst", "--simple")

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.get_error_display()
    assert report.file.read().startswith(b"%PDF")
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.worker_ids


@task
def boom() -> None:
    raise RuntimeError("boom")


@pytest.mark.django_db
def test_a_job_that_raises_is_failed_with_its_traceback(rq_settings):
    result = boom.enqueue()
    call_command("rq_worker", "--burst", "--simple")
    result.refresh()
    assert result.status == "FAILED"
    assert "RuntimeError: boom" in result.errors[0].traceback


@pytest.mark.django_db
def test_a_job_for_a_report_deleted_meanwhile_does_nothing(rq_settings):
    result = report_job.enqueue(-1)
    call_command("rq_worker", "--burst", "--simple")
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert Report.objects.count() == 0
