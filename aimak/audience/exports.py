"""Exports for the client-base administrator: the per-category table and the client base,
as CSV and XLSX. Text a spreadsheet would run as a formula (starting with = + - @, a tab or
a carriage return) is written with a leading apostrophe, as in the rest of Aimak."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from aimak.accounts.models import AudienceCategory, User

from .selectors import AudienceReport, CategoryRow

LANGUAGE_LABELS = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _mean(row: CategoryRow) -> float | None:
    value = row.satisfaction
    return None if value is None else round(value, 2)


def category_header(report: AudienceReport) -> list[str]:
    return [
        _("Audience category"),
        _("Registered users"),
        _("New in the period"),
        _("Active in the period"),
        *[
            str(s.label) if s.available else f"{s.label} ({_('not available')})"
            for s in report.sources
        ],
        _("Survey responses"),
        _("Satisfaction, mean (1–5)"),
        _("Satisfaction, number of marks"),
        *[_("Marks of %(n)s") % {"n": mark} for mark in range(1, 6)],
    ]


def category_rows(report: AudienceReport) -> Iterator[list[Any]]:
    for row in [*report.rows, report.total]:
        yield [
            str(row.label),
            row.registered,
            row.new,
            row.active,
            *[row.actions[s.key] for s in report.sources],
            row.responses,
            _mean(row),
            row.rated,
            *[n for _mark, n in row.distribution],
        ]


def needs_header() -> list[str]:
    return [_("Need"), _("All categories"), *[str(c.label) for c in AudienceCategory]]


def needs_rows(report: AudienceReport) -> Iterator[list[Any]]:
    yield [_("Respondents"), sum(report.needs_base.values()), *report.needs_base_cells]
    for need in report.needs:
        yield [need.label, need.total, *need.cells]


def client_header(*, with_email: bool) -> list[str]:
    return [
        _("Name"),
        *([_("E-mail")] if with_email else []),
        _("Audience category"),
        _("Organisation"),
        _("Language"),
        _("Joined"),
        _("Last signed in"),
    ]


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def client_rows(users: QuerySet[User], *, with_email: bool) -> Iterator[list[Any]]:
    labels = dict(AudienceCategory.choices)
    for user in users.iterator(chunk_size=2000):
        yield [
            user.display_name,
            *([user.email] if with_email else []),
            str(labels.get(user.audience_category, user.audience_category)),
            user.organisation,
            LANGUAGE_LABELS.get(user.preferred_language, user.preferred_language),
            _local(user.date_joined),
            _local(user.last_login),
        ]


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_safe(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    return out.getvalue()


def to_xlsx(sheets: list[tuple[str, list[str], Iterable[list[Any]]]], title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(name[:31])
        if title:
            sheet.append([_safe(title)])
            sheet.append([])
        cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=_safe(text))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def period_title(report: AudienceReport) -> str:
    return _("Audience of the portal, %(since)s – %(until)s") % {
        "since": formats.date_format(report.period.since),
        "until": formats.date_format(report.period.until),
    }
