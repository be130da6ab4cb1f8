"""Pages of the reports app: a round's reports (request, progress, download). Thin: the work
is in services.py and the background job. The list works without JavaScript (a refresh
link and a meta refresh while a report is being made); with htmx it follows the jobs every
2 s."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aimak.surveys.models import Round

from .models import ReportKind, ReportLanguage, ReportStatus
from .selectors import is_stale, report_data_state, report_get, report_list
from .services import report_request


def _round(request: HttpRequest, pk: int) -> Round:
    round: Round = get_object_or_404(
        Round.objects.select_related("municipality", "version__questionnaire"), pk=pk
    )
    if not request.user.has_perm("reports.view_reports", round):
        raise PermissionDenied(_("The reports of this round are not published."))
    return round


def _rows(request: HttpRequest, round: Round) -> dict[str, Any]:
    reports = report_list(round=round, user=request.user)
    state = report_data_state(round=round) if reports else None
    rows = []
    for report in reports:
        stale = is_stale(report)
        rows.append(
            {
                "report": report,
                "stale": stale,
                "active": report.is_active and not stale,
                "outdated": state is not None
                and report.status == ReportStatus.DONE
                and report.data_key != state.key,
                "now": state.interviews if state else None,
            }
        )
    return {
        "round": round,
        "rows": rows,
        "active": any(r["active"] for r in rows),
    }


@require_GET
def round_reports(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    context = _rows(request, round)
    context.update(
        {
            "municipality": round.municipality,
            "can_request": request.user.has_perm("reports.request_report", round),
            "can_see_round": request.user.has_perm("surveys.view_round", round),
            "kinds": ReportKind.choices,
            "languages": ReportLanguage.choices,
        }
    )
    return render(request, "reports/round_reports.html", context)


@require_GET
def round_reports_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """The list alone, polled by htmx every 2 s while a report is being made."""
    round = _round(request, pk)
    return render(request, "reports/_report_rows.html", _rows(request, round))


@require_POST
def report_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    if not request.user.has_perm("reports.request_report", round):
        raise PermissionDenied(
            _("Only the round's staff and monitoring group may request reports.")
        )
    try:
        report, created = report_request(
            round=round,
            kind=request.POST.get("kind", ""),
            language=request.POST.get("language", ""),
            user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if created:
            messages.success(
                request,
                _("“%(kind)s” is being made; this page shows its progress.")
                % {"kind": report.get_kind_display()},
            )
        elif report.status == ReportStatus.DONE:
            messages.info(
                request,
                _("This report is already made from the same interviews: download it below."),
            )
        else:
            messages.info(request, _("This report is already being made."))
    return redirect("reports:round", pk=round.pk)


@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = report_get(pk=pk)
    if report is None:
        raise Http404
    if not request.user.has_perm("reports.view_reports", report.round):
        raise PermissionDenied(_("The reports of this round are not published."))
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.download_name,
        content_type=report.content_type,
    )
