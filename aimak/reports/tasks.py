"""Background jobs of the reports app (django.tasks: the database backend by default, run by
`manage.py db_worker`; Redis with RQBackend, run by `manage.py rq_worker`; tests and the demo
run them at once)."""

from __future__ import annotations

from django.tasks import task


@task
def report_job(report_id: int) -> None:
    """Make one queued report (services.report_build); idempotent."""
    from .services import report_build

    report_build(report_id=report_id)
