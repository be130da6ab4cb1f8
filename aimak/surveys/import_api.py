"""Interview imports in the API: upload a file (the answer proposes how its columns match
the questions), correct the matching and the key column, check the whole file, import it
(every row or none; large files in the background, with progress), read the problem report
(JSON or CSV), and export a round's interviews as CSV. The same services as the pages
(importing.py); the round's managers only (surveys.manage_rounds on its municipality)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from aimak.accounts.api_auth import TokenAuth

from .collection import version_checker
from .importing import (
    FileRefused,
    Layout,
    check_is_current,
    import_check,
    import_settings_set,
    import_start,
    import_upload,
    interview_export_lines,
    mapping_suggest,
    problem_report_lines,
)
from .models import InterviewImport, Round
from .selectors import import_list

router = Router(tags=["imports"])
AUTH = [TokenAuth(), django_auth]


class ColumnOut(Schema):
    key: str = Field(description="The column's name in the file (made unique)")
    header: str = Field(description="The header cell as written")
    question: str = Field(
        description="The question name it gives, @started, @completed, @enumerator, or empty "
        "when the column is left out"
    )
    matched: str = Field(
        description="How it was matched: name, group, label, meta (KoboToolbox/ODK field), "
        "key, option (a 0/1 column of one choice), or empty"
    )
    samples: list[str]


class ImportOut(Schema):
    id: int
    round: int
    filename: str
    size: int
    sha256: str
    status: str = Field(description="mapping, queued, running, done or failed")
    job: str = Field(description="What a queued or running job does: check or import")
    format: str = Field(description="csv or xlsx")
    encoding: str
    delimiter: str
    sheet: str
    sheets: list[str]
    rows_total: int
    rows_done: int = Field(description="Rows read so far by the running job")
    added: int
    duplicates: int
    problem_count: int
    checked: bool = Field(description="The whole file was checked with the current settings")
    message: str
    key_column: str
    columns: list[ColumnOut]
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ProblemOut(Schema):
    row: int = Field(description="The row's number in the file (the header is usually 1)")
    column: str
    value: str
    problem: str


class ProblemsOut(Schema):
    count: int = Field(description="Every problem found; the first 2,000 are listed")
    items: list[ProblemOut]


class SettingsIn(Schema):
    mapping: dict[str, str] = Field(
        default_factory=dict,
        description="Column name: question name (or @started, @completed, @enumerator; empty "
        "to leave the column out). Columns not named keep their current matching.",
    )
    key_column: str | None = Field(
        None, description="The column identifying an interview; empty for none"
    )
    encoding: str | None = Field(None, description="utf-8, cp1251, cp1252 or utf-16 (CSV)")
    sheet: str | None = Field(None, description="The sheet to read (XLSX)")


class ErrorOut(Schema):
    detail: list[str]


class ConflictOut(Schema):
    detail: list[str]
    earlier: int = Field(description="The import that already brought this file")


class RefusedOut(Schema):
    detail: list[str]
    problem_count: int
    problems: list[ProblemOut]


def _round(request: Any, pk: int) -> Round:
    round = get_object_or_404(Round.objects.select_related("municipality", "version"), pk=pk)
    if not request.user.has_perm("surveys.manage_rounds", round.municipality):
        raise PermissionDenied(_("You may not import interviews into this round."))
    return round


def _batch(round: Round, import_id: int) -> InterviewImport:
    batch: InterviewImport = get_object_or_404(InterviewImport, pk=import_id, round=round)
    batch.round = round
    return batch


def _out(batch: InterviewImport) -> dict[str, Any]:
    layout = Layout.from_json(batch.layout)
    how = mapping_suggest(layout, version_checker(batch.round.version)).how
    return {
        "id": batch.pk,
        "round": batch.round_id,
        "filename": batch.filename,
        "size": batch.size,
        "sha256": batch.sha256,
        "status": batch.status,
        "job": batch.job,
        "format": layout.format,
        "encoding": layout.encoding,
        "delimiter": layout.delimiter,
        "sheet": layout.sheet,
        "sheets": layout.sheets,
        "rows_total": batch.rows_total,
        "rows_done": batch.rows_done,
        "added": batch.added,
        "duplicates": batch.duplicates,
        "problem_count": batch.problem_count,
        "checked": check_is_current(batch),
        "message": batch.message,
        "key_column": batch.key_column,
        "columns": [
            {
                "key": key,
                "header": label,
                "question": batch.mapping.get(key, ""),
                "matched": how.get(key, ""),
                "samples": [row[i] for row in layout.samples if i < len(row) and row[i]][:3],
            }
            for i, (key, label) in enumerate(zip(layout.headers, layout.labels, strict=False))
        ],
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
    }


def _problems(batch: InterviewImport) -> list[dict[str, Any]]:
    return [
        {"row": row, "column": column, "value": value, "problem": message}
        for row, column, value, message in batch.problems
    ]


@router.post(
    "/rounds/{pk}/imports",
    response={201: ImportOut, 409: ConflictOut, 422: ErrorOut},
    auth=AUTH,
    summary="Upload a CSV or XLSX file of interviews; the answer proposes how its columns "
    "match the questions (nothing is imported yet)",
)
def upload(request, pk: int, file: UploadedFile = File(...)):  # noqa: B008
    round = _round(request, pk)
    try:
        batch = import_upload(round=round, file=file, user=request.user, filename=file.name or "")
    except FileRefused as refused:
        earlier = getattr(refused, "earlier", None)
        if earlier is not None:
            return Status(409, {"detail": refused.messages, "earlier": earlier.pk})
        return Status(422, {"detail": refused.messages})
    except ValidationError as refused:
        return Status(422, {"detail": refused.messages})
    batch.round = round
    return Status(201, _out(batch))


@router.get(
    "/rounds/{pk}/imports",
    response=list[ImportOut],
    auth=AUTH,
    summary="The round's imported files, newest first",
)
def list_imports(request, pk: int):
    round = _round(request, pk)
    batches = list(import_list(round=round)[:100])
    for batch in batches:
        batch.round = round
    return [_out(batch) for batch in batches]


@router.get(
    "/rounds/{pk}/imports/{import_id}",
    response=ImportOut,
    auth=AUTH,
    summary="One import: its matching, status and progress (rows_done of rows_total)",
)
def get_import(request, pk: int, import_id: int):
    return _out(_batch(_round(request, pk), import_id))


@router.put(
    "/rounds/{pk}/imports/{import_id}/mapping",
    response={200: ImportOut, 422: ErrorOut},
    auth=AUTH,
    summary="Correct how columns match questions, the key column, the encoding or the sheet",
)
def set_mapping(request, pk: int, import_id: int, data: SettingsIn):
    batch = _batch(_round(request, pk), import_id)
    mapping = {**batch.mapping, **data.mapping}
    try:
        import_settings_set(
            batch=batch,
            mapping=mapping,
            key_column=batch.key_column if data.key_column is None else data.key_column,
            encoding=data.encoding,
            sheet=data.sheet,
            user=request.user,
        )
    except ValidationError as refused:
        return Status(422, {"detail": refused.messages})
    return Status(200, _out(batch))


@router.post(
    "/rounds/{pk}/imports/{import_id}/check",
    response={200: ImportOut, 202: ImportOut, 422: ErrorOut},
    auth=AUTH,
    summary="Check the whole file without importing (202: a large file, checked in the "
    "background; follow rows_done)",
)
def check(request, pk: int, import_id: int):
    batch = _batch(_round(request, pk), import_id)
    try:
        batch = import_check(batch=batch, user=request.user)
    except ValidationError as refused:
        return Status(422, {"detail": refused.messages})
    return Status(202 if batch.status == InterviewImport.Status.QUEUED else 200, _out(batch))


@router.post(
    "/rounds/{pk}/imports/{import_id}/run",
    response={200: ImportOut, 202: ImportOut, 422: RefusedOut},
    auth=AUTH,
    summary="Import every row of the file, or none when any row has a problem (202: a large "
    "file, imported in the background)",
)
def run(request, pk: int, import_id: int):
    batch = _batch(_round(request, pk), import_id)
    try:
        batch = import_start(batch=batch, user=request.user)
    except ValidationError as refused:
        return Status(422, {"detail": refused.messages, "problem_count": 0, "problems": []})
    if batch.status == InterviewImport.Status.FAILED:
        return Status(
            422,
            {
                "detail": [batch.message],
                "problem_count": batch.problem_count,
                "problems": _problems(batch),
            },
        )
    return Status(202 if batch.status == InterviewImport.Status.QUEUED else 200, _out(batch))


@router.get(
    "/rounds/{pk}/imports/{import_id}/problems",
    response=ProblemsOut,
    auth=AUTH,
    summary="The problems the last check found: row, column, value and what is wrong",
)
def problems(request, pk: int, import_id: int):
    batch = _batch(_round(request, pk), import_id)
    return {"count": batch.problem_count, "items": _problems(batch)}


@router.get(
    "/rounds/{pk}/imports/{import_id}/problems.csv",
    auth=AUTH,
    summary="The problem report as CSV (cells that look like formulas are escaped)",
)
def problems_csv(request, pk: int, import_id: int):
    batch = _batch(_round(request, pk), import_id)
    response = StreamingHttpResponse(
        problem_report_lines(batch), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-problems.csv"'
    return response


@router.get(
    "/rounds/{pk}/interviews.csv",
    auth=AUTH,
    summary="Every interview of the round as CSV, one column per question (cells that look "
    "like formulas are escaped with an apostrophe)",
)
def export_csv(request, pk: int):
    round = _round(request, pk)
    response = StreamingHttpResponse(
        interview_export_lines(round=round), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{round.pk}-interviews.csv"'
    return response
