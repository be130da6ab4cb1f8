"""Background jobs of the events app (django.tasks)."""

from __future__ import annotations

from django.tasks import task


@task
def reminders_job() -> int:
    """Remind the registrants of tomorrow's events; idempotent (each event once)."""
    from .services import events_send_reminders

    return events_send_reminders()
