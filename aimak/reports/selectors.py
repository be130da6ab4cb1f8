"""Reads of the reports app: a round's reports, what a report would be made from now, and
the earlier round a report compares with."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from aimak.results.selectors import ENGINE_VERSION, population_structure_latest
from aimak.surveys.models import Interview, Round, RoundStatus

from .models import Report, ReportStatus

REPORT_VERSION = 1  # bump when a change to the reports must not reuse files already made
STALE_AFTER = datetime.timedelta(minutes=30)  # a job running this long has died with its worker


def previous_round(*, round: Round) -> Round | None:
    """The latest earlier round of the same municipality that collected interviews."""
    return (
        Round.objects.filter(
            municipality_id=round.municipality_id,
            start_date__lt=round.start_date,
        )
        .filter(Exists(Interview.objects.filter(round=OuterRef("pk"))))
        .exclude(status=RoundStatus.PLANNING)
        .exclude(pk=round.pk)
        .order_by("-start_date", "-pk")
        .first()
    )


def _stamp(round: Round) -> tuple[int, str]:
    counts = Interview.objects.filter(round=round).aggregate(n=Count("pk"), last=Max("pk"))
    return counts["n"], f"{round.pk}:{round.version_id}:{counts['n']}:{counts['last'] or 0}"


@dataclass(frozen=True)
class DataState:
    key: str
    interviews: int
    previous: Round | None


def report_data_state(*, round: Round) -> DataState:
    """What a report of `round` would be made from now: its interviews, the population
    structure that weights them, its status (preliminary or not) and the earlier round with
    its interviews. Two reports with the same key show the same figures."""
    interviews, stamp = _stamp(round)
    structure = population_structure_latest(municipality=round.municipality_id)
    weights = f"{structure.pk}@{structure.updated_at.timestamp()}" if structure else "none"
    previous = previous_round(round=round)
    before = _stamp(previous)[1] if previous else "none"
    raw = f"r{REPORT_VERSION}:e{ENGINE_VERSION}:{stamp}:{round.status}:{weights}:{before}"
    return DataState(hashlib.sha256(raw.encode()).hexdigest()[:40], interviews, previous)


def is_stale(report: Report, now: datetime.datetime | None = None) -> bool:
    """A job that has been running longer than any report takes: its worker died."""
    now = now or timezone.now()
    return (
        report.status == ReportStatus.RUNNING
        and report.started_at is not None
        and now - report.started_at > STALE_AFTER
    )


def report_same(*, round: Round, kind: str, language: str, data_key: str) -> Report | None:
    """The report of this kind and language on the same data, made or being made."""
    candidates = Report.objects.filter(
        round=round,
        kind=kind,
        language=language,
        data_key=data_key,
        status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.DONE],
    ).order_by("-requested_at", "-pk")
    return next((r for r in candidates if not is_stale(r)), None)


def report_list(*, round: Round, user: Any, limit: int = 30) -> list[Report]:
    """The round's reports, newest first: every one for the round's people, the finished
    ones for others (who see them once the round is published)."""
    qs: QuerySet[Report] = Report.objects.filter(round=round).select_related("requested_by")
    if not user.has_perm("surveys.view_round", round):
        qs = qs.filter(status=ReportStatus.DONE)
    return list(qs.order_by("-requested_at", "-pk")[:limit])


def report_get(*, pk: int) -> Report | None:
    return (
        Report.objects.select_related("round", "round__municipality", "requested_by")
        .filter(pk=pk)
        .first()
    )
