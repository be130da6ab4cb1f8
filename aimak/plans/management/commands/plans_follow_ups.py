from typing import Any

from django.core.management.base import BaseCommand

from aimak.plans.services import follow_up_days, follow_ups_ask


class Command(BaseCommand):
    help = (
        "Ask the monitoring group and consenting contacts whether actions marked done "
        "PLANS_FOLLOW_UP_DAYS (21) days ago really are done (once per person)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override the setting.")

    def handle(self, *args: Any, days: int | None = None, **options: Any) -> None:
        asked = follow_ups_ask(days=days)
        self.stdout.write(f"{asked} follow-up question(s) asked ({days or follow_up_days()} days).")
