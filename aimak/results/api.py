"""Results in the API: a round's indices with intervals and breakdowns, the change between
two rounds, open data (CSV, XLSX) and the population structure that weights the rounds.

Reading results needs no account for a published round; a round's managers and assigned
people read it at any status, signed in or with `Authorization: Bearer <token>`. Public
readers get cells of fewer than 5 respondents blanked (`min_cell`); managers may ask for
any threshold, 0 included. The pages and reports use the same selectors.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status

from aimak.accounts.api_auth import TokenAuth
from aimak.accounts.services import api_token_authenticate
from aimak.surveys.models import Round, RoundStatus
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .compute import (
    DIMENSIONS,
    Cell,
    Change,
    Estimate,
    RoundResults,
    SectionChange,
    suppress,
    suppress_changes,
)
from .models import AGE_NAMES, SEX_NAMES, PopulationStructure
from .opendata import to_csv, to_xlsx
from .selectors import (
    available_dimensions,
    population_structure_list,
    results_min_cell,
    round_change,
    round_results,
    single_breakdowns,
)
from .services import population_structure_set

router = Router(tags=["results"])
LANGUAGES = ("ky", "ru", "en")


# --- Schemas -------------------------------------------------------------------------------


class EstimateOut(Schema):
    indicator: str = Field(
        description="share (of one choice), off_scale (don't know / refused, share of "
        "everyone who answered), satisfied (top two points), dissatisfied (bottom two), "
        "net (satisfied − dissatisfied, points), score (0–100), mean (on the scale)"
    )
    category: str = Field(description="The choice's name for share and off_scale, else empty")
    label: str
    count: int | None = Field(description="Unweighted respondents who chose it")
    base: int | None = Field(description="Unweighted respondents the percentage is of")
    estimate: float | None = Field(description="Percent (weighted when the round is weighted)")
    low: float | None = Field(description="Lower bound of the 95% interval")
    high: float | None = Field(description="Upper bound of the 95% interval")
    method: str = Field(
        description="wilson, wilson-kish (Wilson on Kish's effective n), normal(-kish), "
        "wald-multinomial(-kish)"
    )
    flags: list[str] = Field(description="small_base (< 30), wide_interval (> ±10), suppressed")


class CellOut(Schema):
    group: dict[str, str] = Field(description="Dimension: group name; empty for everyone")
    label: str
    base: int | None
    answered: int | None = Field(description="The base plus don't know and refused")
    weighted_base: float | None
    effective_n: float | None = Field(description="Kish effective sample size of the base")
    suppressed: bool
    flags: list[str]
    estimates: list[EstimateOut]


class QuestionOut(Schema):
    question: str
    label: str
    kind: str = Field(description="rating, choice or multi")
    role: str = Field(description="uses (who uses the service) or service")
    cells: list[CellOut] = Field(description="Everyone first, then each group")


class GroupSizeOut(Schema):
    group: dict[str, str]
    label: str
    respondents: int | None


class SectionOut(Schema):
    service: str
    label: str
    uses_question: str | None = Field(
        description="The question whose 'yes' makes the base of the service's questions"
    )
    respondents: list[GroupSizeOut]
    questions: list[QuestionOut]


class WeightCellOut(Schema):
    sex: str
    age_group: str
    persons: int
    respondents: int
    weight: float | None


class WeightingOut(Schema):
    method: str = Field(description="none or post-stratification (sex × age group)")
    note: str
    structure_year: int | None
    structure_source: str
    trim_factor: float
    cap: float | None = Field(description="Weights above this were cut down to it")
    trimmed: int = Field(description="Respondents whose weight was trimmed")
    unmatched: int = Field(description="Respondents without sex or age group (average weight)")
    empty_cells: list[str] = Field(description="Population cells without any respondent")
    design_effect: float | None = Field(description="n / Kish effective n of the weights")
    cells: list[WeightCellOut]


class ResultsOut(Schema):
    round: int
    municipality: str = Field(description="SOATE code")
    status: str
    interviews: int
    by: list[str]
    dimensions: list[str] = Field(description="Dimensions this round's form can break down by")
    min_cell: int = Field(description="Cells with fewer respondents are blank")
    weighting: WeightingOut
    sections: list[SectionOut]


class ResultsQuery(Schema):
    by: str = Field(
        "",
        description="One dimension or two separated by a comma: "
        + ", ".join(DIMENSIONS)
        + " (e.g. sex or sex,village)",
    )
    min_cell: int | None = Field(
        None, ge=0, le=1000, description="Blank cells under this many respondents"
    )
    lang: str = Field("", description="ky, ru or en for the labels")


class ChangeItemOut(Schema):
    indicator: str = Field(description="satisfied, dissatisfied, score or share")
    category: str
    label: str
    before: float | None
    after: float | None
    difference: float | None = Field(description="after − before, in points")
    low: float | None
    high: float | None
    significant: bool | None = Field(description="The 95% interval excludes 0")
    base_before: int | None
    base_after: int | None
    method: str = Field(description="newcombe (hybrid score) or normal (score)")
    flags: list[str]


class QuestionChangeOut(Schema):
    question: str
    label: str
    changes: list[ChangeItemOut]


class SectionChangeOut(Schema):
    service: str
    label: str
    questions: list[QuestionChangeOut]


class ChangeOut(Schema):
    round: int
    previous: int
    sections: list[SectionChangeOut]


class PopulationCellsIn(Schema):
    year: int = Field(ge=1990, le=2100)
    source: str = Field(max_length=200)
    cells: dict[str, dict[str, int]] = Field(
        description="Persons by sex ("
        + ", ".join(SEX_NAMES)
        + ") and age group ("
        + ", ".join(AGE_NAMES)
        + ")"
    )


class PopulationOut(Schema):
    municipality: str
    year: int
    source: str
    cells: dict[str, dict[str, int]]
    total: int
    updated_at: datetime.datetime


class ErrorOut(Schema):
    detail: list[str]


# --- Helpers -------------------------------------------------------------------------------


def _reader(request) -> None:
    """Sign the request in with a Bearer token when it carries one (reads are public)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = api_token_authenticate(raw=header[7:].strip())
        if user is None:
            raise AuthenticationError()
        request.user = user


