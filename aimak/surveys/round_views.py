"""Round and sample-plan pages: thin views over selectors and the services in rounds.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.accounts.models import Role, User
from aimak.core.http import HtmxHttpRequest
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .forms import PlanForm, RoundForm, village_figures_from_post
from .models import PopulationUnit, Round, RoundStatus, SamplePlan
from .rounds import (
    plan_allocate,
    plan_assign,
    plan_set,
    plan_villages_set,
    round_advance,
    round_create,
    round_update,
)
from .sampling import (
    DEFAULT_MEN_SHARE,
    frame_size,
    household_interval,
    sample_size,
)
from .selectors import (
    import_list,
    plan_get,
    plan_villages,
    quota_progress,
    round_list,
    round_members,
    round_transitions,
    route_sheet,
)


def _municipality(code: str) -> Territory:
    return get_object_or_404(
        Territory.objects.select_related("parent"), code=code, level__in=MUNICIPAL_LEVELS
    )


def _check_manage(request: HttpRequest, municipality: Territory) -> None:
    if not request.user.has_perm("surveys.manage_rounds", municipality):
        raise PermissionDenied(_("You may not change the rounds of this municipality."))


def _round(request: HttpRequest, pk: int) -> Round:
    """The round if the user may see it; 403 for another municipality's people."""
    round: Round = get_object_or_404(
        Round.objects.select_related("municipality", "version__questionnaire"), pk=pk
    )
    if not request.user.has_perm("surveys.view_round", round):
        raise PermissionDenied(_("You may not see this round."))
    return round


