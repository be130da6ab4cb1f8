from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile the project's .po catalogues to .mo with polib, so no system gettext is "
        "needed. Refuses catalogues with untranslated or fuzzy entries unless --allow-incomplete."
    )

    def add_arguments(self, parser):
        parser.add_argument("--allow-incomplete", action="store_true")

    def handle(self, *args, allow_incomplete, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                missing = len(catalogue.untranslated_entries()) + len(catalogue.fuzzy_entries())
                if missing and not allow_incomplete:
                    raise CommandError(f"{po_path}: {missing} entries untranslated or fuzzy.")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
