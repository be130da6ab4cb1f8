from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from aimak.core.backup import BackupError, backup_write, default_backup_path


class Command(BaseCommand):
    help = (
        "Write every row of the database (registry, services, accounts, memberships, "
        "history) to one gzip'd JSON file that `restore` reads back, on SQLite or "
        "PostgreSQL. Default file: var/backups/aimak-<date>-<time>.json.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="File to write (.json.gz).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, path, database, **options):
        target = Path(path) if path else default_backup_path(settings.VAR_DIR)
        try:
            header = backup_write(path=target, using=database)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(header["counts"].values())
        self.stdout.write(
            f"Wrote {target}: {rows} rows from {len(header['counts'])} tables "
            f"({header['database_vendor']}, Aimak {header['app_version']})."
        )
