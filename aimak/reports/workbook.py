"""Every table of the report as an XLSX workbook (openpyxl): a sheet about the round (facts,
findings, method), one sheet per table of the analytical report with numbers kept as
numbers (an interval as two columns), and the open-data long table of every estimate and
group (aimak.results.opendata). Text that a spreadsheet would run as a formula is written
with a leading apostrophe, as in open data."""

from __future__ import annotations

import io
import re
from typing import Any

from django.utils.translation import gettext as _

from aimak.results.compute import RoundResults
from aimak.results.opendata import HEADER, result_rows, safe_text

from .content import Bullets, Document, Heading, Paragraph, Table

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _text(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


def _number(value: Any) -> Any:
    return None if value is None else round(float(value), 1)


def _sheet_name(index: int, key: str, used: set[str]) -> str:
    name = SHEET_NAME.sub(" ", f"{index:02d} {key}")[:31].strip()
    while name.lower() in used:
        name = name[:28] + f"~{len(used)}"
    used.add(name.lower())
    return name


def _rows(table: Table) -> tuple[list[str], list[list[Any]]]:
    header: list[str] = []
    for column in table.columns:
        if column.kind == "ci":
            lower, upper = _("lower bound"), _("upper bound")
            header += [f"{column.label}: {lower}", f"{column.label}: {upper}"]
        else:
            header.append(column.label)
    rows = []
    for row in table.rows:
        out: list[Any] = []
        for value, column in zip(row, table.columns, strict=True):
            if column.kind == "ci":
                low, high = value if value else (None, None)
                out += [_number(low), _number(high)]
            elif column.kind == "text":
                out.append(_text(value))
            elif column.kind == "int":
                out.append(value)
            else:
                out.append(_number(value))
        rows.append(out)
    return header, rows


def tables_xlsx(document: Document, results: RoundResults) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    about = workbook.active
    about.title = _("About this report")[:31]
    bold = Font(bold=True)
    about.append([_text(document.title)])
    about["A1"].font = Font(bold=True, size=14)
    about.append([_text(document.subtitle)])
    about.append([])
    for key, value in document.facts:
        about.append([_text(key), _text(value)])
        about.cell(row=about.max_row, column=1).font = bold
    for block in document.blocks:
        if isinstance(block, Heading):
            about.append([])
            about.append([_text(block.text)])
            about.cell(row=about.max_row, column=1).font = bold
        elif isinstance(block, Paragraph):
            about.append([_text(block.text)])
        elif isinstance(block, Bullets):
            for item in block.items:
                about.append([_text("• " + item)])
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 80

    used = {about.title.lower()}
    for index, table in enumerate(document.tables, start=1):
        sheet = workbook.create_sheet(_sheet_name(index, table.key or table.title, used))
        sheet.append([_text(table.title)])
        sheet["A1"].font = bold
        header, rows = _rows(table)
        sheet.append([_text(h) for h in header])
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            sheet.append(row)
        if table.note:
            sheet.append([])
            sheet.append([_text(table.note)])
        sheet.column_dimensions["A"].width = 40
        sheet.freeze_panes = "B3"

    estimates = workbook.create_sheet(
        _sheet_name(len(document.tables) + 1, _("All estimates"), used)
    )
    estimates.append(HEADER)
    for row in result_rows(results):
        estimates.append([_text(v) for v in row])
    estimates.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
