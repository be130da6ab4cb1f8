from django.core.management.base import BaseCommand

from aimak.demo.seed import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create the demo municipality (Ак-Коргон) and one demo account per role. Idempotent."

    def handle(self, *args, **options):
        accounts = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready (all of it is marked DEMO)."))
        self.stdout.write(f"Demo accounts, all with the password: {DEMO_PASSWORD}")
        for username, role, where in accounts:
            self.stdout.write(f"  {username:<18} {role:<28} {where}")
