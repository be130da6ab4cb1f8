"""Import interviews from a CSV or XLSX file into a round, for scripted use.

    manage.py crc_import <round id> <file> [--key COLUMN] [--map HEADER=QUESTION ...]
        [--encoding cp1251] [--sheet NAME] [--user USERNAME] [--dry-run]

The same reading, matching and checking as the import pages (importing.py). Columns are
matched automatically; --map corrects one column (an empty question leaves it out). The
report lists every problem with its row, column and value. Every row is imported, or none;
the exit code is 1 when the file has problems or cannot be read. --dry-run checks the file
and stores nothing.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from aimak.surveys.collection import version_checker
from aimak.surveys.importing import (
    FileRefused,
    Layout,
    PassResult,
    already_imported,
    already_imported_message,
    file_inspect,
    file_sha256,
    import_settings_set,
    import_start,
    import_upload,
    mapping_errors,
    mapping_suggest,
    path_opener,
    run_pass,
)
from aimak.surveys.models import InterviewImport, Round


class Command(BaseCommand):
    help = "Import interviews from a CSV or XLSX file (KoboToolbox/ODK exports too) into a round."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("round", type=int, help="The round's id")
        parser.add_argument("file", help="A CSV or XLSX file")
        parser.add_argument("--key", default=None, help="The column identifying an interview")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=QUESTION",
            help="Match a column to a question (empty: leave the column out); repeatable",
        )
        parser.add_argument("--encoding", default="", help="utf-8, cp1251, cp1252 or utf-16")
        parser.add_argument("--sheet", default="", help="The sheet of an XLSX workbook")
        parser.add_argument("--user", default="", help="Recorded as who entered the interviews")
        parser.add_argument("--dry-run", action="store_true", help="Check only; store nothing")
        parser.add_argument("--language", default="en", help="Language of the report: ky, ru, en")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        round = (
            Round.objects.select_related("version", "municipality")
            .filter(pk=options["round"])
            .first()
        )
        if round is None:
            raise CommandError(f"There is no round {options['round']}.")
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"There is no file {path}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user {options['user']}.")
        overrides: dict[str, str] = {}
        for item in options["map"]:
            header, sep, question = item.partition("=")
            if not sep:
                raise CommandError(f"--map needs HEADER=QUESTION, not {item!r}.")
            overrides[header.strip()] = question.strip()

        with open(path, "rb") as handle:
            sha = file_sha256(iter(lambda: handle.read(1 << 20), b""))
        earlier = already_imported(round=round, sha256=sha)
        if earlier is not None:
            self.stdout.write(already_imported_message(earlier))
            return

        try:
            if options["dry_run"]:
                result = self._dry_run(round, path, options, overrides)
                self._problems(result.problems, result.problem_count)
                if result.problem_count:
                    raise CommandError(
                        f"Problems: {result.problem_count}; nothing would be imported."
                    )
                self.stdout.write(
                    f"Dry run: {result.new} new interviews, {result.duplicates} duplicates; "
                    "nothing stored."
                )
                return
            with open(path, "rb") as handle:
                batch = import_upload(
                    round=round,
                    file=File(handle, name=os.path.basename(path)),
                    user=user,
                    encoding=options["encoding"],
                    sheet=options["sheet"],
                )
            if overrides or options["key"] is not None:
                batch = import_settings_set(
                    batch=batch,
                    mapping={**batch.mapping, **overrides},
                    key_column=batch.key_column if options["key"] is None else options["key"],
                    user=user,
                )
            self._describe(Layout.from_json(batch.layout), batch.mapping, batch.key_column)
            batch = import_start(batch=batch, user=user, background=False)
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        self._problems(batch.problems, batch.problem_count)
        if batch.status != InterviewImport.Status.DONE:
            raise CommandError(batch.message)
        self.stdout.write(self.style.SUCCESS(batch.message))

    def _dry_run(
        self, round: Round, path: str, options: dict[str, Any], overrides: dict[str, str]
    ) -> PassResult:
        opener = path_opener(path)
        layout = file_inspect(
            opener,
            size=os.path.getsize(path),
            encoding=options["encoding"],
            sheet=options["sheet"],
        )
        checker = version_checker(round.version)
        suggestion = mapping_suggest(layout, checker)
        mapping = {**suggestion.mapping, **overrides}
        key_column = suggestion.key_column if options["key"] is None else options["key"]
        errors = mapping_errors(
            mapping=mapping, key_column=key_column, layout=layout, checker=checker
        )
        if errors:
            raise FileRefused(errors)
        self._describe(layout, mapping, key_column)
        return run_pass(
            round=round,
            layout=layout,
            mapping=mapping,
            key_column=key_column,
            opener=opener,
        )

    def _describe(self, layout: Layout, mapping: dict[str, str], key_column: str) -> None:
        if layout.format == "xlsx":
            self.stdout.write(f"Excel workbook, sheet {layout.sheet!r}, {layout.rows} rows")
        else:
            self.stdout.write(
                f"CSV in {layout.encoding}, delimiter {layout.delimiter!r}, {layout.rows} rows"
            )
        for key in layout.headers:
            self.stdout.write(f"  {key} -> {mapping.get(key) or '(left out)'}")
        self.stdout.write(f"Key column: {key_column or '(none: identical rows count as one)'}")

    def _problems(self, problems: list[list[Any]], count: int) -> None:
        if not count:
            return
        self.stdout.write("row\tcolumn\tvalue\tproblem")
        for row, column, value, message in problems:
            self.stdout.write(f"{row}\t{column}\t{value}\t{message}")
        if count > len(problems):
            self.stdout.write(f"… and {count - len(problems)} more problems.")
