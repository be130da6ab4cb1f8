"""Reports in the API: request a round's report (made in the background), follow its
progress, download its file. Requests need the round's staff or monitoring group (a token
or the session with its CSRF token); reading a report's state and file needs what reading
the round's results needs (nothing once the round is published)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status
from ninja.security import django_auth

from aimak.accounts.api_auth import TokenAuth
from aimak.accounts.services import api_token_authenticate
from aimak.surveys.models import Round

from .models import Report, ReportError, ReportKind, ReportLanguage, ReportStatus
from .selectors import is_stale, report_data_state, report_get, report_list
from .services import report_request

router = Router(tags=["reports"])
AUTH = [TokenAuth(), django_auth]


class ReportIn(Schema):
    kind: str = Field(description=", ".join(ReportKind.values))
    language: str = Field(description=", ".join(ReportLanguage.values))


class ReportOut(Schema):
    id: int
    round: int
    kind: str
    language: str
    status: str = Field(description="queued, running, done or failed")
    progress: int = Field(description="0–100")
    step: str = Field(description="What the job is doing, in words")
    error: str = Field(description="Why it failed, in words (empty unless failed)")
    interviews: int = Field(description="Interviews the report is made from")
    outdated: bool = Field(description="The round's data changed since the report was made")
    created: bool = Field(
        False, description="False when the same report on the same data was already requested"
    )
    requested_at: datetime.datetime
    finished_at: datetime.datetime | None
    size: int = Field(description="Bytes of the file")
    file: str | None = Field(description="Download path, once done")


class ErrorOut(Schema):
    detail: Any


def _reader(request) -> None:
    """Sign the request in with a Bearer token when it carries one (reads may be public)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = api_token_authenticate(raw=header[7:].strip())
        if user is None:
            raise AuthenticationError()
        request.user = user


def _out(report: Report, *, key: str | None = None, created: bool = False) -> dict[str, Any]:
    stale = is_stale(report)
    status = ReportStatus.FAILED if stale else report.status
    return {
        "id": report.pk,
        "round": report.round_id,
        "kind": report.kind,
        "language": report.language,
        "status": status,
        "progress": report.progress,
        "step": report.get_step_display(),
        "error": str(ReportError.INTERRUPTED.label) if stale else report.get_error_display(),
        "interviews": report.interviews,
        "outdated": key is not None and status == ReportStatus.DONE and report.data_key != key,
        "created": created,
        "requested_at": report.requested_at,
        "finished_at": report.finished_at,
        "size": report.size,
        "file": reverse("api:report_file", kwargs={"pk": report.pk})
        if status == ReportStatus.DONE
        else None,
    }


def _readable(request, pk: int) -> Report:
    _reader(request)
    report = report_get(pk=pk)
    if report is None:
        raise Http404
    if not request.user.has_perm("reports.view_reports", report.round):
        raise PermissionDenied(_("The reports of this round are not published."))
    if report.status != ReportStatus.DONE and not request.user.has_perm(
        "surveys.view_round", report.round
    ):
        raise Http404
    return report


@router.post(
    "/rounds/{pk}/reports",
    response={202: ReportOut, 422: ErrorOut},
    auth=AUTH,
    summary="Request a round's report (analytical PDF or DOCX, scorecard PDF, tables XLSX) in "
    "ky, ru or en; made in the background: follow GET /reports/{id}",
)
def report_create(request, pk: int, payload: ReportIn):
    round = get_object_or_404(Round.objects.select_related("municipality"), pk=pk)
    if not request.user.has_perm("reports.request_report", round):
        raise PermissionDenied(
            _("Only the round's staff and monitoring group may request reports.")
        )
    report, created = report_request(
        round=round, kind=payload.kind, language=payload.language, user=request.user
    )
    report.refresh_from_db()
    return Status(202, _out(report, created=created))


@router.get(
    "/rounds/{pk}/reports",
    response=list[ReportOut],
    summary="A round's reports, newest first (finished ones only for readers outside the round)",
)
def report_list_view(request, pk: int):
    _reader(request)
    round = get_object_or_404(Round.objects.select_related("municipality"), pk=pk)
    if not request.user.has_perm("reports.view_reports", round):
        raise PermissionDenied(_("The reports of this round are not published."))
    reports = report_list(round=round, user=request.user)
    key = report_data_state(round=round).key if reports else None
    return [_out(r, key=key) for r in reports]


@router.get(
    "/reports/{pk}",
    response=ReportOut,
    summary="A report's state: status, progress and step, the error in words, the file path",
)
def report_state(request, pk: int):
    report = _readable(request, pk)
    return _out(report, key=report_data_state(round=report.round).key)


@router.get(
    "/reports/{pk}/file",
    url_name="report_file",
    summary="A finished report's file (PDF, DOCX or XLSX)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/pdf": {},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
                },
            }
        }
    },
)
def report_file(request, pk: int):
    report = _readable(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.download_name,
        content_type=report.content_type,
    )
