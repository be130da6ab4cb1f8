"""Writes of the reports app: requesting a report (once per kind, language and data) and
making it in the background job.

A report's file is written only when the whole document is made; a failure at any step
leaves the report `failed` with a message for its reader, no file, and the traceback in
the log.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aimak.surveys.models import Round

from .build import NoInterviews, build
from .models import Report, ReportError, ReportKind, ReportLanguage, ReportStatus, ReportStep
from .selectors import report_data_state, report_same

logger = logging.getLogger(__name__)


def report_request(*, round: Round, kind: str, language: str, user: Any) -> tuple[Report, bool]:
    """The report of `kind` in `language` on the round's current data: the one already made
    or being made, or a new one queued for the background worker (created = True)."""
    if kind not in ReportKind.values:
        raise ValidationError(_("Choose a kind of report."))
    if language not in ReportLanguage.values:
        raise ValidationError(_("Choose the report's language: ky, ru or en."))
    with transaction.atomic():
        Round.objects.select_for_update().filter(pk=round.pk).first()
        state = report_data_state(round=round)
        if state.interviews == 0:
            raise ValidationError(str(ReportError.NO_INTERVIEWS.label))
        same = report_same(round=round, kind=kind, language=language, data_key=state.key)
        if same is not None:
            return same, False
        report = Report.objects.create(
            round=round,
            kind=kind,
            language=language,
            data_key=state.key,
            interviews=state.interviews,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
        )
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report, True


def _enqueue(report_id: int) -> None:
    from .tasks import report_job

    try:
        result = report_job.enqueue(report_id)
    except Exception:
        logger.exception("Report %s could not be queued", report_id)
        _fail(report_id, ReportError.UNEXPECTED)
        return
    Report.objects.filter(pk=report_id, task_id="").update(task_id=result.id)


def _fail(report_id: int, error: str) -> None:
    Report.objects.filter(pk=report_id).update(
        status=ReportStatus.FAILED, error=error, finished_at=timezone.now()
    )


def report_progress(*, report_id: int, percent: int, step: str) -> None:
    Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
        progress=max(0, min(100, percent)), step=step
    )


def report_build(*, report_id: int) -> None:
    """The background job's work: make the queued report's file. Idempotent: a report that
    is not queued any more (made, failed, or taken by another worker) is left alone."""
    report = (
        Report.objects.select_related(
            "round", "round__municipality", "round__version", "round__version__questionnaire"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return
    took = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING,
        started_at=timezone.now(),
        progress=5,
        step=ReportStep.RESULTS,
    )
    if not took:
        return
    started = time.monotonic()
    saved = ""

    def progress(percent: int, step: str) -> None:
        report_progress(report_id=report_id, percent=percent, step=step)

    try:
        round = report.round
        state = report_data_state(round=round)
        Report.objects.filter(pk=report_id).update(data_key=state.key, interviews=state.interviews)
        with translation.override(report.language):
            content = build(
                kind=report.kind,
                round=round,
                previous=state.previous,
                language=report.language,
                progress=progress,
            )
        progress(95, ReportStep.SAVING)
        report.file.save(report.download_name, ContentFile(content), save=False)
        saved = report.file.name or ""
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.DONE,
            progress=100,
            step=ReportStep.DONE,
            file=saved,
            size=len(content),
            finished_at=timezone.now(),
            seconds=round_seconds(time.monotonic() - started),
        )
    except NoInterviews:
        _fail(report_id, ReportError.NO_INTERVIEWS)
    except Exception:
        logger.exception("Report %s (%s, %s) failed", report_id, report.kind, report.language)
        if saved:
            report.file.storage.delete(saved)
        _fail(report_id, ReportError.UNEXPECTED)


def round_seconds(value: float) -> float:
    return round(value, 3)
