"""XLSForm in and out: the only module that knows pyxform and the XLSForm spreadsheet.

Reading checks the workbook ourselves first (so every problem names its sheet, row and
what is wrong, in the user's language), then lets pyxform, the XLSForm reference
implementation, convert it, so a form we accept is one ODK and KoboToolbox accept too.
Writing produces survey / choices / settings sheets with one column per language, named
the way KoboToolbox names them (`label::Kyrgyz (ky)`); both `label::ky` and
`label::Kyrgyz (ky)` are read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .definition import (
    FIXED_LISTS,
    LANGUAGES,
    NAME_RE,
    VILLAGES_LIST,
    YES_NO_LIST,
    Choice,
    ChoiceList,
    Definition,
    Group,
    Question,
    QuestionType,
    Text,
    expression_problems,
    structure_errors,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LANGUAGE_COLUMN_NAMES = {"ky": "Kyrgyz (ky)", "ru": "Russian (ru)", "en": "English (en)"}
LANGUAGE_ALIASES = {
    "ky": "ky",
    "kyrgyz": "ky",
    "kirghiz": "ky",
    "кыргызча": "ky",
    "кыргыз тили": "ky",
    "ru": "ru",
    "russian": "ru",
    "русский": "ru",
    "орусча": "ru",
    "en": "en",
    "english": "en",
    "англисче": "en",
    "английский": "en",
}
TRANSLATED = ("label", "hint", "constraint_message")
SURVEY_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
}
# XLSForm columns Aimak does not keep: accepted only while empty.
SURVEY_UNSUPPORTED = {
    "default",
    "calculation",
    "choice_filter",
    "read_only",
    "parameters",
    "repeat_count",
    "required_message",
    "guidance_hint",
    "trigger",
    "image",
    "audio",
    "video",
    "big-image",
    "note",
    "label_hint",
    "constraint message",
    "required message",
}
CHOICES_COLUMNS = {"list_name", "name", "label"}
CHOICES_UNSUPPORTED = {"image", "audio", "video", "big-image"}
COLUMN_ALIASES = {
    "list name": "list_name",
    "constraint message": "constraint_message",
    "constraint_message": "constraint_message",
}
META_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
    "imei",
    "uri:deviceid",
    "calculate_here",
}
BASIC_TYPES = {
    "integer": QuestionType.INTEGER,
    "int": QuestionType.INTEGER,
    "decimal": QuestionType.DECIMAL,
    "text": QuestionType.TEXT,
    "string": QuestionType.TEXT,
    "date": QuestionType.DATE,
}
TRUE_VALUES = {"yes", "true", "true()", "1", "да", "ооба"}
FALSE_VALUES = {"", "no", "false", "false()", "0", "нет", "жок"}


@dataclass(frozen=True)
class FormProblem:
    """One problem of an uploaded form: where it is (sheet, spreadsheet row) and what."""

    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.sheet and self.row:
            return _("Sheet “%(sheet)s”, row %(row)s: %(problem)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "problem": self.message,
            }
        if self.sheet:
            return _("Sheet “%(sheet)s”: %(problem)s") % {
                "sheet": self.sheet,
                "problem": self.message,
            }
        return self.message


class XLSFormError(Exception):
    def __init__(self, problems: list[FormProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ImportedForm:
    definition: Definition
    title: str
    form_id: str
    warnings: list[str] = field(default_factory=list)


# Reading ---------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _language(suffix: str) -> str | None:
    suffix = suffix.strip()
    match = re.search(r"\(([A-Za-z]{2,3})\)\s*$", suffix)
    if match:
        code = match.group(1).lower()
        return code if code in LANGUAGES else None
    return LANGUAGE_ALIASES.get(suffix.lower())


@dataclass
class _Sheet:
    name: str
    header: dict[int, str]  # column index -> column name as written
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row, column name -> value)


def _read_sheet(ws, name: str, problems: list[FormProblem]) -> _Sheet:
    rows_iter: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
    header: dict[int, str] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    header_row = 0
    for number, values in enumerate(rows_iter, start=1):
        cells = [_cell(v) for v in values]
        if not header:
            if any(cells):
                header = {i: c for i, c in enumerate(cells) if c}
                header_row = number
            continue
        if not any(cells):
            continue
        row: dict[str, str] = {}
        for i, value in enumerate(cells):
            if i in header:
                row[header[i]] = value
            elif value:
                problems.append(
                    FormProblem(
                        name,
                        number,
                        _("the value “%(value)s” is in a column without a heading.")
                        % {"value": value},
                    )
                )
        rows.append((number, row))
    del header_row
    return _Sheet(name=name, header=header, rows=rows)


def _classify_columns(
    sheet: _Sheet, known: set[str], unsupported: set[str], problems: list[FormProblem]
) -> dict[str, tuple[str, str | None]]:
    """column as written -> (base name, language or None); unknown ones reported."""
    result: dict[str, tuple[str, str | None]] = {}
    for column in sheet.header.values():
        if column.startswith("$") or column.lower().startswith("kobo--"):
            continue  # KoboToolbox's own bookkeeping columns
        base, _sep, suffix = column.partition("::")
        base_key = COLUMN_ALIASES.get(base.strip().lower(), base.strip().lower())
        has_values = any(row.get(column) for _n, row in sheet.rows)
        if base_key in known and base_key in TRANSLATED and _sep:
            language = _language(suffix)
            if language is None:
                if has_values:
                    problems.append(
                        FormProblem(
                            sheet.name,
                            1,
                            _(
                                "the column “%(column)s” is in a language Aimak does not keep; "
                                "Aimak keeps Kyrgyz (ky), Russian (ru) and English (en)."
                            )
                            % {"column": column},
                        )
                    )
                continue
            result[column] = (base_key, language)
        elif base_key in known and not _sep:
            result[column] = (base_key, None)
        elif base_key in unsupported or base_key.startswith(("media", "bind", "instance", "body")):
            if has_values:
                problems.append(
                    FormProblem(
                        sheet.name,
                        1,
                        _(
                            "the column “%(column)s” is not supported by Aimak questionnaires; "
                            "remove it or leave it empty."
                        )
                        % {"column": column},
                    )
                )
        else:
            problems.append(
                FormProblem(
                    sheet.name,
                    1,
                    _("“%(column)s” is not an XLSForm column; rename or remove it.")
                    % {"column": column},
                )
            )
    return result


def _texts(
    row: dict[str, str], columns: dict[str, tuple[str, str | None]], default_language: str
) -> dict[str, Text]:
    texts = {base: Text() for base in TRANSLATED}
    plain: dict[str, str] = {}
    for column, (base, language) in columns.items():
        value = row.get(column, "")
        if base not in TRANSLATED or not value:
            continue
        if language is None:
            plain[base] = value
        else:
            setattr(texts[base], language, value)
    for base, value in plain.items():
        if not getattr(texts[base], default_language):
            setattr(texts[base], default_language, value)
    return texts


def _plain(row: dict[str, str], columns: dict[str, tuple[str, str | None]], base: str) -> str:
    for column, (b, language) in columns.items():
        if b == base and language is None and row.get(column):
            return row[column]
    return ""


def _open_workbook(data: bytes):
    import openpyxl

    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise XLSFormError(
            [
                FormProblem(
                    "",
                    None,
                    _(
                        "This is an old Excel file (.xls). Open it in Excel or LibreOffice and save it "
                        "as an Excel workbook (.xlsx)."
                    ),
                )
            ]
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise XLSFormError(
            [FormProblem("", None, _("This file is not an Excel workbook (.xlsx)."))]
        )
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise XLSFormError(
            [
                FormProblem(
                    "", None, _("This file is not an Excel workbook (.xlsx) that can be read.")
                )
            ]
        ) from exc


def xlsform_read(data: bytes, *, default_language: str = "ky") -> ImportedForm:
    """Parse an XLSForm into a definition, or raise XLSFormError with every problem found."""
    if not data:
        raise XLSFormError([FormProblem("", None, _("The file is empty."))])
    if len(data) > MAX_UPLOAD_BYTES:
        raise XLSFormError(
            [
                FormProblem(
                    "",
                    None,
                    _("The file is larger than %(limit)s MB; an XLSForm is usually much smaller.")
                    % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            ]
        )
    workbook = _open_workbook(data)
    try:
        sheets = {ws.title.strip().lower(): ws for ws in workbook.worksheets}
        problems: list[FormProblem] = []
        if "survey" not in sheets:
            raise XLSFormError(
                [
                    FormProblem(
                        "", None, _("The workbook has no “survey” sheet, so it is not an XLSForm.")
                    )
                ]
            )
        survey = _read_sheet(sheets["survey"], "survey", problems)
        choices = (
            _read_sheet(sheets["choices"], "choices", problems) if "choices" in sheets else None
        )
        settings = (
            _read_sheet(sheets["settings"], "settings", problems) if "settings" in sheets else None
        )
    finally:
        workbook.close()
    if not survey.rows:
        raise XLSFormError(
            [
                FormProblem(
                    "survey",
                    None,
                    _("the sheet is empty: it needs a heading row and at least one question."),
                )
            ]
        )

    settings_row = settings.rows[0][1] if settings and settings.rows else {}
    settings_lower = {k.strip().lower(): v for k, v in settings_row.items()}
    default = _language(settings_lower.get("default_language", "")) or default_language
    for required_column in ("type", "name"):
        if required_column not in {c.strip().lower() for c in survey.header.values()}:
            problems.append(
                FormProblem(
                    "survey",
                    1,
                    _("the column “%(column)s” is missing.") % {"column": required_column},
                )
            )
    survey_columns = _classify_columns(survey, SURVEY_COLUMNS, SURVEY_UNSUPPORTED, problems)
    if problems:
        raise XLSFormError(problems)

    lists, list_rows = _read_choices(choices, default, problems)
    warnings: list[str] = []
    root: list[Question | Group] = []
    stack: list[tuple[Group, int]] = []
    names: dict[str, int] = {}
    rows_of: dict[str, int] = {}
    for number, row in survey.rows:
        current = stack[-1][0].items if stack else root
        raw_type = re.sub(r"\s+", " ", _plain(row, survey_columns, "type"))
        name = _plain(row, survey_columns, "name")
        type_key = raw_type.lower().replace("_", " ")
        texts = _texts(row, survey_columns, default)
        relevant = _plain(row, survey_columns, "relevant")
        appearance = _plain(row, survey_columns, "appearance")
        if type_key in ("end group", "end repeat"):
            repeat = type_key == "end repeat"
            if not stack:
                problems.append(
                    FormProblem(
                        "survey",
                        number,
                        _("“%(type)s” has no matching “begin” row.") % {"type": raw_type},
                    )
                )
            elif stack[-1][0].repeat != repeat:
                problems.append(
                    FormProblem(
                        "survey",
                        number,
                        _(
                            "“%(type)s” closes “%(name)s”, which is of the other kind (group or "
                            "repeat)."
                        )
                        % {"type": raw_type, "name": stack[-1][0].name},
                    )
                )
                stack.pop()
            else:
                stack.pop()
            continue
        if not raw_type:
            problems.append(FormProblem("survey", number, _("the type is missing.")))
            continue
        if type_key in META_TYPES:
            warnings.append(
                _(
                    "Survey row %(row)s: “%(type)s” is recorded by the phone "
                    "itself and was left out."
                )
                % {"row": number, "type": raw_type}
            )
            continue
        if not name:
            problems.append(FormProblem("survey", number, _("the name is missing.")))
            continue
        if not NAME_RE.match(name):
            problems.append(
                FormProblem(
                    "survey",
                    number,
                    _(
                        "“%(name)s” is not a valid name: use letters, digits and _, starting with a "
                        "letter."
                    )
                    % {"name": name},
                )
            )
            continue
        if name in names:
            problems.append(
                FormProblem(
                    "survey",
                    number,
                    _(
                        "the name “%(name)s” is already used on row %(first)s; every question and "
                        "group needs its own name."
                    )
                    % {"name": name, "first": names[name]},
                )
            )
            continue
        names[name] = number
        rows_of[name] = number
        if type_key in ("begin group", "begin repeat"):
            group = Group(
                name=name,
                label=texts["label"],
                relevant=relevant,
                appearance=appearance,
                repeat=type_key == "begin repeat",
            )
            current.append(group)
            stack.append((group, number))
            continue
        required_value = _plain(row, survey_columns, "required").lower()
        if required_value in TRUE_VALUES:
            required = True
        elif required_value in FALSE_VALUES:
            required = False
        else:
            problems.append(
                FormProblem(
                    "survey",
                    number,
                    _(
                        "“required” must be yes or empty; conditions (“%(value)s”) are not "
                        "supported."
                    )
                    % {"value": required_value},
                )
            )
            continue
        question_type, list_name, appearance = _question_type(
            type_key, raw_type, appearance, lists, number, problems
        )
        if question_type is None:
            continue
        current.append(
            Question(
                name=name,
                type=question_type,
                label=texts["label"],
                hint=texts["hint"],
                required=required,
                constraint=_plain(row, survey_columns, "constraint"),
                constraint_message=texts["constraint_message"],
                relevant=relevant,
                appearance=appearance,
                list_name=list_name,
            )
        )
    for group, number in stack:
        problems.append(
            FormProblem(
                "survey",
                number,
                _("“%(name)s” is opened here but never closed with “end %(kind)s”.")
                % {"name": group.name, "kind": "repeat" if group.repeat else "group"},
            )
        )

    # Expressions, now that every name is known.
    definition = Definition(items=root, lists=list(lists.values()))
    known = list(names)
    for item, _parent in definition.walk():
        expressions = [("relevant", item.relevant)]
        if isinstance(item, Question):
            expressions.append(("constraint", item.constraint))
        for column, expression in expressions:
            for problem in expression_problems(expression, known_names=known):
                problems.append(
                    FormProblem(
                        "survey",
                        rows_of[item.name],
                        _("%(column)s of “%(name)s”: %(problem)s.")
                        % {"column": column, "name": item.name, "problem": problem},
                    )
                )
    del list_rows
    if problems:
        raise XLSFormError(problems)
    _rename_reserved_lists(definition)
    for message in structure_errors(definition):
        problems.append(FormProblem("", None, message))
    if problems:
        raise XLSFormError(problems)
    _pyxform_check(data, rows_of=rows_of)
    return ImportedForm(
        definition=definition,
        title=settings_lower.get("form_title", ""),
        form_id=settings_lower.get("form_id", ""),
        warnings=warnings,
    )


def _read_choices(
    choices: _Sheet | None, default: str, problems: list[FormProblem]
) -> tuple[dict[str, ChoiceList], dict[str, int]]:
    lists: dict[str, ChoiceList] = {}
    first_row: dict[str, int] = {}
    if choices is None:
        return lists, first_row
    columns = _classify_columns(choices, CHOICES_COLUMNS, CHOICES_UNSUPPORTED, problems)
    for required_column in ("list_name", "name"):
        if required_column not in {b for b, _lang in columns.values()}:
            problems.append(
                FormProblem(
                    "choices",
                    1,
                    _("the column “%(column)s” is missing.") % {"column": required_column},
                )
            )
            return lists, first_row
    for number, row in choices.rows:
        list_name = _plain(row, columns, "list_name")
        name = _plain(row, columns, "name")
        if not list_name:
            problems.append(FormProblem("choices", number, _("the list_name is missing.")))
            continue
        if not name:
            problems.append(
                FormProblem(
                    "choices", number, _("the choice has no name (the value stored as the answer).")
                )
            )
            continue
        choice_list = lists.setdefault(list_name, ChoiceList(name=list_name))
        first_row.setdefault(list_name, number)
        if any(c.name == name for c in choice_list.choices):
            problems.append(
                FormProblem(
                    "choices",
                    number,
                    _("the choice “%(name)s” appears twice in the list “%(list)s”.")
                    % {"name": name, "list": list_name},
                )
            )
            continue
        choice_list.choices.append(Choice(name=name, label=_texts(row, columns, default)["label"]))
    return lists, first_row


def _question_type(
    type_key: str,
    raw_type: str,
    appearance: str,
    lists: dict[str, ChoiceList],
    number: int,
    problems: list[FormProblem],
) -> tuple[QuestionType | None, str, str]:
    if type_key in BASIC_TYPES:
        return BASIC_TYPES[type_key], "", appearance
    match = re.fullmatch(r"select[_ ](one|multiple)\s+(\S+)", raw_type, flags=re.IGNORECASE)
    if match is None:
        problems.append(
            FormProblem(
                "survey",
                number,
                _(
                    "the question type “%(type)s” is not supported; Aimak questionnaires use "
                    "select_one, select_multiple, integer, decimal, text and date, and groups and "
                    "repeats."
                )
                % {"type": raw_type},
            )
        )
        return None, "", appearance
    list_name = match.group(2)
    if list_name not in lists:
        problems.append(
            FormProblem(
                "survey",
                number,
                _("the choice list “%(list)s” is not on the choices sheet.") % {"list": list_name},
            )
        )
        return None, "", appearance
    if match.group(1).lower() == "multiple":
        return QuestionType.SELECT_MULTIPLE, list_name, appearance
    tokens = appearance.split()
    if "likert" in tokens:
        rest = " ".join(t for t in tokens if t != "likert")
        return QuestionType.RATING, list_name, rest
    if list_name == YES_NO_LIST and [c.name for c in lists[list_name].choices] == ["yes", "no"]:
        return QuestionType.YES_NO, list_name, appearance
    if list_name == VILLAGES_LIST:
        return QuestionType.VILLAGE, list_name, appearance
    return QuestionType.SELECT_ONE, list_name, appearance


def _rename_reserved_lists(definition: Definition) -> None:
    """A Kobo form's own `yes_no` list (say, 1/0) is an ordinary list here: rename it."""
    for qtype, reserved in FIXED_LISTS.items():
        users = [q for q in definition.questions() if q.list_name == reserved]
        if all(q.type == qtype for q in users):
            continue
        new = reserved + "_list"
        while definition.list_by_name(new):
            new += "_"
        choice_list = definition.list_by_name(reserved)
        if choice_list is not None:
            choice_list.name = new
        for question in users:
            question.list_name = new
            if question.type == qtype:
                question.type = QuestionType.SELECT_ONE


