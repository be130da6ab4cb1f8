"""The indicators as an XLSX workbook for a donor report (openpyxl, write-only)."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from .definitions import definitions
from .selectors import Scope, hearing_rows, indicators, mobilising_rows, policy_rows

EXPORT_LIMIT = 100_000


def _safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is written with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def indicators_xlsx(scope: Scope) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    data = indicators(scope)
    texts = definitions()
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet: Any, titles: list[str]) -> None:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    region = f"{scope.region.name} ({scope.region.code})" if scope.region else _("Kyrgyz Republic")
    sheet = workbook.create_sheet(_("Indicators"))
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["C"].width = 80
    sheet.append([_("Gender and social inclusion indicators (seed 002)")])
    sheet.append(
        [_("Period"), f"{formats.date_format(scope.start)} – {formats.date_format(scope.end)}"]
    )
    sheet.append([_("Region"), region])
    sheet.append([])
    header(sheet, [_("Indicator"), _("Value"), _("How this is counted")])
    p, h, m = data.policy, data.hearings, data.mobilising
    sheet.append([texts["policy"]["title"], p["in_force"], texts["policy"]["how"]])
    sheet.append(["  " + _("of which adopted during the period"), p["adopted"], ""])
    sheet.append([texts["hearings"]["title"], h["people"], texts["hearings"]["how"]])
    sheet.append(["  " + _("Women"), h["women"], ""])
    sheet.append(["  " + _("Men"), h["men"], ""])
    sheet.append(["  " + _("Sex not stated"), h["not_stated"], ""])
    for kind in h["by_kind"]:
        sheet.append(
            [
                f"  {kind['label']}: " + _("women / men / not stated"),
                f"{kind['women']} / {kind['men']} / {kind['not_stated']}",
                "",
            ]
        )
    sheet.append([texts["mobilising"]["title"], m["covered"], texts["mobilising"]["how"]])
    sheet.append(["  " + _("through events"), m["by_events"], ""])
    sheet.append(["  " + _("through report-card rounds"), m["by_rounds"], ""])
    sheet.append(["  " + _("municipalities in the region"), m["in_region"], ""])

    sheet = workbook.create_sheet(_("Policies"))
    header(
        sheet,
        [
            _("SOATE code"),
            _("Municipality"),
            _("Resolution"),
            _("Date"),
            _("Title"),
            _("Repealed on"),
            _("In force at the end of the period"),
        ],
    )
    for r in policy_rows(scope)[:EXPORT_LIMIT]:
        sheet.append(
            [
                r.municipality.code,
                r.municipality.name,
                _safe(r.number),
                r.date,
                _safe(r.title),
                r.repealed_on,
                _("yes") if getattr(r, "counted_in_force", 0) else _("no"),
            ]
        )

    sheet = workbook.create_sheet(_("Hearings"))
    header(
        sheet,
        [
            _("Date"),
            _("Event"),
            _("Kind"),
            _("SOATE code"),
            _("Municipality"),
            _("Women"),
            _("Men"),
            _("Sex not stated"),
        ],
    )
    for a in hearing_rows(scope)[:EXPORT_LIMIT]:
        sheet.append(
            [
                formats.date_format(a.event.starts_at),
                _safe(a.event.title),
                a.event.get_kind_display(),
                a.municipality.code,
                a.municipality.name,
                a.women,
                a.men,
                a.sex_not_stated,
            ]
        )

    sheet = workbook.create_sheet(_("Mobilisation"))
    header(
        sheet,
        [_("SOATE code"), _("Municipality"), _("Mobilising events"), _("Report-card rounds")],
    )
    for t in mobilising_rows(scope)[:EXPORT_LIMIT]:
        sheet.append([t.code, t.name, getattr(t, "n_events", 0), getattr(t, "n_rounds", 0)])

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
