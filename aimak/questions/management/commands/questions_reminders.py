"""Remind the routed expert and the content administrators about the 24-hour clock."""

from typing import Any

from django.core.management.base import BaseCommand

from aimak.questions.services import questions_send_reminders


class Command(BaseCommand):
    help = (
        "Notify about questions with four hours or less left, and about breached ones "
        "(each once). Run every 15 minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = questions_send_reminders()
        self.stdout.write(f"due soon: {sent['due_soon']}, breached: {sent['breached']}")
