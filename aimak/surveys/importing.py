"""Importing interviews from files: CSV, XLSX and KoboToolbox / ODK exports.

One file becomes one `InterviewImport` of a round. The steps, each a service below:

1. `import_upload` keeps the original file with the round and reads its layout: the format
   (by content: an .xlsx is a ZIP archive holding xl/workbook.xml, anything else is read as
   text), the text encoding (UTF-8 with or without BOM; otherwise cp1251 or cp1252, whichever
   turns the bytes into words of one script), the delimiter (comma, semicolon or tab, by the
   field counts of the first rows), the header row, and the first rows as samples. It then
   matches columns to questions (`mapping_suggest`): by name, by the last part of Kobo's
   `group/question`, by label in ky/ru/en (Kobo's label headers too), and recognises Kobo's
   and ODK's metadata columns (`_uuid` identifies the interview, `end` or `_submission_time`
   is when it was completed, `start` when it began, the rest is left out) and the 0/1 columns
   Kobo adds per option of a multiple choice question. A file that cannot be read at all is
   refused with one clear message and nothing is kept.
2. `import_settings_set` stores the user's corrections: a question (or "leave out") per
   column, the key column, the encoding, the sheet.
3. `import_check` reads and checks the whole file and writes nothing: every problem with its
   row (as numbered in the file), column, value and what is wrong, and the first rows as they
   would be stored.
4. `import_start` reads, checks and writes again, in one transaction: every row or none.

Large files (more rows than settings.CRC_IMPORT_BACKGROUND_ROWS) are checked and imported by a
background task (tasks.py) that updates `rows_done` as it goes.

How one interview is identified, so that importing the same file again, or a file that
overlaps an earlier one, adds no duplicate: by the key column's value, a UUID as is (Kobo's
`_uuid`, ODK's `uuid:…` instance id, which the phone form and the API use too) or else a
UUID made from the round, the column's name and the value (a paper form's number); without a
key column, by a UUID made from the row's content (its clean answers and times), so two
identical rows count as one interview. A row whose interview is already in the round, or
that repeats an earlier row of the file, is counted as a duplicate and skipped.

Speed: rows are read, checked and written in chunks of CHUNK_ROWS, never held all at once.
Each column's cell text is parsed once per distinct value (a cache per question), and skip
conditions and constraints are evaluated once per distinct combination of the answers they
refer to. PostgreSQL receives the rows with COPY, other databases with bulk inserts.

Cells are stored as text, never evaluated: a CSV has no formulas, an .xlsx cell holding a
formula is refused ("type the value"), and text starting with = + - @ is kept as typed.
Every CSV Aimak writes (the problem report, the export of interviews) prefixes such cells
with an apostrophe so that a spreadsheet shows them as text instead of running them.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import uuid as uuid_module
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any, cast
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .answers import FORMULA_START, CompiledGroup, CompiledQuestion, FormChecker, parse_date
from .collection import round_check_collecting, version_checker, village_ids
from .definition import QuestionType
from .models import Interview, InterviewImport, InterviewSource, Round

Opener = Callable[[], IO[bytes]]

CHUNK_ROWS = 2000
PREVIEW_ROWS = 20
SAMPLE_ROWS = 5
MAX_KEPT_PROBLEMS = 2000
HEAD_BYTES = 64 * 1024
COUNT_XLSX_ROWS_UP_TO = 5 * 1024 * 1024  # smaller workbooks are counted exactly at upload

# Targets a column can have besides a question name ("" leaves the column out). A question
# name cannot start with "@", so these never clash with one.
STARTED = "@started"
COMPLETED = "@completed"
ENUMERATOR = "@enumerator"
SPECIAL_TARGETS = (STARTED, COMPLETED, ENUMERATOR)

ENCODINGS = ("utf-8", "cp1251", "cp1252", "utf-16")

# Columns KoboToolbox and ODK (Collect, Central) add to an export, folded to lower case.
KEY_HEADERS = ("_uuid", "meta/instanceid", "instanceid", "key")
COMPLETED_HEADERS = ("end", "_submission_time", "submissiondate")
STARTED_HEADERS = ("start",)
_META = """
    _id _uuid _submission_time _index _parent_index _parent_table_name _status _submitted_by
    __version__ _version_ _xform_id_string _validation_status _notes _tags _geolocation
    _attachments _media_count _total_media _media_all_received _duration start end today
    deviceid subscriberid simserial phonenumber username audit audit_url formhub/uuid
    meta/instanceid meta/deprecatedid meta/rootuuid meta/instancename meta/audit instanceid
    instancename submissiondate submitterid submittername attachmentspresent
    attachmentsexpected reviewstate devicedate edits formversion key status
    """
META_HEADERS = frozenset(_META.split())
ENUMERATOR_HEADERS = ("enumerator", "@enumerator")

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_WORD = re.compile(r"[^\W\d_]+")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')
_CELL_REF = re.compile(r"([A-Za-z]+)(\d+)")
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
IMPORT_NAMESPACE = uuid_module.UUID("3a0b5c2e-7f4d-4e8a-9c61-2d5f0e8b7a14")


class FileRefused(ValidationError):
    """The file cannot be read or imported as a whole; nothing was stored."""


class _Undecodable(FileRefused):
    """The bytes are not text in the encoding tried."""


class AlreadyImported(FileRefused):
    """This very file was imported into the round before (`earlier`)."""

    def __init__(self, message: str, earlier: InterviewImport) -> None:
        super().__init__(message)
        self.earlier = earlier


def max_bytes() -> int:
    return int(getattr(settings, "CRC_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def background_rows() -> int:
    return int(getattr(settings, "CRC_IMPORT_BACKGROUND_ROWS", 5000))


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def size_refusal(size: int) -> str | None:
    """The message for a file over the limit, else None."""
    if size > max_bytes():
        return _(
            "The file is larger than the limit of %(limit)s MB (it has %(size)s MB). Split it "
            "into smaller files, or leave out columns that are not answers."
        ) % {"limit": _megabytes(max_bytes()), "size": _megabytes(size)}
    return None


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def escape_cell(value: Any) -> str:
    """A value for a CSV cell that spreadsheets will not run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number - 1


# Reading files ---------------------------------------------------------------------------


