from django.core.management.base import BaseCommand, no_translations

from aimak.demo.seed import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create the demo municipality (Ак-Коргон) and one demo account per role. Idempotent."

    @no_translations  # the console report is in English, whatever the default language
    def handle(self, *args, **options):
        accounts = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready (all of it is marked DEMO)."))
        self.stdout.write(f"Sign in at /accounts/login/ with the password {DEMO_PASSWORD} as:")
        width = max(len(role) for _username, role, _where in accounts)
        for username, role, where in accounts:
            self.stdout.write(f"  {username:<18} {role:<{width}}  {where}")
