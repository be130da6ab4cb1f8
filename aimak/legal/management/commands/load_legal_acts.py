from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from aimak.legal.loader import DEFAULT_FILES, LegalActsFileError
from aimak.legal.services import legal_acts_load


class Command(BaseCommand):
    help = (
        "Load legal acts from JSON-lines files (data/legal-acts format). Atomic and "
        "idempotent: a bad file changes nothing; loading the same files twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", default=[str(p) for p in DEFAULT_FILES])

    @no_translations
    def handle(self, *args, paths, **options):
        try:
            result = legal_acts_load(paths=[Path(p) for p in paths])
        except LegalActsFileError as exc:
            raise CommandError(
                "Nothing was loaded:\n" + "\n".join(f"  - {p}" for p in exc.problems[:50])
            ) from exc
        self.stdout.write(
            f"Legal acts: {result.created} added, {result.updated} changed, "
            f"{result.unchanged} unchanged, {result.links} new links."
        )
