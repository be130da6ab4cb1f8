from typing import Any

from django.core.management.base import BaseCommand

from aimak.plans.services import overdue_alerts_send


class Command(BaseCommand):
    help = (
        "Notify the responsible user and the municipality's staff of each overdue action "
        "(once per action and deadline)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = overdue_alerts_send()
        self.stdout.write(f"{sent} overdue action(s) alerted.")
