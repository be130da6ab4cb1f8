"""Making one report's file: read the round's results (for everyone and each breakdown,
suppressed for publication) and the change since the earlier round, state them
(content.py), draw the charts (charts.py) and write the file (pdf.py, word.py,
workbook.py). Called by services.report_build inside `translation.override(language)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from aimak.results.compute import RoundResults, SectionChange, suppress, suppress_changes
from aimak.results.selectors import round_change, round_results, single_breakdowns
from aimak.surveys.models import Round, RoundStatus, SamplePlan

from . import charts
from .content import MIN_CELL, Facts, analytical_document, scorecard
from .models import ReportKind, ReportStep

Progress = Callable[[int, str], None]


class NoInterviews(Exception):
    """The round has no interviews: there is nothing to report."""


@dataclass
class ReportData:
    results: RoundResults
    changes: list[SectionChange] | None
    facts: Facts


def report_data(*, round: Round, previous: Round | None, language: str) -> ReportData:
    results = round_results(round=round, breakdowns=single_breakdowns(round=round))
    if results.interviews == 0:
        raise NoInterviews
    results = suppress(results, MIN_CELL)
    changes = None
    if previous is not None:
        changes = suppress_changes(round_change(round=round, previous=previous), MIN_CELL)
    plan = SamplePlan.objects.filter(round=round).first()
    facts = Facts(
        round_id=round.pk,
        municipality=round.municipality.name,
        start=round.start_date,
        end=round.end_date,
        status=round.status,
        preliminary=round.status in (RoundStatus.PLANNING, RoundStatus.COLLECTING),
        questionnaire=round.version.questionnaire.title,
        version=round.version.number,
        plan=plan,
        language=language,
        previous_start=previous.start_date if previous else None,
        previous_end=previous.end_date if previous else None,
        generated_at=timezone.localtime(),
    )
    return ReportData(results=results, changes=changes, facts=facts)


def _analytical(data: ReportData, progress: Progress, writer: str) -> bytes:
    document = analytical_document(data.results, data.changes, data.facts)
    progress(40, ReportStep.CHARTS)
    for chart in document.charts:
        charts.draw(chart)
    progress(70, ReportStep.WRITING)
    if writer == "docx":
        from .word import analytical_docx

        return analytical_docx(document)
    from .pdf import analytical_pdf

    return analytical_pdf(document)


def build_analytical_pdf(data: ReportData, progress: Progress) -> bytes:
    return _analytical(data, progress, "pdf")


def build_analytical_docx(data: ReportData, progress: Progress) -> bytes:
    return _analytical(data, progress, "docx")


def build_scorecard_pdf(data: ReportData, progress: Progress) -> bytes:
    from .pdf import scorecard_pdf

    progress(60, ReportStep.WRITING)
    return scorecard_pdf(scorecard(data.results, data.changes, data.facts))


def build_tables_xlsx(data: ReportData, progress: Progress) -> bytes:
    from .workbook import tables_xlsx

    document = analytical_document(data.results, data.changes, data.facts)
    progress(60, ReportStep.WRITING)
    return tables_xlsx(document, data.results)


BUILDERS: dict[str, Callable[[ReportData, Progress], bytes]] = {
    ReportKind.ANALYTICAL_PDF: build_analytical_pdf,
    ReportKind.ANALYTICAL_DOCX: build_analytical_docx,
    ReportKind.SCORECARD_PDF: build_scorecard_pdf,
    ReportKind.TABLES_XLSX: build_tables_xlsx,
}


def build(
    *, kind: str, round: Round, previous: Round | None, language: str, progress: Progress
) -> bytes:
    progress(10, ReportStep.RESULTS)
    data = report_data(round=round, previous=previous, language=language)
    progress(30, ReportStep.RESULTS)
    return BUILDERS[kind](data, progress)
