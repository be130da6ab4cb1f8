"""Background jobs of notifications (django.tasks): the digests, for a scheduler that
enqueues rather than runs them (`manage.py send_digests --enqueue`)."""

from __future__ import annotations

from django.tasks import task


@task
def send_digests_job(period: str) -> dict[str, int]:
    """Send the due digests of `period` ("daily" or "weekly"); safe to run twice."""
    from .services import send_digests

    run = send_digests(period=period)
    return {"sent": run.sent, "empty": run.empty, "failed": run.failed}
