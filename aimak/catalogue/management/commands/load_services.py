from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from aimak.catalogue.services import services_load


class Command(BaseCommand):
    help = "Load the standard catalogue of municipal services (ky/ru/en). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(Path(settings.BASE_DIR) / "data" / "services.csv")
        )

    def handle(self, *args, path, **options):
        added, changed = services_load(path=Path(path))
        self.stdout.write(f"Services: {added} added, {changed} changed.")
