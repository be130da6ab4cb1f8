"""Background jobs of the surveys app (django.tasks; the database backend in production,
run by `manage.py db_worker`; tests and the demo run them at once)."""

from __future__ import annotations

from django.tasks import task


@task
def import_job(import_id: int, user_id: int | None = None) -> None:
    """Check or import one interview file (importing.import_job_run); idempotent: a job
    that is no longer queued does nothing."""
    from .importing import import_job_run

    import_job_run(import_id=import_id, user_id=user_id)