def _round(request, pk: int) -> Round:
    _reader(request)
    round = get_object_or_404(
        Round.objects.select_related("municipality", "version", "version__questionnaire"), pk=pk
    )
    if not request.user.has_perm("results.view_results", round):
        raise PermissionDenied(_("The results of this round are not published."))
    return round


def _min_cell(request, round: Round, asked: int | None) -> int:
    return results_min_cell(user=request.user, round=round, asked=asked)


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else (translation.get_language() or "ru")[:2]


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _estimate(indicator: str, category: str, label: str, count, base, e: Estimate) -> dict:
    return {
        "indicator": indicator,
        "category": category,
        "label": label,
        "count": count,
        "base": base,
        "estimate": _r(e.value),
        "low": _r(e.low),
        "high": _r(e.high),
        "method": e.method,
        "flags": list(e.flags),
    }


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "group": cell.group.key,
        "label": cell.group.label,
        "base": cell.base,
        "answered": cell.answered,
        "weighted_base": _r(cell.weighted_base),
        "effective_n": _r(cell.effective_n),
        "suppressed": cell.suppressed,
        "flags": list(cell.flags),
        "estimates": [
            _estimate(
                line.indicator,
                line.category,
                line.label if line.category else "",
                line.count,
                line.base,
                line.estimate,
            )
            for line in cell.lines()
        ],
    }


def _results(results: RoundResults, by: tuple[str, ...], dimensions: list[str]) -> dict:
    w = results.weighting
    return {
        "round": results.round_id,
        "municipality": results.municipality,
        "status": results.status,
        "interviews": results.interviews,
        "by": list(by),
        "dimensions": dimensions,
        "min_cell": results.min_cell,
        "weighting": {
            "method": w.method,
            "note": w.note,
            "structure_year": w.structure_year,
            "structure_source": w.structure_source,
            "trim_factor": w.trim_factor,
            "cap": _r(w.cap),
            "trimmed": w.trimmed,
            "unmatched": w.unmatched,
            "empty_cells": w.empty_cells,
            "design_effect": _r(w.design_effect),
            "cells": [
                {
                    "sex": c.sex,
                    "age_group": c.age_group,
                    "persons": c.persons,
                    "respondents": c.respondents,
                    "weight": _r(c.weight),
                }
                for c in w.cells
            ],
        },
        "sections": [
            {
                "service": s.slug,
                "label": s.label,
                "uses_question": s.uses,
                "respondents": [
                    {"group": g.group.key, "label": g.group.label, "respondents": g.respondents}
                    for g in s.sizes
                ],
                "questions": [
                    {
                        "question": q.name,
                        "label": q.label,
                        "kind": q.kind,
                        "role": q.role,
                        "cells": [_cell(c) for c in [q.total, *q.groups]],
                    }
                    for q in s.questions
                ],
            }
            for s in results.sections
        ],
    }


def _change_item(c: Change) -> dict[str, Any]:
    return {
        "indicator": c.indicator,
        "category": c.category,
        "label": c.label if c.category else "",
        "before": _r(c.before),
        "after": _r(c.after),
        "difference": _r(c.difference),
        "low": _r(c.low),
        "high": _r(c.high),
        "significant": c.significant,
        "base_before": c.base_before,
        "base_after": c.base_after,
        "method": c.method,
        "flags": list(c.flags),
    }


