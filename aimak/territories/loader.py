"""Read and check a registry file before anything touches the database.

A file is accepted only whole: every row is parsed and every reference resolved first;
the first problem found per row is reported with its line number, and nothing is written
unless the file is clean.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .models import Kind, Level
from .transliteration import english_name

REQUIRED_COLUMNS = ("code", "level", "parent_code", "name_ru", "kind")
CODE_RE = re.compile(r"^417\d{11}$")
POP_YEAR_RE = re.compile(r"(19|20)\d\d")


class RegistryFileError(Exception):
    """The file cannot be loaded; `problems` lists every reason found, line by line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class UnitRow:
    line: int
    code: str
    level: str
    kind: str
    parent_code: str
    name_ru: str
    name_ky: str
    name_en: str
    name_en_derived: bool
    population: int | None
    population_year: int | None
    population_source: str
    source: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_code: str
    depth: int = field(default=0)


def _parse_date(value: str, *, line: int, column: str, problems: list[str]) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(
            _("Line %(line)s: %(column)s “%(value)s” is not a date (YYYY-MM-DD).")
            % {"line": line, "column": column, "value": value}
        )
        return None


# Which fields of a unit a column informs. A file without a column leaves those fields
# of existing units as they are (an older-format file does not erase end dates).
COLUMN_FIELDS = {
    "code": ("name_ru", "level", "kind", "parent_id"),
    "name_ky": ("name_ky",),
    "name_en": ("name_en", "name_en_derived"),
    "population": ("population", "population_year", "population_source"),
    "source": ("source",),
    "valid_from": ("valid_from",),
    "valid_to": ("valid_to",),
    "successor_code": ("successor_id",),
}


@dataclass
class RegistryFile:
    rows: list[UnitRow]
    checksum: str
    fields: frozenset[str]
    problems: list[str]


def read_registry_file(path: Path) -> RegistryFile:
    """Parse and validate `path`: its rows, checksum and the fields its columns inform."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryFileError(
            [_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}]
        ) from exc
    checksum = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RegistryFileError(
            [
                _("The file is not UTF-8 text (byte %(pos)s). Save it as UTF-8 CSV and try again.")
                % {"pos": exc.start}
            ]
        ) from exc
    if not text.strip():
        raise RegistryFileError([_("The file is empty.")])

    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RegistryFileError(
            [_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}]
        )
    problems: list[str] = []
    rows: list[UnitRow] = []
    seen: dict[str, int] = {}
    levels, kinds = set(Level.values), set(Kind.values)
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(
                _(
                    "Line %(line)s has %(found)s fields, the header has %(expected)s: "
                    "the file may be cut off or damaged."
                )
                % {"line": line, "found": len(values), "expected": len(header)}
            )
            continue
        rec = {k: v.strip() for k, v in zip(header, values, strict=True)}
        code = rec["code"]
        if not CODE_RE.match(code):
            problems.append(
                _("Line %(line)s: “%(code)s” is not a 14-digit SOATE code.")
                % {"line": line, "code": code}
            )
            continue
        if code in seen:
            problems.append(
                _("Line %(line)s: code %(code)s already appears on line %(first)s.")
                % {"line": line, "code": code, "first": seen[code]}
            )
            continue
        seen[code] = line
        if rec["level"] not in levels:
            problems.append(
                _("Line %(line)s: unknown level “%(value)s”.")
                % {"line": line, "value": rec["level"]}
            )
            continue
        if rec["kind"] not in kinds:
            problems.append(
                _("Line %(line)s: unknown type “%(value)s”.") % {"line": line, "value": rec["kind"]}
            )
            continue
        if not rec["name_ru"]:
            problems.append(_("Line %(line)s: the Russian name is empty.") % {"line": line})
            continue
        population: int | None = None
        if rec.get("population"):
            try:
                population = int(rec["population"])
                if population < 0:
                    raise ValueError
            except ValueError:
                problems.append(
                    _("Line %(line)s: population “%(value)s” is not a whole number.")
                    % {"line": line, "value": rec["population"]}
                )
                continue
        source = rec.get("source", "")
        year_text = rec.get("population_year", "")
        population_year = None
        if population is not None:
            if year_text.isdigit():
                population_year = int(year_text)
            elif match := POP_YEAR_RE.search(source):
                population_year = int(match.group(0))
        name_en = rec.get("name_en", "")
        name_ky = rec.get("name_ky", "")
        rows.append(
            UnitRow(
                line=line,
                code=code,
                level=rec["level"],
                kind=rec["kind"],
                parent_code=rec["parent_code"],
                name_ru=rec["name_ru"],
                name_ky=name_ky,
                name_en=name_en
                or english_name(name_ky=name_ky, name_ru=rec["name_ru"], level=rec["level"]),
                name_en_derived=not name_en,
                population=population,
                population_year=population_year,
                population_source=rec.get("population_source", "")
                or (source.split(";")[0] if population is not None else ""),
                source=source,
                valid_from=_parse_date(
                    rec.get("valid_from", ""), line=line, column="valid_from", problems=problems
                ),
                valid_to=_parse_date(
                    rec.get("valid_to", ""), line=line, column="valid_to", problems=problems
                ),
                successor_code=rec.get("successor_code", ""),
            )
        )
    fields = frozenset(
        f for column, names in COLUMN_FIELDS.items() if column in header for f in names
    )
    return RegistryFile(rows=rows, checksum=checksum, fields=fields, problems=problems)


def order_and_check_references(
    rows: list[UnitRow], known_codes: set[str], problems: list[str]
) -> list[UnitRow]:
    """Resolve parents and successors against the file and the database; parents first.

    `problems` holds what reading the file found; every problem is reported together.
    """
    by_code = {r.code: r for r in rows}
    for row in rows:
        parent = row.parent_code
        if parent and parent not in by_code and parent not in known_codes:
            problems.append(
                _(
                    "Line %(line)s: parent %(parent)s of %(code)s is neither in the "
                    "file nor in the registry."
                )
                % {"line": row.line, "parent": row.parent_code, "code": row.code}
            )
        if row.parent_code == row.code:
            problems.append(
                _("Line %(line)s: %(code)s is its own parent.")
                % {"line": row.line, "code": row.code}
            )
        if (
            row.successor_code
            and row.successor_code not in by_code
            and row.successor_code not in known_codes
        ):
            problems.append(
                _(
                    "Line %(line)s: successor %(successor)s is neither in the file nor "
                    "in the registry."
                )
                % {"line": row.line, "successor": row.successor_code}
            )
        if row.successor_code and not row.valid_to:
            problems.append(
                _("Line %(line)s: a unit with a successor needs an end date (valid_to).")
                % {"line": row.line}
            )
    if problems:
        raise RegistryFileError(problems)
    for row in rows:
        depth, cursor, visited = 0, row, set()
        while cursor.parent_code and cursor.parent_code in by_code:
            if cursor.code in visited:
                raise RegistryFileError(
                    [
                        _("Line %(line)s: the parents of %(code)s form a loop.")
                        % {"line": row.line, "code": row.code}
                    ]
                )
            visited.add(cursor.code)
            cursor = by_code[cursor.parent_code]
            depth += 1
        row.depth = depth
    return sorted(rows, key=lambda r: (r.depth, r.code))