def _pyxform_check(data: bytes, *, rows_of: dict[str, int]) -> None:
    """Let pyxform convert the form: what it refuses, ODK and KoboToolbox refuse too."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=data, file_type=".xlsx", warnings=[])
    except PyXFormError as exc:
        text = str(exc)
        row_match = re.search(r"\[row ?: ?(\d+)\]", text)
        sheet_match = re.search(r"'(survey|choices|settings)' sheet", text)
        detail = re.sub(r"\[row ?: ?\d+\]\s*", "", text)
        sheet = sheet_match.group(1) if sheet_match else ""
        row = int(row_match.group(1)) if row_match else None
        named = re.search(r"named '([^']+)'", text)
        if row is None and named and named.group(1) in rows_of:
            sheet, row = "survey", rows_of[named.group(1)]
        raise XLSFormError(
            [
                FormProblem(
                    sheet,
                    row,
                    _("the XLSForm converter (pyxform) refused the form: %(detail)s")
                    % {"detail": detail},
                )
            ]
        ) from exc
    except Exception as exc:  # anything else pyxform trips over
        raise XLSFormError(
            [
                FormProblem(
                    "",
                    None,
                    _("The XLSForm converter (pyxform) could not read the form: %(detail)s")
                    % {"detail": exc},
                )
            ]
        ) from exc


# Writing ---------------------------------------------------------------------------------


def _type_cell(question: Question) -> tuple[str, str]:
    """(XLSForm type, appearance) for a question."""
    if question.type in (QuestionType.SELECT_ONE, QuestionType.YES_NO, QuestionType.VILLAGE):
        return f"select_one {question.list_name}", question.appearance
    if question.type == QuestionType.RATING:
        return (
            f"select_one {question.list_name}",
            " ".join(["likert", *question.appearance.split()]),
        )
    if question.type == QuestionType.SELECT_MULTIPLE:
        return f"select_multiple {question.list_name}", question.appearance
    return str(question.type), question.appearance


def xlsform_write(*, definition: Definition, title: str, form_id: str, version: str) -> bytes:
    """The definition as an XLSForm workbook (.xlsx bytes)."""
    import openpyxl
    from openpyxl.styles import Font

    def lang_columns(base: str) -> list[str]:
        return [f"{base}::{LANGUAGE_COLUMN_NAMES[code]}" for code in LANGUAGES]

    survey_header = [
        "type",
        "name",
        *lang_columns("label"),
        *lang_columns("hint"),
        "required",
        "relevant",
        "constraint",
        *lang_columns("constraint_message"),
        "appearance",
    ]
    workbook = openpyxl.Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    survey.append(survey_header)

    def texts(value: Text) -> list[str]:
        return [getattr(value, code) for code in LANGUAGES]

    def write(items: list[Question | Group]) -> None:
        for item in items:
            if isinstance(item, Group):
                kind = "repeat" if item.repeat else "group"
                survey.append(
                    [
                        f"begin {kind}",
                        item.name,
                        *texts(item.label),
                        "",
                        "",
                        "",
                        "",
                        item.relevant,
                        "",
                        "",
                        "",
                        "",
                        item.appearance,
                    ]
                )
                write(item.items)
                survey.append(
                    [f"end {kind}", "", "", "", "", "", "", "", "", "", "", "", "", "", ""]
                )
            else:
                qtype, appearance = _type_cell(item)
                survey.append(
                    [
                        qtype,
                        item.name,
                        *texts(item.label),
                        *texts(item.hint),
                        "yes" if item.required else "",
                        item.relevant,
                        item.constraint,
                        *texts(item.constraint_message),
                        appearance,
                    ]
                )

    write(definition.items)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *lang_columns("label")])
    for choice_list in definition.lists:
        for choice in choice_list.choices:
            choices.append([choice_list.name, choice.name, *texts(choice.label)])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([title, form_id, version, LANGUAGE_COLUMN_NAMES["ky"]])
    for sheet in (survey, choices, settings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