def _changes(sections: list[SectionChange]) -> list[dict[str, Any]]:
    return [
        {
            "service": s.slug,
            "label": s.label,
            "questions": [
                {
                    "question": q.name,
                    "label": q.label,
                    "changes": [_change_item(c) for c in q.changes],
                }
                for q in s.questions
            ],
        }
        for s in sections
    ]


# --- Endpoints -----------------------------------------------------------------------------


@router.get(
    "/rounds/{pk}/results",
    response={200: ResultsOut, 422: ErrorOut},
    summary="A round's indices per service and question, with 95% intervals, for everyone "
    "and by one or two dimensions (public once the round is published)",
)
def results(request, pk: int, query: Query[ResultsQuery]):
    round = _round(request, pk)
    by = tuple(part.strip() for part in query.by.split(",") if part.strip())
    min_cell = _min_cell(request, round, query.min_cell)
    with translation.override(_language(query.lang)):
        computed = round_results(round=round, breakdowns=[by] if by else [])
        shown = suppress(computed, min_cell)
        # Only the groups of the breakdown asked for (the total is always there).
        return _results(shown, by, available_dimensions(round=round))


@router.get(
    "/rounds/{pk}/change",
    response={200: ChangeOut, 422: ErrorOut},
    summary="What changed since another round of the same municipality: differences of "
    "shares with Newcombe's 95% interval, and whether each is significant",
)
def round_change_view(
    request,
    pk: int,
    previous: int = Query(..., alias="from", description="The earlier round's id"),
    min_cell: int | None = Query(None, ge=0, le=1000),
    lang: str = "",
):
    round = _round(request, pk)
    earlier = _round(request, previous)
    threshold = max(_min_cell(request, round, min_cell), _min_cell(request, earlier, min_cell))
    with translation.override(_language(lang)):
        sections = suppress_changes(round_change(round=round, previous=earlier), threshold)
        return {"round": round.pk, "previous": earlier.pk, "sections": _changes(sections)}


def _open_data(request, pk: int, min_cell: int | None) -> RoundResults:
    round = _round(request, pk)
    if round.status != RoundStatus.PUBLISHED:
        raise Http404
    computed = round_results(round=round, breakdowns=single_breakdowns(round=round))
    return suppress(computed, _min_cell(request, round, min_cell))


def _download(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/rounds/{pk}/open-data.csv",
    summary="A published round's aggregated results as CSV (one row per estimate; cells of "
    "fewer than 5 respondents blank; never individual answers)",
    openapi_extra={"responses": {200: {"description": "CSV, UTF-8", "content": {"text/csv": {}}}}},
)
def open_data_csv(request, pk: int, min_cell: int | None = None, lang: str = ""):
    results = _open_data(request, pk, min_cell)
    text = to_csv(results, _language(lang))
    return _download("\ufeff" + text, "text/csv; charset=utf-8", f"aimak-round-{pk}-results.csv")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/rounds/{pk}/open-data.xlsx",
    summary="A published round's aggregated results as an XLSX workbook",
    openapi_extra={"responses": {200: {"description": "XLSX workbook", "content": {XLSX: {}}}}},
)
def open_data_xlsx(request, pk: int, min_cell: int | None = None, lang: str = ""):
    results = _open_data(request, pk, min_cell)
    return _download(to_xlsx(results, _language(lang)), XLSX, f"aimak-round-{pk}-results.xlsx")


def _municipality(code: str) -> Territory:
    return get_object_or_404(Territory, code=code, level__in=MUNICIPAL_LEVELS)


def _population(structure: PopulationStructure) -> dict[str, Any]:
    return {
        "municipality": structure.municipality.code,
        "year": structure.year,
        "source": structure.source,
        "cells": structure.cells,
        "total": structure.total,
        "updated_at": structure.updated_at,
    }


@router.get(
    "/municipalities/{code}/population-structure",
    response=list[PopulationOut],
    summary="A municipality's population by sex and age group, latest year first (weights "
    "its report-card rounds)",
)
def population_structure_get(request, code: str):
    municipality = _municipality(code)
    return [
        _population(s)
        for s in population_structure_list(municipality=municipality).select_related("municipality")
    ]


@router.put(
    "/municipalities/{code}/population-structure",
    response={200: PopulationOut, 422: ErrorOut},
    auth=TokenAuth(),
    summary="Enter or correct one year's population by sex and age group (staff and "
    "monitoring group of that municipality)",
)
def population_structure_put(request, code: str, payload: PopulationCellsIn):
    municipality = _municipality(code)
    if not request.user.has_perm("surveys.manage_rounds", municipality):
        raise PermissionDenied(
            _("You may not change the population of %(unit)s.") % {"unit": municipality.name}
        )
    try:
        structure = population_structure_set(
            municipality=municipality,
            year=payload.year,
            source=payload.source,
            cells=payload.cells,
            user=request.user,
        )
    except ValidationError as exc:
        return Status(422, {"detail": exc.messages})
    return _population(structure)
