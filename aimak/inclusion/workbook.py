"""Reading a local budget workbook (.xlsx): checks, header recognition, lines.

Values only: the workbook is opened with openpyxl in read-only mode with `data_only=True`,
so a formula cell gives the value Excel or LibreOffice saved with it (a total computed by
`=SUM(...)` reads as its number) and no formula is ever evaluated here. A file written by a
program that saved formulas without their values would read as blanks: such cells are
found (by a second, formula-reading pass over the same sheet) and refused with their
address, asking to open and save the file in a spreadsheet program first.

Nothing here writes to the database; services.budget_import stores what this reads.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
FIELDS = ("code", "name", "section", "planned", "executed")
REQUIRED = ("name", "planned")

# Words that recognise a column, in ru/ky/en; checked in this order, each field once.
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("executed", ("исполн", "аткарыл", "факт", "executed", "actual", "execution")),
    ("code", ("код", "code", "классификац")),
    ("section", ("раздел", "бөлүм", "болум", "section", "функц")),
    ("planned", ("план", "сумма", "утвержд", "бекитил", "каражат", "planned", "amount", "сом")),
    ("name", ("наименован", "аталыш", "аты", "статья", "берене", "name", "line", "расход")),
)
TOTAL_WORDS = ("итого", "всего", "жыйынтыгы", "бардыгы", "total")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?"')
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


@dataclass
class Inspection:
    sheet: str
    header_row: int  # 1-based
    headers: list[str]
    suggestion: dict[str, int]  # field -> 0-based column
    preview: list[list[str]] = field(default_factory=list)


@dataclass
class Line:
    position: int
    code: str
    name: str
    section: str
    planned: Decimal
    executed: Decimal | None


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def size_refusal(size: int) -> str | None:
    if size > MAX_BYTES:
        return _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
            "size": f"{size / 1024 / 1024:.1f}",
            "limit": MAX_BYTES // 1024 // 1024,
        }
    return None


def check_bytes(data: bytes) -> None:
    """Refuse what cannot be a budget workbook, before openpyxl sees it."""
    if not data:
        raise ValidationError(_("The file is empty."))
    refusal = size_refusal(len(data))
    if refusal:
        raise ValidationError(refusal)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ValidationError(
                _(
                    "The file is protected with a password. Open it, remove the password "
                    "and save a copy without it, then upload that copy."
                )
            )
        raise ValidationError(
            _("This is an old Excel workbook (.xls). Save it as .xlsx and upload that file.")
        )
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(
            _("This is not an Excel workbook (.xlsx). Save the budget as .xlsx and upload it.")
        )


def _damaged() -> ValidationError:
    return ValidationError(
        _(
            "The file is damaged or incomplete. Open it in Excel or LibreOffice, save it again and upload the new copy."
        )
    )


def _open(data: bytes, *, values: bool) -> Any:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=values)
    except KeyError as error:
        raise ValidationError(
            _("This ZIP archive is not an Excel workbook. Upload the budget as .xlsx.")
        ) from error
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ParseError) as error:
        raise _damaged() from error
    except Exception as error:  # openpyxl raises many kinds for a broken package
        raise _damaged() from error


def _merged(workbook: Any, worksheet: Any) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col) of each merged range, 1-based rows and
    0-based columns, read from the sheet's XML (read-only mode does not expose them)."""
    path = getattr(worksheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if not path or archive is None:
        return []
    with archive.open(path) as source:
        xml = source.read()
    ranges = []
    for m in _MERGE.finditer(xml):
        c1, r1 = _column_index(m.group(1).decode()), int(m.group(2))
        c2 = _column_index(m.group(3).decode()) if m.group(3) else c1
        r2 = int(m.group(4)) if m.group(4) else r1
        ranges.append((r1, c1, r2, c2))
    return ranges


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip()


def _rows(
    data: bytes, *, values: bool
) -> tuple[str, list[list[Any]], list[tuple[int, int, int, int]]]:
    workbook = _open(data, values=values)
    try:
        if not workbook.sheetnames:
            raise ValidationError(_("The workbook has no sheets."))
        worksheet = workbook[workbook.sheetnames[0]]
        worksheet.reset_dimensions()
        merged = _merged(workbook, worksheet) if values else []
        rows: list[list[Any]] = []
        try:
            for row in worksheet.iter_rows(values_only=True):
                rows.append(list(row))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ParseError) as error:
            raise _damaged() from error
        return workbook.sheetnames[0], rows, merged
    finally:
        workbook.close()


def suggest(headers: list[str]) -> dict[str, int]:
    taken: dict[str, int] = {}
    used: set[int] = set()
    for name, words in HEADER_WORDS:
        for index, header in enumerate(headers):
            if index in used:
                continue
            folded = _fold(header)
            if folded and any(word in folded for word in words):
                taken[name] = index
                used.add(index)
                break
    return taken


