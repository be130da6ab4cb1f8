from django.core.management.base import BaseCommand

from aimak.events.services import events_send_reminders


class Command(BaseCommand):
    help = "Remind the registrants of tomorrow's events (each event once; safe to rerun)."

    def handle(self, *args, **options):
        sent = events_send_reminders()
        if options["verbosity"]:
            self.stdout.write(f"{sent} reminder(s) recorded.")