def _managed_round(request: HttpRequest, pk: int) -> Round:
    round: Round = get_object_or_404(
        Round.objects.select_related("municipality", "version__questionnaire"), pk=pk
    )
    _check_manage(request, round.municipality)
    return round


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_GET
def round_list_view(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    if not request.user.has_perm("surveys.view_rounds", municipality):
        raise PermissionDenied(_("You may not see the rounds of this municipality."))
    return render(
        request,
        "surveys/rounds.html",
        {
            "municipality": municipality,
            "rounds": round_list(user=request.user, municipality=municipality),
            "can_manage": request.user.has_perm("surveys.manage_rounds", municipality),
        },
    )


def _members_initial(round: Round) -> dict[str, list[int]]:
    members = round_members(round=round)
    return {
        "monitors": [m.user_id for m in members if m.role == Role.MONITOR],
        "enumerators": [m.user_id for m in members if m.role == Role.ENUMERATOR],
    }


@login_required
@require_http_methods(["GET", "POST"])
def round_create_view(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check_manage(request, municipality)
    form = RoundForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            round = round_create(municipality=municipality, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The round is created, in planning."))
            return redirect("surveys:round", pk=round.pk)
    return render(request, "surveys/round_form.html", {"municipality": municipality, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def round_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    if not round.is_editable:
        raise PermissionDenied(_("A closed or published round can no longer change."))
    initial: dict[str, Any] = {
        "version": round.version_id,
        "services": list(round.services.values_list("pk", flat=True)),
        "start_date": round.start_date,
        "end_date": round.end_date,
        **_members_initial(round),
    }
    form = RoundForm(request.POST or None, municipality=round.municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round_update(round=round, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The round is saved."))
            return redirect("surveys:round", pk=round.pk)
    return render(
        request,
        "surveys/round_form.html",
        {"municipality": round.municipality, "form": form, "round": round},
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    can_manage = request.user.has_perm("surveys.manage_rounds", round.municipality)
    members = round_members(round=round)
    enumerators = [m.user for m in members if m.role == Role.ENUMERATOR]
    if not can_manage:
        enumerators = [u for u in enumerators if u.pk == request.user.pk]
    return render(
        request,
        "surveys/round.html",
        {
            "round": round,
            "municipality": round.municipality,
            "services": round.services.order_by("order"),
            "members": members,
            "sheet_enumerators": enumerators,
            "transitions": round_transitions(round=round),
            "plan": plan_get(round=round),
            "can_manage": can_manage,
            "next_status": RoundStatus(round.next_status) if round.next_status else None,
            # For the collection and import sections (_round_collect.html, _round_imports.html).
            "can_collect": request.user.has_perm("surveys.collect", round),
            "progress": quota_progress(
                round=round, enumerator=None if can_manage else request.user
            ),
            "imports": list(import_list(round=round)[:10]) if can_manage else [],
        },
    )


@login_required
@require_POST
def round_advance_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    try:
        round = round_advance(
            round=round, to_status=request.POST.get("status", ""), user=request.user
        )
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(
            request,
            _("The round is now: %(status)s.") % {"status": RoundStatus(round.status).label},
        )
    return redirect("surveys:round", pk=round.pk)


# --- The sample plan ---------------------------------------------------------------------


def _plan_initial(plan: SamplePlan | None) -> dict[str, Any]:
    if plan is None:
        return {}
    return {
        "margin": plan.margin,
        "confidence": plan.confidence,
        "design_effect": plan.design_effect,
        "proportion": plan.proportion,
        "unit": plan.unit,
        "household_size": plan.household_size,
        "men_share": plan.men_share,
        "sex_source": plan.sex_source,
    }


def _computation(municipality: Territory, data: dict[str, Any]) -> dict[str, Any] | None:
    """The formula's steps for the given inputs (what the page shows and explains)."""
    if not municipality.population:
        return None
    n_frame = frame_size(
        persons=municipality.population,
        unit=data["unit"],
        household_size=float(data["household_size"]),
    )
    size = sample_size(
        margin=float(data["margin"]),
        confidence=data["confidence"],
        design_effect=float(data["design_effect"]),
        proportion=float(data["proportion"]),
        population=n_frame,
    )
    return {
        "size": size,
        "frame": n_frame,
        "is_households": data["unit"] == PopulationUnit.HOUSEHOLDS,
        "e": float(data["margin"]) / 100,
        **data,
    }


def _plan_page(
    request: HttpRequest, round: Round, form: PlanForm, *, status: int = 200
) -> HttpResponse:
    plan = plan_get(round=round)
    can_manage = request.user.has_perm("surveys.manage_rounds", round.municipality)
    villages = plan_villages(plan=plan) if plan else []
    computation = None
    if form.is_bound and form.is_valid():
        computation = _computation(round.municipality, form.cleaned_data)
    elif plan is not None:
        computation = _computation(round.municipality, _plan_initial(plan))
    rows: list[dict[str, Any]] = []
    for v in villages:
        households = None
        if v.figure:
            households = (
                v.figure
                if plan and plan.unit == PopulationUnit.HOUSEHOLDS
                else v.figure / float(plan.household_size if plan else 1)
            )
        rows.append(
            {
                "row": v,
                "interval": household_interval(
                    households=households or 0, interviews=v.sample or 0
                ),
                "assigned": {a.enumerator_id for a in v.assignments.all()},
            }
        )
    members = round_members(round=round)
    return render(
        request,
        "surveys/plan.html",
        {
            "round": round,
            "municipality": round.municipality,
            "plan": plan,
            "form": form,
            "computation": computation,
            "rows": rows,
            "missing": [r["row"] for r in rows if not r["row"].excluded and not r["row"].figure],
            "total_figure": sum(v.figure or 0 for v in villages if not v.excluded),
            "total_sample": sum(v.sample or 0 for v in villages),
            "total_men": sum(v.men or 0 for v in villages),
            "total_women": sum(v.women or 0 for v in villages),
            "enumerators": [m.user for m in members if m.role == Role.ENUMERATOR],
            "can_manage": can_manage and round.is_editable,
            "can_set_population": request.user.has_perm(
                "territories.set_population", round.municipality
            ),
            "default_men_share": DEFAULT_MEN_SHARE,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_view(request: HttpRequest, pk: int) -> HttpResponse:
    round = _round(request, pk)
    plan = plan_get(round=round)
    if request.method == "POST":
        _check_manage(request, round.municipality)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan_set(round=round, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("The sample size is computed."))
                return redirect("surveys:plan", pk=round.pk)
        return _plan_page(request, round, form, status=422)
    return _plan_page(request, round, PlanForm(initial=_plan_initial(plan) or None))


@login_required
@require_GET
def plan_preview(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The sample size for the inputs in the query string, saved nowhere (htmx)."""
    round = _round(request, pk)
    form = PlanForm(request.GET)
    computation = _computation(round.municipality, form.cleaned_data) if form.is_valid() else None
    return render(
        request,
        "surveys/_plan_result.html",
        {"computation": computation, "form": form, "municipality": round.municipality},
    )


def _plan_or_back(request: HttpRequest, pk: int) -> tuple[Round, SamplePlan]:
    round = _managed_round(request, pk)
    plan = plan_get(round=round)
    if plan is None:
        raise Http404(_("Compute the sample size first."))
    return round, plan


@login_required
@require_POST
def plan_villages_view(request: HttpRequest, pk: int) -> HttpResponse:
    round, plan = _plan_or_back(request, pk)
    figures, errors = village_figures_from_post(request.POST, plan_villages(plan=plan))
    if errors:
        for message in errors:
            messages.error(request, message)
        return redirect("surveys:plan", pk=round.pk)
    try:
        plan_villages_set(plan=plan, figures=figures, user=request.user)
        if request.POST.get("allocate"):
            plan_allocate(plan=plan, user=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(
            request,
            _("The sample is allocated over the villages.")
            if plan.allocated
            else _("The village figures are saved."),
        )
    return redirect("surveys:plan", pk=round.pk)


@login_required
@require_POST
def plan_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    round, plan = _plan_or_back(request, pk)
    rows = plan_villages(plan=plan)
    wanted_ids: set[int] = set()
    raw: dict[int, list[int]] = {}
    for row in rows:
        try:
            ids = [int(x) for x in request.POST.getlist(f"assign_{row.pk}")]
        except ValueError:
            ids = []
        raw[row.pk] = ids
        wanted_ids.update(ids)
    people = User.objects.in_bulk(wanted_ids)
    assignments = {k: [people[i] for i in ids if i in people] for k, ids in raw.items()}
    try:
        plan_assign(plan=plan, assignments=assignments, user=request.user)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("The villages are assigned to the enumerators."))
    return redirect("surveys:plan", pk=round.pk)


@login_required
@require_GET
def route_sheet_view(request: HttpRequest, pk: int, username: str) -> HttpResponse:
    round = _round(request, pk)
    enumerator = get_object_or_404(User, username=username)
    can_manage = request.user.has_perm("surveys.manage_rounds", round.municipality)
    if not can_manage and enumerator.pk != request.user.pk:
        raise PermissionDenied(_("Enumerators see only their own route sheets."))
    if not round.members.filter(user=enumerator, role=Role.ENUMERATOR).exists():
        raise Http404(_("This person is not an enumerator of this round."))
    plan = plan_get(round=round)
    lines: list[dict[str, Any]] = []
    for a in route_sheet(round=round, enumerator=enumerator):
        village = a.village
        households: float = 0
        if village.figure and plan is not None:
            households = (
                village.figure
                if plan.unit == PopulationUnit.HOUSEHOLDS
                else village.figure / float(plan.household_size)
            )
        lines.append(
            {
                "a": a,
                "interval": household_interval(
                    households=households * a.interviews / (village.sample or 1),
                    interviews=a.interviews,
                ),
            }
        )
    return render(
        request,
        "surveys/route_sheet.html",
        {
            "round": round,
            "municipality": round.municipality,
            "enumerator": enumerator,
            "lines": lines,
            "plan": plan,
            "total": sum(line["a"].interviews for line in lines),
            "total_men": sum(line["a"].men for line in lines),
            "total_women": sum(line["a"].women for line in lines),
            "tally_rows": range(1, 11),
        },
    )