def inspect(data: bytes) -> Inspection:
    """Find the header row (the first of the first 20 rows where a name and an amount
    column are recognised) and propose the columns."""
    check_bytes(data)
    sheet, rows, _merged_ranges = _rows(data, values=True)
    if not any(any(_text(v) for v in row) for row in rows):
        raise ValidationError(_("The first sheet of the workbook is empty."))
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        headers = [_text(v) for v in row]
        guess = suggest(headers)
        if all(f in guess for f in REQUIRED):
            preview = [[_text(v) for v in r] for r in rows[number : number + 5]]
            return Inspection(sheet, number, headers, guess, preview)
    # No recognisable header: offer the first non-empty row, the user maps by hand.
    for number, row in enumerate(rows, start=1):
        if any(_text(v) for v in row):
            headers = [_text(v) for v in row]
            preview = [[_text(v) for v in r] for r in rows[number : number + 5]]
            return Inspection(sheet, number, headers, suggest(headers), preview)
    raise ValidationError(_("The first sheet of the workbook is empty."))  # pragma: no cover


def parse_amount(value: Any) -> Decimal:
    """A number as typed in ru/ky spreadsheets: '1 234 567,50', '1,234,567.50', 1234.5."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    text = _SPACES.sub("", str(value)).replace("сом", "").replace("som", "")
    if not text:
        raise ValueError
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        if text.count(",") == 1 and len(tail) != 3:
            text = head + "." + tail
        else:
            text = text.replace(",", "")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise ValueError from error


def _is_total(name: str) -> bool:
    folded = _fold(name)
    return any(folded.startswith(word) for word in TOTAL_WORDS)


def read_lines(data: bytes, *, header_row: int, mapping: dict[str, int]) -> list[Line]:
    """Every line of the sheet under the header, or ValidationError listing every problem
    with its cell. Rows with a name and no amount are section headings (when no section
    column is mapped); rows whose name starts with "Итого"/"Всего"/"Жыйынтыгы"/"Total"
    are totals and skipped, so they are not counted twice."""
    check_bytes(data)
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        raise ValidationError(_("Choose the column of the line name and of the planned amount."))
    if len(set(mapping.values())) != len(mapping):
        raise ValidationError(_("Each column can be used for one field only."))
    _sheet, rows, merged = _rows(data, values=True)
    columns = set(mapping.values())
    problems: list[str] = []
    for r1, c1, r2, c2 in merged:
        if r2 > header_row and any(c1 <= c <= c2 for c in columns):
            problems.append(
                _("Cells %(range)s are merged. Unmerge them and repeat the value in each row.")
                % {"range": f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"}
            )
    if problems:
        raise ValidationError(problems)
    formula_rows: list[list[Any]] | None = None

    def formulas() -> list[list[Any]]:
        nonlocal formula_rows
        if formula_rows is None:
            formula_rows = _rows(data, values=False)[1]
        return formula_rows

    def cell(row: list[Any], name: str) -> Any:
        index = mapping.get(name)
        return row[index] if index is not None and index < len(row) else None

    lines: list[Line] = []
    section = ""
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        name = _text(cell(row, "name"))
        if _is_total(name):
            continue
        raw_planned = cell(row, "planned")
        if raw_planned is None:
            index = mapping["planned"]
            source = formulas()[number - 1] if number - 1 < len(formulas()) else []
            if (
                index < len(source)
                and isinstance(source[index], str)
                and source[index].startswith("=")
            ):
                problems.append(
                    _(
                        "Cell %(cell)s holds a formula without a saved value. Open the file "
                        "in Excel or LibreOffice, save it, and upload it again."
                    )
                    % {"cell": f"{column_letter(index)}{number}"}
                )
                continue
        if not name and (raw_planned is None or _text(raw_planned) == ""):
            continue
        if raw_planned is None or _text(raw_planned) == "":
            if "section" not in mapping:
                section = name[:300]
                continue
            problems.append(
                _("Row %(row)s: “%(name)s” has no planned amount.") % {"row": number, "name": name}
            )
            continue
        if not name:
            problems.append(_("Row %(row)s: the line has no name.") % {"row": number})
            continue
        try:
            planned = parse_amount(raw_planned)
        except ValueError:
            problems.append(
                _("Cell %(cell)s: “%(value)s” is not an amount.")
                % {
                    "cell": f"{column_letter(mapping['planned'])}{number}",
                    "value": _text(raw_planned),
                }
            )
            continue
        executed: Decimal | None = None
        raw_executed = cell(row, "executed")
        if raw_executed is not None and _text(raw_executed) != "":
            try:
                executed = parse_amount(raw_executed)
            except ValueError:
                problems.append(
                    _("Cell %(cell)s: “%(value)s” is not an amount.")
                    % {
                        "cell": f"{column_letter(mapping['executed'])}{number}",
                        "value": _text(raw_executed),
                    }
                )
                continue
        lines.append(
            Line(
                position=number,
                code=_text(cell(row, "code"))[:40],
                name=name[:500],
                section=(_text(cell(row, "section")) if "section" in mapping else section)[:300],
                planned=planned,
                executed=executed,
            )
        )
    if problems:
        raise ValidationError(problems[:50])
    if not lines:
        raise ValidationError(_("No budget lines were found under the header row."))
    return lines
