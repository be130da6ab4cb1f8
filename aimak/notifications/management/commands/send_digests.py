"""`manage.py send_digests --period daily|weekly`: e-mail the due digests (run it from cron;
see docs/notifications.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aimak.notifications.services import send_digests
from aimak.notifications.tasks import send_digests_job


class Command(BaseCommand):
    help = "Send the daily or weekly notification digests that are due now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Put a background job in the task queue instead of sending here.",
        )

    def handle(self, *args, period: str, enqueue: bool, **options) -> None:
        if enqueue:
            result = send_digests_job.enqueue(period)
            self.stdout.write(f"Enqueued {result.id}")
            return
        run = send_digests(period=period)
        self.stdout.write(
            f"{period}: {run.sent} sent, {run.empty} with nothing to send, {run.failed} failed"
        )
        if run.failed:
            raise CommandError(
                f"{run.failed} digest(s) failed; they stay unsent and are tried again next run."
            )
