from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, no_translations

from aimak.accounts.selectors import memberships_in_ended_municipalities
from aimak.territories.loader import RegistryFileError
from aimak.territories.services import territories_load

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "territories" / "units.csv"


class Command(BaseCommand):
    help = (
        "Load the territorial registry from a SOATE CSV file (units.csv format). Atomic and "
        "idempotent: a bad file changes nothing; the same file twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_FILE))
        parser.add_argument("--label", default="", help="What this file is, kept with the load.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Apply a file even if this exact file was loaded before.",
        )
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="Accept a file that lists only part of the country.",
        )

    # The command's own report is English: keep the loader's problems in the same language
    # rather than mixing them, in whatever language happens to be active, into it.
    @no_translations
    def handle(self, *args, path, label, allow_partial, force, **options):
        try:
            result = territories_load(
                path=Path(path), label=label, allow_partial=allow_partial, force=force
            )
        except RegistryFileError as exc:
            raise CommandError(
                "Nothing was loaded:\n"
                + "\n".join(f"  - {p}" for p in exc.problems[:50])
                + (f"\n  … and {len(exc.problems) - 50} more" if len(exc.problems) > 50 else "")
            ) from exc
        if result.already_loaded is not None:
            self.stdout.write(
                f"Nothing to do: this exact file was loaded on "
                f"{result.already_loaded.loaded_at:%Y-%m-%d %H:%M}. Use --force to apply it again."
            )
            return
        if result.load is None:
            self.stdout.write(f"No changes: {result.unchanged} units already as in {path}.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {path}: {result.created} added, {result.updated} changed, "
                    f"{result.unchanged} unchanged."
                )
            )
        if result.missing:
            self.stdout.write(
                f"{len(result.missing)} current units of the registry are not in the file and "
                f"were left as they are (first: {', '.join(result.missing[:5])})."
            )
        stranded = list(memberships_in_ended_municipalities())
        if stranded:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(stranded)} active roles are in municipalities that have ended; move "
                    "them to the successor on the memberships page:"
                )
            )
            for membership in stranded[:20]:
                unit = membership.municipality
                successor = unit.successor.code if unit and unit.successor else "—"
                self.stdout.write(
                    f"  {membership.user.username}: {membership.role} in "
                    f"{unit.code if unit else ''} (successor {successor})"
                )
