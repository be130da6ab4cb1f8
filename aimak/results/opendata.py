"""Open data: a round's aggregated results as one long table (CSV and XLSX).

One row per estimate: service, question, group, indicator, choice, unweighted base and
count, estimate with its interval, the method and the flags. Individual answers are never
written. Cells with fewer respondents than the threshold are already blank (compute.suppress).
Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) is written with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from .compute import DIMENSION_LABELS, FLAG_LABELS, Cell, RoundResults

HEADER = [
    "round",
    "municipality",
    "service",
    "service_label",
    "question",
    "question_label",
    "breakdown",
    "group",
    "group_label",
    "indicator",
    "category",
    "category_label",
    "base_n",
    "count",
    "estimate",
    "ci_low",
    "ci_high",
    "method",
    "flags",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _number(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _cells(results: RoundResults) -> Iterator[tuple[Any, Any, Cell]]:
    for section in results.sections:
        for question in section.questions:
            for cell in [question.total, *question.groups]:
                yield section, question, cell


def result_rows(results: RoundResults) -> Iterator[list[Any]]:
    """The table's rows (labels in the active language), without the header."""
    for section, question, cell in _cells(results):
        group = cell.group
        for line in cell.lines():
            estimate = line.estimate
            yield [
                results.round_id,
                results.municipality,
                section.slug,
                section.label,
                question.name,
                question.label,
                "×".join(group.by),
                "|".join(group.key.values()),
                group.label,
                line.indicator,
                line.category,
                line.label if line.category else "",
                line.base,
                line.count,
                _number(estimate.value),
                _number(estimate.low),
                _number(estimate.high),
                estimate.method,
                " ".join(estimate.flags),
            ]


def to_csv(results: RoundResults, language: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    with translation.override(language):
        for row in result_rows(results):
            writer.writerow(
                [safe_text(v) if isinstance(v, str) else ("" if v is None else v) for v in row]
            )
    return buffer.getvalue()


def to_xlsx(results: RoundResults, language: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with translation.override(language):
        sheet = workbook.create_sheet(_("Results"))
        sheet.append(HEADER)
        for row in result_rows(results):
            sheet.append([safe_text(v) if isinstance(v, str) else v for v in row])
        about = workbook.create_sheet(_("About these figures"))
        for key, value in [
            (_("Round"), results.round_id),
            (_("Municipality"), results.municipality),
            (_("Interviews"), results.interviews),
            (_("Weighting"), results.weighting.note),
            (
                _("Breakdowns"),
                ", ".join(
                    " × ".join(str(DIMENSION_LABELS[d]) for d in b) for b in results.breakdowns if b
                ),
            ),
            (
                _("Suppression"),
                _("Cells with fewer than %(n)s respondents are left blank.")
                % {"n": results.min_cell},
            ),
            (
                _("Estimates"),
                _(
                    "Percentages of the base (base_n, unweighted), with 95 per cent confidence intervals."
                ),
            ),
            *[(flag, str(label)) for flag, label in FLAG_LABELS.items()],
        ]:
            about.append(
                [safe_text(str(key)), safe_text(str(value)) if isinstance(value, str) else value]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