@dataclass
class Layout:
    """What reading a file found; stored as JSON on the import."""

    format: str  # "csv" or "xlsx"
    encoding: str = ""
    encoding_auto: bool = True
    delimiter: str = ""
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)
    header_row: int = 1
    headers: list[str] = field(default_factory=list)  # unique column keys
    labels: list[str] = field(default_factory=list)  # the header cells as written
    rows: int = 0  # data rows (an estimate for a large workbook until it is checked)
    rows_exact: bool = True
    samples: list[list[str]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Record:
    number: int  # the row's number in the file (1 = the first row)
    values: list[Any]
    formulas: list[int] = field(default_factory=list)  # columns holding a formula


def _damaged() -> FileRefused:
    return FileRefused(
        _(
            "The file is damaged or incomplete (perhaps the upload or download was cut "
            "short). Open it in Excel or LibreOffice, save it again and upload the new copy."
        )
    )


def _encrypted(opener: Opener) -> bool:
    """An OLE2 file holding an encrypted Office package (its stream names are UTF-16)."""
    names = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
    tail = b""
    with opener() as raw:
        while chunk := raw.read(1024 * 1024):
            data = tail + chunk
            if any(name in data for name in names):
                return True
            tail = data[-40:]
    return False


def _kind(head: bytes, opener: Opener) -> str:
    """'xlsx' or 'text' by content; FileRefused for what cannot be an answer file."""
    if not head:
        raise FileRefused(_("The file is empty."))
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # An OLE2 compound file: an encrypted .xlsx keeps its package in a stream named
        # "EncryptedPackage" (names are UTF-16); anything else is an old .xls workbook.
        raise FileRefused(
            _(
                "The file is protected with a password. Open it, remove the password (in "
                "Excel: File › Info › Protect Workbook › Encrypt with Password, empty it) "
                "and save a copy without the password, then upload that copy."
            )
            if _encrypted(opener)
            else _(
                "This is an old Excel workbook (.xls). Save it as an Excel workbook (.xlsx) "
                "or as CSV, then upload that file."
            )
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    if head.startswith(b"%PDF") or b"\x00" in head[:4096]:
        raise FileRefused(
            _(
                "This is not a CSV file or an Excel workbook. Export the answers as CSV or "
                "XLSX (in KoboToolbox: Data › Downloads) and upload that file."
            )
        )
    return "text"


def _read_head(opener: Opener, size: int = HEAD_BYTES) -> bytes:
    with opener() as raw:
        return raw.read(size)


def _single_byte_encoding(opener: Opener) -> str:
    """cp1251 or cp1252: the one whose letters make words of one script.

    Russian or Kyrgyz text in cp1251 read as cp1252 turns into words made wholly of accented
    Latin letters; Western European text in cp1252 read as cp1251 turns into Latin words
    with single Cyrillic letters inside. So: decode as cp1251 and count words of Cyrillic
    letters only against words mixing Latin and Cyrillic letters.
    """
    cyrillic_words = mixed_words = 0
    with opener() as raw:
        while cyrillic_words + mixed_words < 2000:
            chunk = raw.read(1024 * 1024)
            if not chunk:
                break
            if any(b in chunk for b in (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")):
                return "cp1251"  # bytes cp1252 does not define
            if b"\x98" in chunk:
                return "cp1252"  # the byte cp1251 does not define
            for word in _WORD.findall(chunk.decode("cp1251", errors="replace")):
                cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
                if not cyrillic:
                    continue
                if cyrillic == len(word):
                    cyrillic_words += 1
                else:
                    mixed_words += 1
    return "cp1251" if cyrillic_words >= mixed_words else "cp1252"


def _python_encoding(encoding: str) -> str:
    return "utf-8-sig" if encoding == "utf-8" else encoding


def _detect_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: the one that splits the header into the most columns and
    the next rows into as many."""
    cut = max(sample.rfind("\n"), 0)
    sample = sample[:cut] if cut else sample
    best, best_score = ",", (False, -1, -1)
    for delimiter in (",", ";", "\t"):
        try:
            records = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r][:50]
        except csv.Error:
            continue
        if not records:
            continue
        width = len(records[0])
        consistent = sum(1 for r in records[1:] if len(r) == width)
        score = (width > 1, consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_records(opener: Opener, encoding: str, delimiter: str) -> Iterator[Record]:
    number = 0
    with opener() as raw:
        text = io.TextIOWrapper(raw, encoding=_python_encoding(encoding), newline="")
        try:
            for values in csv.reader(text, delimiter=delimiter):
                number += 1
                yield Record(number, values)
        except UnicodeDecodeError:
            raise _Undecodable(
                _(
                    "The file cannot be read as %(encoding)s text (around row %(row)s). "
                    "Choose its encoding: files saved by Excel in Russian are often cp1251 "
                    "(Windows Cyrillic); KoboToolbox exports are UTF-8."
                )
                % {"encoding": encoding, "row": number + 1}
            ) from None
        except csv.Error as error:
            raise FileRefused(
                _("Row %(row)s of the file cannot be read: %(error)s.")
                % {"row": number + 1, "error": error}
            ) from None
        finally:
            text.detach()


def _open_workbook(raw: IO[bytes]) -> Any:
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(raw, read_only=True, data_only=False)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ParseError) as error:
        raise _damaged() from error
    except KeyError as error:
        raise FileRefused(
            _(
                "This ZIP archive is not an Excel workbook. Upload the answers as an .xlsx "
                "workbook or as CSV (a LibreOffice .ods file: save it as .xlsx first)."
            )
        ) from error
    except Exception as error:  # openpyxl raises many kinds for a broken package
        raise _damaged() from error


def _sheet(workbook: Any, sheet: str) -> Any:
    if sheet and sheet not in workbook.sheetnames:
        raise FileRefused(
            _("The workbook has no sheet called “%(sheet)s”; its sheets are: %(sheets)s.")
            % {"sheet": sheet, "sheets": ", ".join(workbook.sheetnames)}
        )
    return workbook[sheet or workbook.sheetnames[0]]


def _merged_ranges(workbook: Any, worksheet: Any) -> list[str]:
    """The merged ranges of a sheet, read from its XML without loading the sheet (openpyxl's
    read-only mode does not expose them); the ranges sit after the cells, so this streams."""
    path = getattr(worksheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if not path or archive is None:
        return []
    found: list[str] = []
    tail = b""
    with archive.open(path) as source:
        while chunk := source.read(1024 * 1024):
            data = tail + chunk
            # A match that ends inside the kept tail was found in the previous chunk.
            found.extend(m.group(1).decode() for m in _MERGE.finditer(data) if m.end() > len(tail))
            tail = data[-200:]
    return list(dict.fromkeys(found))


def _xlsx_records(opener: Opener, sheet: str) -> Iterator[Record]:
    with opener() as raw:
        workbook = _open_workbook(raw)
        try:
            worksheet = _sheet(workbook, sheet)
            worksheet.reset_dimensions()  # a wrong <dimension> must not cut rows off
            number = 0
            try:
                for row in worksheet.iter_rows(min_row=1):
                    number += 1
                    values = []
                    formulas = []
                    for index, cell in enumerate(row):
                        value = cell.value
                        if getattr(cell, "data_type", "") == "f":
                            formulas.append(index)
                        values.append(value)
                    yield Record(number, values, formulas)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ParseError) as error:
                raise _damaged() from error
        finally:
            workbook.close()


def _blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def cell_text(value: Any) -> str:
    """A cell as text, for samples, problems and keys."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _header_keys(cells: list[Any]) -> tuple[list[str], list[str]]:
    """Unique keys and the header cells as written; trailing empty header cells dropped."""
    labels = [cell_text(c).strip() for c in cells]
    while labels and not labels[-1]:
        labels.pop()
    keys: list[str] = []
    seen: set[str] = set()
    for index, label in enumerate(labels):
        key = label or f"#{column_letter(index)}"
        if key in seen:
            n = 2
            while f"{key} [{n}]" in seen:
                n += 1
            key = f"{key} [{n}]"
        seen.add(key)
        keys.append(key)
    return keys, labels


def records(opener: Opener, layout: Layout) -> Iterator[Record]:
    """Every row of the file (blank ones included), numbered as in the file."""
    if layout.format == "xlsx":
        return _xlsx_records(opener, layout.sheet)
    return _csv_records(opener, layout.encoding, layout.delimiter)


def file_inspect(opener: Opener, *, size: int, encoding: str = "", sheet: str = "") -> Layout:
    """Read a file's layout; FileRefused when it cannot be read at all."""
    message = size_refusal(size)
    if message:
        raise FileRefused(message)
    head = _read_head(opener)
    kind = _kind(head, opener)
    if kind == "xlsx":
        with opener() as raw:
            try:
                names = set(zipfile.ZipFile(raw).namelist())
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
                raise _damaged() from error
        if "xl/workbook.xml" not in names:
            raise FileRefused(
                _(
                    "This ZIP archive is not an Excel workbook. Upload the answers as an "
                    ".xlsx workbook or as CSV (a LibreOffice .ods file: save it as .xlsx "
                    "first)."
                )
            )
        with opener() as raw:
            workbook = _open_workbook(raw)
            try:
                _sheet(workbook, sheet)
                sheets = list(workbook.sheetnames)
            finally:
                workbook.close()
        if sheet:
            return _inspect_sheet(opener, sheet, sheets, size)
        # No sheet named: the first one that has rows of answers.
        first_refusal: FileRefused | None = None
        for name in sheets:
            try:
                return _inspect_sheet(opener, name, sheets, size)
            except FileRefused as refused:
                first_refusal = first_refusal or refused
        raise first_refusal or _damaged()

    if encoding and encoding not in ENCODINGS:
        encoding = ""
    if encoding:
        chosen, auto = encoding, False
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        chosen, auto = "utf-16", True
    else:
        chosen, auto = "utf-8", True
    layout = Layout(format="csv", encoding=chosen, encoding_auto=auto)
    layout.delimiter = _detect_delimiter(head.decode(_python_encoding(chosen), errors="ignore"))
    try:
        _scan(opener, layout, count=True)
    except _Undecodable:
        if not auto or chosen != "utf-8":
            raise
        layout.encoding = _single_byte_encoding(opener)
        layout.delimiter = _detect_delimiter(head.decode(layout.encoding, errors="replace"))
        _scan(opener, layout, count=True)
    return layout


def _inspect_sheet(opener: Opener, sheet: str, sheets: list[str], size: int) -> Layout:
    layout = Layout(format="xlsx", sheet=sheet, sheets=sheets)
    with opener() as raw:
        workbook = _open_workbook(raw)
        try:
            worksheet = _sheet(workbook, sheet)
            layout.merged = _merged_ranges(workbook, worksheet)
            estimated = worksheet.max_row
        except FileRefused:
            raise
        except Exception as error:
            raise _damaged() from error
        finally:
            workbook.close()
    _scan(opener, layout, count=size <= COUNT_XLSX_ROWS_UP_TO or not estimated)
    if not layout.rows_exact:
        layout.rows = max((estimated or 0) - layout.header_row, 0)
    return layout


def _scan(opener: Opener, layout: Layout, *, count: bool) -> None:
    """Find the header (the first row that is not blank), samples, and count the rows."""
    header: Record | None = None
    rows = 0
    layout.samples = []
    for record in records(opener, layout):
        if _blank(record.values):
            continue
        if header is None:
            header = record
            continue
        rows += 1
        if len(layout.samples) < SAMPLE_ROWS:
            layout.samples.append([cell_text(v).strip()[:60] for v in record.values])
        elif not count:
            break
    if header is None:
        raise FileRefused(_("The file is empty: it has no rows and no column names."))
    layout.header_row = header.number
    layout.headers, layout.labels = _header_keys(header.values)
    if not layout.headers:
        raise FileRefused(_("The file is empty: it has no rows and no column names."))
    layout.rows = rows
    layout.rows_exact = count
    if rows == 0:
        raise FileRefused(_("The file has column names but no rows of answers below them."))


# Matching columns to questions -------------------------------------------------------------


@dataclass
class Target:
    name: str
    label: str
    group: str


def _importable(checker: FormChecker) -> list[tuple[CompiledQuestion, list[CompiledGroup]]]:
    """Questions a flat file can answer (not those inside repeated groups), in form order,
    with the groups around each."""
    found: list[tuple[CompiledQuestion, list[CompiledGroup]]] = []

    def walk(items: list[CompiledQuestion | CompiledGroup], groups: list[CompiledGroup]) -> None:
        for item in items:
            if isinstance(item, CompiledGroup):
                if not item.group.repeat:
                    walk(item.items, [*groups, item])
            else:
                found.append((item, groups))

    walk(checker.items, [])
    return found


def mapping_targets(checker: FormChecker, language: str) -> list[Target]:
    """What a column can be matched to, in form order, then the interview's own fields."""
    targets = [
        Target(
            name=compiled.question.name,
            label=compiled.question.label.get(language),
            group=groups[0].group.label.get(language) if groups else "",
        )
        for compiled, groups in _importable(checker)
    ]
    about = _("About the interview")
    targets += [
        Target(STARTED, _("Started at (date and time)"), about),
        Target(COMPLETED, _("Completed at (date and time)"), about),
        Target(ENUMERATOR, _("Enumerator (user name in Aimak)"), about),
    ]
    return targets


@dataclass
class Suggestion:
    mapping: dict[str, str]  # column key -> target ("" leaves it out)
    how: dict[str, str]  # column key -> name, group, label, meta, key, option or ""
    key_column: str


def mapping_suggest(layout: Layout, checker: FormChecker) -> Suggestion:
    importable = _importable(checker)
    names = {c.question.name: c for c, _groups in importable}
    by_fold = {name.casefold(): name for name in names}
    by_label: dict[str, list[str]] = {}
    for compiled, groups in importable:
        question = compiled.question
        for language in ("ky", "ru", "en"):
            label = getattr(question.label, language)
            if not label:
                continue
            variants = [_fold(label)]
            path = [getattr(g.group.label, language) for g in groups]
            if all(path):
                variants.append(_fold("/".join([*path, label])))
                variants.append(_fold("/".join([g.group.name for g in groups] + [label])))
            for variant in variants:
                listed = by_label.setdefault(variant, [])
                if question.name not in listed:
                    listed.append(question.name)

    mapping: dict[str, str] = {}
    how: dict[str, str] = {}
    used: set[str] = set()
    key_candidates: list[tuple[int, str]] = []
    completed: list[tuple[int, str]] = []
    options: list[tuple[str, str]] = []  # column key, the question it belongs to

    def take(key: str, name: str, kind: str) -> bool:
        if name in used:
            return False
        used.add(name)
        mapping[key] = name
        how[key] = kind
        return True

    def question_for(text: str) -> str | None:
        if text in names:
            return text
        return by_fold.get(text.casefold())

    for key, label in zip(layout.headers, layout.labels, strict=False):
        text = label.strip().rstrip("*").strip()
        folded = _fold(text)
        mapping[key], how[key] = "", ""
        name = question_for(text)
        if name and take(key, name, "name"):
            continue
        if folded in META_HEADERS:
            how[key] = "meta"
            if folded in KEY_HEADERS:
                key_candidates.append((KEY_HEADERS.index(folded), key))
            if folded in COMPLETED_HEADERS:
                completed.append((COMPLETED_HEADERS.index(folded), key))
            if folded in STARTED_HEADERS and STARTED not in used:
                take(key, STARTED, "meta")
            continue
        if folded in ENUMERATOR_HEADERS and ENUMERATOR not in used:
            take(key, ENUMERATOR, "meta")
            continue
        last = text.rsplit("/", 1)[-1].strip()
        if "/" in text:
            name = question_for(last)
            if name and take(key, name, "group"):
                continue
        if "-" in text and "/" not in text:  # ODK Central: group-question
            parts = text.split("-")
            name = next(
                (n for n in (question_for("-".join(parts[i:])) for i in range(1, len(parts))) if n),
                None,
            )
            if name and take(key, name, "group"):
                continue
        candidates = by_label.get(folded) or by_label.get(_fold(last)) or []
        name = next((n for n in candidates if n not in used), None)
        if name and take(key, name, "label"):
            continue
        if "/" in text:
            prefix, option = text.rsplit("/", 1)
            owner = question_for(prefix.rsplit("/", 1)[-1].strip())
            if owner is None:
                owned = by_label.get(_fold(prefix)) or by_label.get(
                    _fold(prefix.rsplit("/", 1)[-1])
                )
                owner = owned[0] if owned else None
            multiple = names.get(owner or "")
            if (
                multiple is not None
                and multiple.question.type == QuestionType.SELECT_MULTIPLE
                and (
                    option.strip() in multiple.choices
                    or option.strip().casefold() in multiple.choices
                    or _fold(option) in multiple.labels
                )
            ):
                options.append((key, multiple.question.name))

    if completed and COMPLETED not in used:
        take(min(completed)[1], COMPLETED, "meta")
    for key, owner in options:
        if owner in used:
            how[key] = "option"
    key_column = min(key_candidates)[1] if key_candidates else ""
    if key_column:
        how[key_column] = "key"
    return Suggestion(mapping=mapping, how=how, key_column=key_column)


def header_looks_like_data(layout: Layout, checker: FormChecker) -> bool:
    """True when most of the first row's cells are answers (numbers, dates, ids, choices)
    rather than column names."""
    filled = [label for label in layout.labels if label]
    if not filled:
        return True
    choices: set[str] = set()
    for compiled in checker.questions.values():
        choices.update(name.casefold() for name in compiled.choices)
        choices.update(compiled.labels)

    def value_like(text: str) -> bool:
        stripped = text.strip()
        if re.fullmatch(r"[+-]?[\d\s.,]+", stripped) or parse_date(stripped):
            return True
        if _fold(stripped) in choices or (
            " " in stripped and all(part.casefold() in choices for part in stripped.split())
        ):
            return True
        try:
            uuid_module.UUID(stripped.removeprefix("uuid:"))
        except ValueError:
            return False
        return True

    return sum(1 for label in filled if value_like(label)) * 2 > len(filled)


def mapping_errors(
    *, mapping: dict[str, str], key_column: str, layout: Layout, checker: FormChecker
) -> list[str]:
    names = {c.question.name for c, _groups in _importable(checker)}
    errors: list[str] = []
    seen: dict[str, str] = {}
    for key, target in mapping.items():
        if key not in layout.headers:
            errors.append(_("The file has no column “%(column)s”.") % {"column": key})
            continue
        if not target:
            continue
        if target not in names and target not in SPECIAL_TARGETS:
            errors.append(
                _("Column “%(column)s”: the questionnaire has no question called “%(name)s”.")
                % {"column": key, "name": target}
            )
            continue
        if target in seen:
            errors.append(
                _(
                    "Columns “%(first)s” and “%(second)s” are both matched to “%(name)s”; "
                    "leave one of them out."
                )
                % {"first": seen[target], "second": key, "name": target}
            )
            continue
        seen[target] = key
    if key_column and key_column not in layout.headers:
        errors.append(_("The file has no column “%(column)s”.") % {"column": key_column})
    if not any(t in names for t in mapping.values()):
        errors.append(_("No column is matched to a question of the questionnaire."))
    return errors


def mapping_notes(*, mapping: dict[str, str], checker: FormChecker) -> list[str]:
    """Required questions no column gives: rows where they are asked will be refused."""
    given = set(mapping.values())
    missing = [
        c.question.name
        for c, _groups in _importable(checker)
        if c.question.required and c.question.name not in given
    ]
    if not missing:
        return []
    shown = ", ".join(missing[:8]) + (", …" if len(missing) > 8 else "")
    return [
        ngettext(
            "No column gives %(count)s required question (%(names)s): every row where it is "
            "asked will be refused.",
            "No column gives %(count)s required questions (%(names)s): every row where one of "
            "them is asked will be refused.",
            len(missing),
        )
        % {"count": len(missing), "names": shown}
    ]


# Checking rows ---------------------------------------------------------------------------

_Q, _ENTER, _EXIT = 0, 1, 2


def _parser(checker: FormChecker, compiled: CompiledQuestion) -> Callable[[Any], Any]:
    """The question's value from a cell (FormChecker.value remembers each distinct text)."""
    if compiled.question.type == QuestionType.TEXT:

        def text(raw: Any) -> Any:
            return (raw if isinstance(raw, str) else cell_text(raw)).strip() or None

        return text
    value = checker.value

    def parse(raw: Any) -> Any:
        if type(raw) is not str and isinstance(raw, datetime.date | datetime.time):
            raw = cell_text(raw)
        return value(compiled, raw)

    return parse


class RowChecker:
    """FormChecker.clean for flat rows, compiled once per import: the same skip conditions,
    required answers, choices and constraints, in form order (tested to agree)."""

    def __init__(self, checker: FormChecker, columns: dict[str, int]) -> None:
        self.program: list[tuple[Any, ...]] = []
        self.columns = columns
        self._compile(checker, checker.items)

    def _compile(self, checker: FormChecker, items: list[CompiledQuestion | CompiledGroup]) -> None:
        for item in items:
            if isinstance(item, CompiledGroup):
                if item.group.repeat:
                    continue
                self.program.append((_ENTER, item.when.holds if item.relevant else None))
                self._compile(checker, item.items)
                self.program.append((_EXIT,))
                continue
            question = item.question
            self.program.append(
                (
                    _Q,
                    question.name,
                    self.columns.get(question.name),
                    item.when.holds if item.relevant else None,
                    item.allowed.holds if item.constraint else None,
                    question.required,
                    _parser(checker, item),
                    question,
                )
            )

    def check(self, cells: list[Any]) -> tuple[dict[str, Any], list[tuple[str, str, Any]]]:
        """Clean answers and problems as (question, message, value)."""
        out: dict[str, Any] = {}
        problems: list[tuple[str, str, Any]] = []
        shown = True
        stack: list[bool] = []
        width = len(cells)
        for step in self.program:
            kind = step[0]
            if kind == _Q:
                if not shown:
                    continue
                _op, name, column, relevant, constraint, required, parse, question = step
                if relevant is not None and not relevant(out):
                    continue
                raw = cells[column] if column is not None and column < width else None
                if raw is None or raw == "":
                    value = None
                else:
                    try:
                        value = parse(raw)
                    except ValueError as error:
                        problems.append((name, str(error), raw))
                        continue
                if value is None:
                    if required:
                        problems.append(
                            (
                                name,
                                _("An answer is required.")
                                if column is not None
                                else _(
                                    "An answer is required, and no column of the file gives "
                                    "this question."
                                ),
                                "",
                            )
                        )
                    continue
                if constraint is not None and not constraint(out, value):
                    from django.utils.translation import get_language

                    message = question.constraint_message.get((get_language() or "ru")[:2])
                    problems.append(
                        (name, message or _("The answer is not allowed."), _shown(value))
                    )
                    continue
                out[name] = value
            elif kind == _ENTER:
                stack.append(shown)
                test = step[1]
                shown = shown and (test is None or test(out))
            else:
                shown = stack.pop()
        return out, problems


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return cell_text(value)


def parse_datetime_cell(raw: Any, *, naive_utc: bool) -> datetime.datetime | None:
    """A date and time from a cell; ValueError with a message when it cannot be read."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime.datetime):
        moment = raw
    elif isinstance(raw, datetime.date):
        moment = datetime.datetime.combine(raw, datetime.time(0))
    else:
        text = str(raw).strip()
        if not text:
            return None
        moment_or_none: datetime.datetime | None = None
        try:
            moment_or_none = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            for fmt in _DATETIME_FORMATS:
                try:
                    moment_or_none = datetime.datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
            if moment_or_none is None:
                day = parse_date(text)
                if day is not None:
                    moment_or_none = datetime.datetime.combine(day, datetime.time(0))
        if moment_or_none is None:
            raise ValueError(
                _("“%(value)s” is not a date and time (write it as 2026-05-31 14:30)")
                % {"value": text}
            )
        moment = moment_or_none
    if timezone.is_naive(moment):
        zone = datetime.UTC if naive_utc else timezone.get_default_timezone()
        moment = moment.replace(tzinfo=zone)
    return moment


def key_uuid(round_pk: int, key_column: str, value: str) -> uuid_module.UUID:
    """The interview id a key gives: a UUID as is, else one made from round, column, value."""
    text = value.strip()
    try:
        return uuid_module.UUID(text.removeprefix("uuid:"))
    except ValueError:
        return uuid_module.uuid5(IMPORT_NAMESPACE, f"{round_pk}\x1f{key_column}\x1f{text}")


def content_uuid(round_pk: int, content: Any) -> uuid_module.UUID:
    """The interview id of a row without a key: identical rows get the same id."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return uuid_module.uuid5(IMPORT_NAMESPACE, f"{round_pk}\x1fcontent\x1f{text}")


# One pass over a file --------------------------------------------------------------------


@dataclass
class PassResult:
    rows: int = 0
    new: int = 0
    duplicates: int = 0
    problem_count: int = 0
    problems: list[list[Any]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False

    def problem(self, row: int, column: str, value: Any, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append([row, column, _shown(value)[:200], message])


class _Rollback(Exception):
    pass


class _Writer:
    """Writes interview rows: on PostgreSQL through one COPY that stays open for the whole
    file (the server stores rows while the next ones are checked), elsewhere executemany per
    chunk. Values are prepared here once per kind (Django's per-object insert costs more than
    the check). A context manager: leaving it on an exception aborts the COPY."""

    VARYING = (
        "uuid",
        "enumerator_id",
        "village_id",
        "sex",
        "answers",
        "started_at",
        "completed_at",
    )

    def __init__(self, *, round: Round, batch: InterviewImport, user: Any) -> None:
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.copy = self.connection.vendor == "postgresql"
        self.native_uuid = self.connection.features.has_native_uuid_field
        common = {
            "round_id": round.pk,
            "version_id": round.version_id,
            "source": InterviewSource.IMPORT,
            "received_at": timezone.now(),
            "received_by_id": getattr(user, "pk", None),
            "batch_id": batch.pk,
        }
        fields = [f for f in Interview._meta.concrete_fields if not f.primary_key]
        self.attnames = [f.attname for f in fields]
        # Every column that is the same for the whole file (and any added later, at its
        # default), ready for the database.
        self.constants = {
            f.attname: f.get_db_prep_save(common.get(f.attname, f.get_default()), self.connection)
            for f in fields
            if f.attname not in self.VARYING
        }
        quote = self.connection.ops.quote_name
        self.table = quote(Interview._meta.db_table)
        self.columns = ", ".join(quote(f.column or f.name) for f in fields)
        self.pending: list[list[Any]] = []
        self._stack = ExitStack()
        self._copy: Any = None

    def __enter__(self) -> _Writer:
        self._stack.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> bool | None:
        return self._stack.__exit__(*exc_info)

    def add(self, row: dict[str, Any]) -> None:
        values = dict(self.constants)
        values.update(row)
        values["answers"] = json.dumps(row["answers"], ensure_ascii=False)
        if not self.native_uuid:
            values["uuid"] = row["uuid"].hex
        if not self.copy:
            adapt = self.connection.ops.adapt_datetimefield_value
            values["started_at"] = adapt(row["started_at"])
            values["completed_at"] = adapt(row["completed_at"])
        self.pending.append([values[name] for name in self.attnames])
        if len(self.pending) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        if self.copy:
            if self._copy is None:
                cursor = self._stack.enter_context(self.connection.cursor())
                self._stack.enter_context(self.connection.wrap_database_errors)
                # Check the foreign keys as rows arrive, while the next rows are being
                # checked here, instead of all at once at commit (this transaction only).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                self._copy = self._stack.enter_context(
                    cast(Any, cursor).cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN")
                )
            write_row = self._copy.write_row
            for values in self.pending:
                write_row(values)
        else:
            marks = ", ".join(["%s"] * len(self.attnames))
            with self.connection.cursor() as cursor, self.connection.wrap_database_errors:
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})",  # noqa: S608
                    self.pending,
                )
        self.pending = []


class _SideProgress:
    """Progress of a pass inside a transaction, written through a second connection so
    that the page polling it sees the count (PostgreSQL; SQLite has one writer at a time,
    so there the count moves when the transaction ends)."""

    def __init__(self, batch_pk: int | None) -> None:
        self.batch_pk = batch_pk
        self.connection: Any = None
        if batch_pk and connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, done: int) -> None:
        if self.connection is None:
            return
        table = self.connection.ops.quote_name(InterviewImport._meta.db_table)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s WHERE id = %s",  # noqa: S608
                [done, self.batch_pk],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _committed_progress(batch_pk: int | None) -> Callable[[int], None]:
    def progress(done: int) -> None:
        if batch_pk:
            InterviewImport.objects.filter(pk=batch_pk).update(rows_done=done)

    return progress


def run_pass(
    *,
    round: Round,
    layout: Layout,
    mapping: dict[str, str],
    key_column: str,
    opener: Opener,
    writer: _Writer | None = None,
    progress: Callable[[int], None] | None = None,
) -> PassResult:
    """Read and check every row of the file; with a `writer`, also store the new interviews
    (the caller holds the transaction and rolls it back when there are problems). No query
    runs on the connection while the rows stream, so that a COPY can stay open."""
    checker = version_checker(round.version)
    headers = layout.headers
    index = {key: i for i, key in enumerate(headers)}
    labels = dict(zip(headers, layout.labels, strict=False))
    column_of: dict[str, int] = {}
    header_of: dict[str, str] = {}
    for column_key, target in mapping.items():
        if target and column_key in index:
            column_of[target] = index[column_key]
            header_of[target] = labels.get(column_key) or column_key
    row_checker = RowChecker(checker, column_of)
    villages = village_ids(round)
    started_col = column_of.get(STARTED)
    completed_col = column_of.get(COMPLETED)
    enumerator_col = column_of.get(ENUMERATOR)
    completed_utc = completed_col is not None and _fold(headers[completed_col]) in (
        "_submission_time",
        "submissiondate",
    )
    key_col = index.get(key_column) if key_column else None
    key_header = labels.get(key_column) or key_column
    width = len(headers)
    users: dict[str, int | None] = {}
    user_model = get_user_model()

    existing: set[uuid_module.UUID] = set(
        Interview.objects.filter(round=round).values_list("uuid", flat=True)
    )
    seen: set[uuid_module.UUID] = set()
    result = PassResult()
    if enumerator_col is not None:
        users = dict(user_model.objects.values_list("username", "pk"))

    for merged in layout.merged:
        first = merged.split(":", 1)[0]
        match = _CELL_REF.fullmatch(first)
        row_number = int(match.group(2)) if match else layout.header_row
        column_index = _column_index(match.group(1)) if match else 0
        result.problem(
            row_number,
            labels.get(headers[column_index], "") if column_index < width else "",
            merged,
            _(
                "Merged cells %(range)s: unmerge them and type the value in every cell "
                "(a merged cell keeps its value in the first cell only)."
            )
            % {"range": merged},
        )

    header_seen = False
    for record in records(opener, layout):
        if not header_seen:
            if record.number == layout.header_row:
                header_seen = True
                for column in record.formulas:
                    result.problem(
                        record.number,
                        column_letter(column),
                        record.values[column],
                        _("A formula in the header: type the column's name instead."),
                    )
            continue
        values = record.values
        if _blank(values):
            continue
        result.rows += 1
        number = record.number
        problems_before = result.problem_count
        if len(values) > width:
            extra = values[width:]
            if any(cell_text(v).strip() for v in extra):
                result.problem(
                    number,
                    "",
                    layout_delimiter(layout).join(cell_text(v) for v in values),
                    _(
                        "This row has %(count)s values but the header has %(width)s columns. "
                        "A decimal comma in a comma-separated file splits a number in two: "
                        "put such values in quotes, or save the file with semicolons."
                    )
                    % {"count": len(values), "width": width},
                )
        for column in record.formulas:
            result.problem(
                number,
                f"{labels.get(headers[column], '') if column < width else ''} "
                f"({column_letter(column)}{number})".strip(),
                values[column],
                _(
                    "Formula cell at %(cell)s: type the value itself (Aimak never runs "
                    "formulas; copy the cells and paste them as values)."
                )
                % {"cell": f"{column_letter(column)}{number}"},
            )
        clean, problems = row_checker.check(values)
        for name, message, value in problems:
            result.problem(number, header_of.get(name, name), value, message)

        started = completed = None
        enumerator_id: int | None = None
        if started_col is not None and started_col < len(values):
            try:
                started = parse_datetime_cell(values[started_col], naive_utc=False)
            except ValueError as error:
                result.problem(number, header_of[STARTED], values[started_col], str(error))
        if completed_col is not None and completed_col < len(values):
            try:
                completed = parse_datetime_cell(values[completed_col], naive_utc=completed_utc)
            except ValueError as error:
                result.problem(number, header_of[COMPLETED], values[completed_col], str(error))
        if enumerator_col is not None and enumerator_col < len(values):
            username = cell_text(values[enumerator_col]).strip()
            if username:
                enumerator_id = users.get(username)
                if enumerator_id is None:
                    result.problem(
                        number,
                        header_of[ENUMERATOR],
                        username,
                        _("There is no user called “%(name)s” in Aimak.") % {"name": username},
                    )

        key: uuid_module.UUID | None = None
        if key_col is not None:
            key_text = cell_text(values[key_col]).strip() if key_col < len(values) else ""
            if key_text:
                key = key_uuid(round.pk, key_column, key_text)
            else:
                result.problem(
                    number,
                    key_header,
                    "",
                    _("The key column is empty in this row, so the interview has no id."),
                )
        elif result.problem_count == problems_before:
            key = content_uuid(
                round.pk,
                [
                    clean,
                    enumerator_id,
                    started and started.isoformat(),
                    completed and completed.isoformat(),
                ],
            )

        clean_row = result.problem_count == problems_before
        duplicate = key is not None and (key in existing or key in seen)
        if key is not None:
            seen.add(key)
        if duplicate:
            result.duplicates += 1
        elif clean_row:
            result.new += 1
        if len(result.preview) < PREVIEW_ROWS:
            result.preview.append(
                {
                    "row": number,
                    "id": str(key) if key else "",
                    "state": "problem" if not clean_row else "duplicate" if duplicate else "new",
                    "answers": clean,
                    "started": started.isoformat() if started else "",
                    "completed": completed.isoformat() if completed else "",
                    "enumerator": cell_text(values[enumerator_col]).strip()
                    if enumerator_col is not None and enumerator_col < len(values)
                    else "",
                }
            )
        if writer is not None and clean_row and not duplicate and result.problem_count == 0:
            village_code, sex = checker.quota_values(clean)
            writer.add(
                {
                    "uuid": key,
                    "enumerator_id": enumerator_id,
                    "village_id": villages.get(village_code) if village_code else None,
                    "sex": sex,
                    "answers": clean,
                    "started_at": started,
                    "completed_at": completed,
                }
            )
        if progress is not None and result.rows % CHUNK_ROWS == 0:
            progress(result.rows)

    if writer is not None and result.problem_count == 0:
        writer.flush()
        result.written = True
    if progress is not None:
        progress(result.rows)
    return result


def layout_delimiter(layout: Layout) -> str:
    return layout.delimiter or ","


# Services --------------------------------------------------------------------------------


def _opener(batch: InterviewImport) -> Opener:
    storage, name = batch.file.storage, batch.file.name or ""

    def open_file() -> IO[bytes]:
        return cast(IO[bytes], storage.open(name, "rb"))

    return open_file


def path_opener(path: str) -> Opener:
    def open_file() -> IO[bytes]:
        return open(path, "rb")

    return open_file


def file_sha256(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def already_imported(*, round: Round, sha256: str) -> InterviewImport | None:
    return (
        InterviewImport.objects.filter(
            round=round, sha256=sha256, status=InterviewImport.Status.DONE
        )
        .select_related("created_by")
        .order_by("finished_at")
        .first()
    )


def already_imported_message(earlier: InterviewImport) -> str:
    when = earlier.finished_at or earlier.created_at
    who = earlier.created_by
    return _(
        "This file was already imported on %(date)s by %(who)s: 0 new interviews. Nothing "
        "was changed."
    ) % {
        "date": date_format(timezone.localtime(when), "DATETIME_FORMAT"),
        "who": (who.display_name if who else "—"),  # type: ignore[attr-defined]
    }


def import_upload(
    *,
    round: Round,
    file: File,
    user: Any,
    filename: str = "",
    encoding: str = "",
    sheet: str = "",
) -> InterviewImport:
    """Keep a file with the round and propose how its columns match the questions.

    FileRefused (nothing kept) when the round is not collecting, the file was already
    imported, is over the size limit, or cannot be read at all."""
    round_check_collecting(round)
    name = PurePath(filename or file.name or "interviews").name[:255] or "interviews"
    size = file.size or 0
    message = size_refusal(size)
    if message:
        raise FileRefused(message)
    file.seek(0)
    sha = file_sha256(file.chunks())
    earlier = already_imported(round=round, sha256=sha)
    if earlier is not None:
        raise AlreadyImported(already_imported_message(earlier), earlier)
    batch = InterviewImport(
        round=round,
        filename=name,
        size=size,
        sha256=sha,
        created_by=user if getattr(user, "pk", None) else None,
    )
    file.seek(0)
    batch.file.save(name, file, save=False)
    try:
        layout = file_inspect(_opener(batch), size=size, encoding=encoding, sheet=sheet)
        checker = version_checker(round.version)
        suggestion = mapping_suggest(layout, checker)
        if not any(suggestion.how.values()) and header_looks_like_data(layout, checker):
            raise FileRefused(
                _(
                    "The first row must hold the column names (question names or labels, "
                    "as in a KoboToolbox export), but it holds values such as “%(value)s”."
                )
                % {"value": next((label for label in layout.labels if label), "")}
            )
    except BaseException:
        batch.file.delete(save=False)
        raise
    batch.layout = layout.to_json()
    batch.mapping = suggestion.mapping
    batch.key_column = suggestion.key_column
    batch.rows_total = layout.rows
    batch.save()
    return batch


def _check_editable(batch: InterviewImport) -> None:
    if batch.status == InterviewImport.Status.DONE:
        raise ValidationError(_("This file is imported already; upload a new file to import more."))
    if batch.status in (InterviewImport.Status.QUEUED, InterviewImport.Status.RUNNING):
        raise ValidationError(_("A check or import of this file is running; wait until it ends."))
    round_check_collecting(batch.round)


def settings_signature(batch: InterviewImport) -> str:
    layout = batch.layout or {}
    return hashlib.sha256(
        json.dumps(
            [
                batch.mapping,
                batch.key_column,
                layout.get("encoding"),
                layout.get("delimiter"),
                layout.get("sheet"),
                batch.round.version_id,
            ],
            sort_keys=True,
        ).encode()
    ).hexdigest()


def check_is_current(batch: InterviewImport) -> bool:
    return bool(batch.checked) and batch.checked.get("signature") == settings_signature(batch)


def import_settings_set(
    *,
    batch: InterviewImport,
    mapping: dict[str, str],
    key_column: str,
    encoding: str | None = None,
    sheet: str | None = None,
    user: Any = None,
) -> InterviewImport:
    """Store the columns' questions, the key column, and the encoding or sheet; reading the
    file again (and matching its columns afresh) when the encoding or sheet changes."""
    _check_editable(batch)
    layout = Layout.from_json(batch.layout)
    checker = version_checker(batch.round.version)
    reread = (encoding is not None and layout.format == "csv" and encoding != layout.encoding) or (
        sheet is not None and layout.format == "xlsx" and sheet != layout.sheet
    )
    if reread:
        layout = file_inspect(
            _opener(batch),
            size=batch.size,
            encoding=encoding or "",
            sheet=sheet or "",
        )
        suggestion = mapping_suggest(layout, checker)
        batch.layout = layout.to_json()
        batch.mapping = suggestion.mapping
        batch.key_column = suggestion.key_column
        batch.rows_total = layout.rows
    else:
        full = dict.fromkeys(layout.headers, "")
        full.update({k: (v or "").strip() for k, v in mapping.items()})
        errors = mapping_errors(mapping=full, key_column=key_column, layout=layout, checker=checker)
        if errors:
            raise ValidationError(errors)
        batch.mapping = full
        batch.key_column = key_column
    batch.status = InterviewImport.Status.MAPPING
    batch.save()
    return batch


def _run_in_background(batch: InterviewImport) -> bool:
    return batch.rows_total > background_rows()


def _enqueue(batch: InterviewImport, job: str, user: Any) -> None:
    from .tasks import import_job

    batch.status = InterviewImport.Status.QUEUED
    batch.job = job
    batch.rows_done = 0
    batch.message = ""
    batch.save(update_fields=["status", "job", "rows_done", "message"])
    user_pk = getattr(user, "pk", None)
    transaction.on_commit(lambda: import_job.enqueue(batch.pk, user_pk))


def import_check(
    *, batch: InterviewImport, user: Any = None, background: bool | None = None
) -> InterviewImport:
    """Read and check the whole file, writing no interview: in a background task for a
    large file, else now."""
    _check_editable(batch)
    errors = mapping_errors(
        mapping=batch.mapping,
        key_column=batch.key_column,
        layout=Layout.from_json(batch.layout),
        checker=version_checker(batch.round.version),
    )
    if errors:
        raise ValidationError(errors)
    if background if background is not None else _run_in_background(batch):
        _enqueue(batch, "check", user)
        return batch
    return _check_now(batch)


def _check_now(batch: InterviewImport) -> InterviewImport:
    batch.status = InterviewImport.Status.RUNNING
    batch.job = "check"
    batch.save(update_fields=["status", "job"])
    try:
        result = run_pass(
            round=batch.round,
            layout=Layout.from_json(batch.layout),
            mapping=batch.mapping,
            key_column=batch.key_column,
            opener=_opener(batch),
            progress=_committed_progress(batch.pk),
        )
    except FileRefused as refused:
        return _failed(batch, refused.messages[0])
    _record_check(batch, result)
    batch.status = InterviewImport.Status.MAPPING
    batch.job = ""
    batch.message = (
        ngettext(
            "The file is checked: %(new)s new interview (skipped as already in the round: "
            "%(duplicates)s).",
            "The file is checked: %(new)s new interviews (skipped as already in the round: "
            "%(duplicates)s).",
            result.new,
        )
        % {"new": result.new, "duplicates": result.duplicates}
        if not result.problem_count
        else ngettext(
            "The file is checked: %(count)s problem must be corrected before importing.",
            "The file is checked: %(count)s problems must be corrected before importing.",
            result.problem_count,
        )
        % {"count": result.problem_count}
    )
    batch.save()
    return batch


def _record_check(batch: InterviewImport, result: PassResult) -> None:
    batch.checked = {
        "signature": settings_signature(batch),
        "at": timezone.now().isoformat(),
        "rows": result.rows,
        "new": result.new,
        "duplicates": result.duplicates,
        "problem_count": result.problem_count,
        "preview": result.preview,
    }
    batch.rows_total = result.rows
    batch.rows_done = result.rows
    batch.problems = result.problems
    batch.problem_count = result.problem_count
    layout = dict(batch.layout)
    layout["rows"], layout["rows_exact"] = result.rows, True
    batch.layout = layout


def _failed(batch: InterviewImport, message: str) -> InterviewImport:
    batch.status = InterviewImport.Status.FAILED
    batch.job = ""
    batch.message = message
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def import_start(
    *, batch: InterviewImport, user: Any = None, background: bool | None = None
) -> InterviewImport:
    """Import every row of the file, or none: in a background task for a large file."""
    _check_editable(batch)
    errors = mapping_errors(
        mapping=batch.mapping,
        key_column=batch.key_column,
        layout=Layout.from_json(batch.layout),
        checker=version_checker(batch.round.version),
    )
    if errors:
        raise ValidationError(errors)
    if background if background is not None else _run_in_background(batch):
        _enqueue(batch, "import", user)
        return batch
    return _import_now(batch, user)


def _import_now(batch: InterviewImport, user: Any) -> InterviewImport:
    batch.status = InterviewImport.Status.RUNNING
    batch.job = "import"
    batch.rows_done = 0
    batch.save(update_fields=["status", "job", "rows_done"])
    side = _SideProgress(batch.pk)
    result = PassResult()
    try:
        with transaction.atomic():
            round = (
                Round.objects.select_for_update().select_related("version").get(pk=batch.round_id)
            )
            round_check_collecting(round)
            with _Writer(round=round, batch=batch, user=user) as writer:
                result = run_pass(
                    round=round,
                    layout=Layout.from_json(batch.layout),
                    mapping=batch.mapping,
                    key_column=batch.key_column,
                    opener=_opener(batch),
                    writer=writer,
                    progress=side,
                )
                if result.problem_count:
                    raise _Rollback
            batch.status = InterviewImport.Status.DONE
            batch.job = ""
            batch.added = result.new
            batch.duplicates = result.duplicates
            _record_check(batch, result)
            batch.finished_at = timezone.now()
            batch.message = ngettext(
                "%(added)s interview imported (skipped as already in the round: %(duplicates)s).",
                "%(added)s interviews imported (skipped as already in the round: %(duplicates)s).",
                result.new,
            ) % {"added": result.new, "duplicates": result.duplicates}
            batch.save()
    except _Rollback:
        _record_check(batch, result)
        return _failed(
            batch,
            ngettext(
                "Nothing was imported: %(count)s problem must be corrected first (the report "
                "gives its row and column).",
                "Nothing was imported: %(count)s problems must be corrected first (the "
                "report lists each with its row and column).",
                result.problem_count,
            )
            % {"count": result.problem_count},
        )
    except FileRefused as refused:
        return _failed(batch, refused.messages[0])
    except IntegrityError:
        return _failed(
            batch,
            _(
                "Nothing was imported: an interview of this file arrived by another way "
                "while the import ran. Start the import again; it will skip it."
            ),
        )
    finally:
        side.close()
    return batch


def import_job_run(*, import_id: int, user_id: int | None = None) -> None:
    """The background task's work: the queued check or import of one file (idempotent: a
    job that is not queued any more does nothing)."""
    batch = InterviewImport.objects.select_related("round", "round__version").get(pk=import_id)
    if batch.status != InterviewImport.Status.QUEUED:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        if batch.job == "import":
            _import_now(batch, user)
        else:
            _check_now(batch)
    except Exception:
        _failed(batch, _("The job stopped on an unexpected error; nothing was imported."))
        raise


# Reports and export ----------------------------------------------------------------------


def _csv_line(values: list[Any]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([escape_cell(v) for v in values])
    return buffer.getvalue()


def problem_report_lines(batch: InterviewImport) -> Iterator[str]:
    """The problem report as CSV lines (UTF-8 with BOM so that Excel reads Cyrillic)."""
    yield "\ufeff" + _csv_line([_("Row"), _("Column"), _("Value"), _("Problem")])
    for row, column, value, message in batch.problems:
        yield _csv_line([row, column, value, message])
    left = batch.problem_count - len(batch.problems)
    if left > 0:
        yield _csv_line(
            [
                "",
                "",
                "",
                ngettext(
                    "… and %(count)s more problem not listed.",
                    "… and %(count)s more problems not listed.",
                    left,
                )
                % {"count": left},
            ]
        )


def interview_export_lines(*, round: Round) -> Iterator[str]:
    """A round's interviews as CSV lines: one column per question (choice names as stored,
    several choices separated by spaces as in Kobo's exports), then the interview's own
    fields. Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    checker = version_checker(round.version)
    names = [c.question.name for c, _groups in _importable(checker)]
    yield "\ufeff" + _csv_line(
        [*names, "_uuid", "start", "end", "enumerator", "source", "received_at"]
    )
    rows = (
        Interview.objects.filter(round=round)
        .order_by("pk")
        .values_list(
            "answers",
            "uuid",
            "started_at",
            "completed_at",
            "enumerator__username",
            "source",
            "received_at",
        )
    )
    for answers, key, started, completed, username, source, received in rows.iterator(
        chunk_size=2000
    ):
        yield _csv_line(
            [_shown(answers.get(name)) for name in names]
            + [
                str(key),
                started.isoformat() if started else "",
                completed.isoformat() if completed else "",
                username or "",
                source,
                received.isoformat() if received else "",
            ]
        )
