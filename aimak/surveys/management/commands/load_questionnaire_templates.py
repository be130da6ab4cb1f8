from django.core.management.base import BaseCommand

from aimak.surveys.services import questionnaire_templates_load


class Command(BaseCommand):
    help = (
        "Load the standard citizen report card templates, one per municipal service, in "
        "ky/ru/en. Idempotent: a changed template gets a new published version."
    )

    def handle(self, *args, **options):
        added, updated = questionnaire_templates_load()
        self.stdout.write(f"Questionnaire templates: {added} added, {updated} new versions.")
