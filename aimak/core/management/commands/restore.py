from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from aimak.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a file written by `backup` in one transaction: into an empty (freshly "
        "migrated) database, or with --force after flushing every row. On any error "
        "nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete every row in the database first (same transaction).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, force, database, **options):
        try:
            loaded = backup_restore(path=Path(path), using=database, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {sum(loaded.values())} rows into {len(loaded)} tables from {path}."
        )
