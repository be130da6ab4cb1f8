"""Background jobs of action plans (django.tasks); run daily by a scheduler, or the
commands `plans_alerts` and `plans_follow_ups`. Both are idempotent."""

from __future__ import annotations

from django.tasks import task


@task
def overdue_alerts_job() -> int:
    from .services import overdue_alerts_send

    return overdue_alerts_send()


@task
def follow_ups_job() -> int:
    from .services import follow_ups_ask

    return follow_ups_ask()
