"""Gender and social inclusion in the API: the seed-002 indicators and their drill-downs
(anonymous reads), municipal budgets with GRB tags (token-authenticated writes)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from aimak.accounts.api_auth import TokenAuth
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from . import workbook
from .definitions import definitions
from .models import Budget, BudgetVersion
from .selectors import (
    Scope,
    budget_get,
    budget_hearings,
    budget_lines,
    budget_list,
    budget_shares,
    default_period,
    hearing_rows,
    indicators,
    mobilising_rows,
    policy_resolutions,
    policy_rows,
    region_get,
)
from .services import TagChange, budget_import, line_tags_set

router = Router(tags=["gender and social inclusion"])
PAGE_SIZE = 100


class PeriodQuery(Schema):
    start: datetime.date | None = Field(None, alias="from", description="First day (ISO)")
    end: datetime.date | None = Field(None, alias="to", description="Last day (ISO)")
    region: str = Field("", description="SOATE code of an oblast, rayon or city; empty: all")


class PageQuery(PeriodQuery):
    page: int = Field(1, ge=1)


def _scope(query: PeriodQuery) -> Scope:
    start, end = default_period()
    start = query.start or start
    end = query.end or end
    if start > end:
        raise ValidationError(_("The start of the period must not be after its end."))
    region = None
    if query.region:
        region = region_get(query.region)
        if region is None:
            raise Http404(_("No such region in the registry."))
    return Scope(start=start, end=end, region=region)


class ScopeOut(Schema):
    start: datetime.date = Field(alias="from")
    end: datetime.date = Field(alias="to")
    region: str | None = Field(description="SOATE code, null for the whole country")


class PolicyOut(Schema):
    in_force: int = Field(description="Municipalities with the policy in force on the last day")
    adopted: int = Field(description="Municipalities that adopted one during the period")
    definition: str


class KindOut(Schema):
    kind: str
    events: int
    women: int
    men: int
    not_stated: int


class HearingsOut(Schema):
    people: int
    women: int
    men: int
    not_stated: int
    events: int
    by_kind: list[KindOut]
    definition: str


class MobilisingOut(Schema):
    covered: int
    by_events: int
    by_rounds: int
    in_region: int = Field(description="Municipalities in the region")
    definition: str


class IndicatorsOut(Schema):
    scope: ScopeOut
    policy: PolicyOut
    hearings: HearingsOut
    mobilising: MobilisingOut


def _scope_out(scope: Scope) -> dict:
    return {
        "from": scope.start,
        "to": scope.end,
        "region": scope.region.code if scope.region else None,
    }


@router.get(
    "/inclusion/indicators",
    response=IndicatorsOut,
    by_alias=True,
    summary="The three gender and inclusion indicators of seed 002",
    description="Counted from council resolutions, event attendance and report-card rounds "
    "for a period (`from`, `to`, default: this calendar year) and a region (SOATE code of "
    "an oblast, rayon or city; default: the whole country).",
)
def get_indicators(request, query: Query[PeriodQuery]):
    scope = _scope(query)
    data = indicators(scope)
    texts = definitions()
    return {
        "scope": _scope_out(scope),
        "policy": {**data.policy, "definition": texts["policy"]["how"]},
        "hearings": {
            **{k: v for k, v in data.hearings.items() if k != "by_kind"},
            "by_kind": [
                {k: v for k, v in row.items() if k != "label"} for row in data.hearings["by_kind"]
            ],
            "definition": texts["hearings"]["how"],
        },
        "mobilising": {**data.mobilising, "definition": texts["mobilising"]["how"]},
    }


class PolicyRowOut(Schema):
    municipality: str = Field(description="SOATE code")
    municipality_name: str
    resolution: int
    number: str
    date: datetime.date
    title: str
    repealed_on: datetime.date | None
    in_force_at_end: bool


class HearingRowOut(Schema):
    event: int
    title: str
    kind: str
    starts_at: datetime.datetime
    municipality: str
    municipality_name: str
    women: int
    men: int
    not_stated: int


class MobilisingRowOut(Schema):
    municipality: str
    municipality_name: str
    events: int
    rounds: int


class PolicyPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PolicyRowOut]


class HearingPage(Schema):
    count: int
    page: int
    pages: int
    results: list[HearingRowOut]


class MobilisingPage(Schema):
    count: int
    page: int
    pages: int
    results: list[MobilisingRowOut]


def _page(rows, number: int):  # type: ignore[no-untyped-def]
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(number)
    return paginator, page


@router.get(
    "/inclusion/indicators/policies",
    response=PolicyPage,
    summary="Drill-down of indicator 1: the resolutions adopting a gender-sensitive policy",
    description="Resolutions with a gender-policy decision dated up to `to`, in force then "
    "or adopted during the period; 100 per page.",
)
def policies(request, query: Query[PageQuery]):
    paginator, page = _page(policy_rows(_scope(query)), query.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [
            {
                "municipality": r.municipality.code,
                "municipality_name": r.municipality.name,
                "resolution": r.pk,
                "number": r.number,
                "date": r.date,
                "title": r.title,
                "repealed_on": r.repealed_on,
                "in_force_at_end": bool(r.counted_in_force),
            }
            for r in page
        ],
    }


@router.get(
    "/inclusion/indicators/hearings",
    response=HearingPage,
    summary="Drill-down of indicator 2: attendance of each public hearing per municipality",
    description="One row per hearing and municipality; 100 per page.",
)
def hearings(request, query: Query[PageQuery]):
    paginator, page = _page(hearing_rows(_scope(query)), query.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [
            {
                "event": a.event_id,
                "title": a.event.title,
                "kind": a.event.kind,
                "starts_at": a.event.starts_at,
                "municipality": a.municipality.code,
                "municipality_name": a.municipality.name,
                "women": a.women,
                "men": a.men,
                "not_stated": a.sex_not_stated,
            }
            for a in page
        ],
    }


@router.get(
    "/inclusion/indicators/mobilisation",
    response=MobilisingPage,
    summary="Drill-down of indicator 3: the municipalities covered, with their events and rounds",
    description="100 per page.",
)
def mobilisation(request, query: Query[PageQuery]):
    paginator, page = _page(mobilising_rows(_scope(query)), query.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [
            {
                "municipality": t.code,
                "municipality_name": t.name,
                "events": t.n_events,
                "rounds": t.n_rounds,
            }
            for t in page
        ],
    }


# ---------------------------------------------------------------- municipalities


def _municipality(code: str) -> Territory:
    return get_object_or_404(Territory, code=code, level__in=MUNICIPAL_LEVELS)


class ResolutionOut(Schema):
    id: int
    number: str
    date: datetime.date
    title: str
    repealed_on: datetime.date | None
    in_force: bool


class BudgetSummaryOut(Schema):
    id: int
    year: int
    version: str
    file_name: str
    uploaded_at: datetime.datetime
    lines: int
    planned_total: Decimal
    resolution: int | None


class HearingOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    women: int | None
    men: int | None
    not_stated: int | None


class StatusOut(Schema):
    municipality: str
    policy_in_force: bool
    policy_resolution: ResolutionOut | None
    policy_resolutions: list[ResolutionOut]
    budgets: list[BudgetSummaryOut]
    budget_hearings: list[HearingOut]


def _resolution(r) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": r.pk,
        "number": r.number,
        "date": r.date,
        "title": r.title,
        "repealed_on": r.repealed_on,
        "in_force": r.policy_in_force,
    }


def _budget_summary(b: Budget) -> dict:
    return {
        "id": b.pk,
        "year": b.year,
        "version": b.version,
        "file_name": b.file_name,
        "uploaded_at": b.uploaded_at,
        "lines": getattr(b, "line_count", 0),
        "planned_total": getattr(b, "planned_total", Decimal(0)),
        "resolution": b.resolution_id,
    }


@router.get(
    "/municipalities/{code}/inclusion",
    response=StatusOut,
    summary="A municipality's gender and inclusion status",
    description="Whether a gender- and socially-sensitive service policy is in force (from "
    "council resolutions), its budgets and its public hearings on the budget by sex.",
)
def status(request, code: str):
    municipality = _municipality(code)
    policies = policy_resolutions(municipality=municipality)
    current = next((p for p in policies if getattr(p, "policy_in_force", False)), None)
    return {
        "municipality": municipality.code,
        "policy_in_force": current is not None,
        "policy_resolution": _resolution(current) if current else None,
        "policy_resolutions": [_resolution(p) for p in policies],
        "budgets": [_budget_summary(b) for b in budget_list(municipality=municipality)],
        "budget_hearings": [
            {
                "id": e.pk,
                "title": e.title,
                "starts_at": e.starts_at,
                "women": getattr(e, "women", None),
                "men": getattr(e, "men", None),
                "not_stated": getattr(e, "not_stated", None),
            }
            for e in budget_hearings(municipality=municipality)
        ],
    }


@router.get(
    "/municipalities/{code}/budgets",
    response=list[BudgetSummaryOut],
    summary="A municipality's uploaded budgets, newest first",
)
def list_budgets(request, code: str):
    return [_budget_summary(b) for b in budget_list(municipality=_municipality(code))]


class LineOut(Schema):
    id: int
    row: int
    code: str
    name: str
    section: str
    planned: Decimal
    executed: Decimal | None
    tag: str = Field(description="targeted, sensitive, neutral or not_assessed")
    note: str
    groups: list[str]


class ShareOut(Schema):
    tag: str
    lines: int
    planned: Decimal
    share: Decimal = Field(description="Percent of the planned total")


class BudgetOut(BudgetSummaryOut):
    hearings: list[int]
    shares: list[ShareOut]
    line_items: list[LineOut]


class ErrorOut(Schema):
    detail: list[str]


def _budget_out(budget: Budget) -> dict:
    shares = budget_shares(budget=budget)
    return {
        **_budget_summary(budget),
        "lines": shares["lines"],
        "planned_total": shares["total"],
        "hearings": list(budget.hearings.values_list("pk", flat=True)),
        "shares": [
            {"tag": t["tag"], "lines": t["lines"], "planned": t["planned"], "share": t["share"]}
            for t in shares["tags"]
        ],
        "line_items": [
            {
                "id": line.pk,
                "row": line.position,
                "code": line.code,
                "name": line.name,
                "section": line.section,
                "planned": line.planned,
                "executed": line.executed,
                "tag": line.tag,
                "note": line.note,
                "groups": line.groups,
            }
            for line in budget_lines(budget=budget)
        ],
    }


def _get_budget(code: str, pk: int) -> tuple[Territory, Budget]:
    municipality = _municipality(code)
    try:
        return municipality, budget_get(municipality=municipality, pk=pk)
    except Budget.DoesNotExist as error:
        raise Http404(_("This municipality has no such budget.")) from error


@router.get(
    "/municipalities/{code}/budgets/{pk}",
    response=BudgetOut,
    summary="One budget with its lines, tags and shares by gender relevance",
)
def get_budget(request, code: str, pk: int):
    return _budget_out(_get_budget(code, pk)[1])


@router.post(
    "/municipalities/{code}/budgets",
    auth=TokenAuth(),
    response={201: BudgetOut, 422: ErrorOut},
    summary="Upload a budget workbook (.xlsx, multipart; staff of the municipality)",
    description="Columns are recognised from the header row (Код, Наименование, Сумма/План, "
    "Исполнено, Раздел …) unless given as 0-based indexes (`col_name`, `col_planned`, "
    "`col_code`, `col_section`, `col_executed`). All lines are stored or none; the same "
    "file twice is refused with who uploaded it and when.",
)
def upload_budget(
    request,
    code: str,
    year: int = Form(...),
    version: BudgetVersion = Form(...),  # noqa: B008
    col_name: int | None = Form(None),
    col_planned: int | None = Form(None),
    col_code: int | None = Form(None),
    col_section: int | None = Form(None),
    col_executed: int | None = Form(None),
    file: UploadedFile = File(...),  # noqa: B008
):
    municipality = _municipality(code)
    if not request.user.has_perm("inclusion.manage_budgets", municipality):
        raise PermissionDenied(
            _("You may not change the budgets of %(name)s.") % {"name": municipality.name}
        )
    refusal = workbook.size_refusal(file.size or 0)
    if refusal:
        return Status(422, {"detail": [refusal]})
    data = file.read()
    try:
        inspection = workbook.inspect(data)
        given = {
            "name": col_name,
            "planned": col_planned,
            "code": col_code,
            "section": col_section,
            "executed": col_executed,
        }
        mapping = {k: v for k, v in given.items() if v is not None} or inspection.suggestion
        budget = budget_import(
            municipality=municipality,
            data=data,
            file_name=file.name or "budget.xlsx",
            year=year,
            version=version,
            header_row=inspection.header_row,
            mapping=mapping,
            user=request.user,
        )
    except ValidationError as refused:
        return Status(422, {"detail": refused.messages})
    return Status(201, _budget_out(budget_get(municipality=municipality, pk=budget.pk)))


class TagIn(Schema):
    id: int
    tag: str
    note: str | None = None
    groups: list[str] | None = None


class TagsIn(Schema):
    lines: list[TagIn]


@router.put(
    "/municipalities/{code}/budgets/{pk}/tags",
    auth=TokenAuth(),
    response={200: BudgetOut, 422: ErrorOut},
    summary="Set the gender relevance of budget lines (staff, facilitators)",
    description="All the given lines change or none; each change is kept in the history.",
)
def put_tags(request, code: str, pk: int, data: TagsIn):
    municipality, budget = _get_budget(code, pk)
    if not request.user.has_perm("inclusion.tag_budgets", municipality):
        raise PermissionDenied(
            _("You may not change the budgets of %(name)s.") % {"name": municipality.name}
        )
    try:
        line_tags_set(
            budget=budget,
            changes=[
                TagChange(line_id=t.id, tag=t.tag, note=t.note, groups=t.groups) for t in data.lines
            ],
            user=request.user,
        )
    except ValidationError as refused:
        return Status(422, {"detail": refused.messages})
    return Status(200, _budget_out(budget))
