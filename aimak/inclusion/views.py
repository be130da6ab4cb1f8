"""Pages of the inclusion app: thin views over selectors and services."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .definitions import definitions
from .export import indicators_xlsx
from .forms import BudgetLinksForm, BudgetUploadForm, IndicatorForm, MappingForm
from .models import Budget, GrbTag, VulnerableGroup
from .selectors import (
    Scope,
    budget_get,
    budget_hearings,
    budget_lines,
    budget_list,
    budget_sections,
    budget_shares,
    hearing_rows,
    indicators,
    mobilising_rows,
    policy_resolutions,
    policy_rows,
    region_get,
    tag_changes,
)
from .services import (
    TagChange,
    budget_import,
    budget_links_set,
    budget_upload,
    line_tags_set,
    pending_read,
)

SAMPLE = Path(__file__).resolve().parent / "samples" / "budget-sample.xlsx"
PAGE_SIZE = 50
DRILLDOWNS = ("policies", "hearings", "mobilisation")


def _municipality(code: str) -> Territory:
    return get_object_or_404(
        Territory.objects.select_related("parent"), code=code, level__in=MUNICIPAL_LEVELS
    )


def _budget(municipality: Territory, pk: int) -> Budget:
    try:
        return budget_get(municipality=municipality, pk=pk)
    except Budget.DoesNotExist as error:
        raise Http404(_("This municipality has no such budget.")) from error


def _check(request: HttpRequest, perm: str, municipality: Territory) -> None:
    if not request.user.has_perm(perm, municipality):
        raise PermissionDenied(
            _("You may not change the budgets of %(name)s.") % {"name": municipality.name}
        )


def _scope(request: HttpRequest) -> tuple[IndicatorForm, Scope]:
    form = IndicatorForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        region = region_get(data["region"]) if data.get("region") else None
        return form, Scope(start=data["start"], end=data["end"], region=region)
    bare = IndicatorForm()
    fallback = IndicatorForm({})
    fallback.is_valid()
    scope = Scope(start=fallback.cleaned_data["start"], end=fallback.cleaned_data["end"])
    return (form if request.GET else bare), scope


def _query(scope: Scope) -> str:
    params = {"start": scope.start.isoformat(), "end": scope.end.isoformat()}
    if scope.region is not None:
        params["region"] = scope.region.code
    return urlencode(params)


# ---------------------------------------------------------------- indicators


@require_GET
@cache_public_page
def indicators_view(request: HttpRequest) -> HttpResponse:
    form, scope = _scope(request)
    return render(
        request,
        "inclusion/indicators.html",
        {
            "form": form,
            "scope": scope,
            "data": indicators(scope),
            "texts": definitions(),
            "query": _query(scope),
        },
    )


@require_GET
@cache_public_page
def drilldown_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in DRILLDOWNS:
        raise Http404(_("No such list."))
    form, scope = _scope(request)
    rows = {"policies": policy_rows, "hearings": hearing_rows, "mobilisation": mobilising_rows}[
        kind
    ](scope)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    key = {"policies": "policy", "hearings": "hearings", "mobilisation": "mobilising"}[kind]
    return render(
        request,
        "inclusion/drilldown.html",
        {
            "kind": kind,
            "form": form,
            "scope": scope,
            "page": page,
            "text": definitions()[key],
            "query": _query(scope),
        },
    )


@require_GET
def indicators_export_view(request: HttpRequest) -> HttpResponse:
    _form, scope = _scope(request)
    name = f"aimak-inclusion-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    if scope.region is not None:
        name += f"-{scope.region.code}"
    response = HttpResponse(
        indicators_xlsx(scope),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# ---------------------------------------------------------------- a municipality


@require_GET
@cache_public_page
def municipality_view(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    policies = policy_resolutions(municipality=municipality)
    budgets = list(budget_list(municipality=municipality))
    return render(
        request,
        "inclusion/municipality.html",
        {
            "municipality": municipality,
            "policies": policies,
            "policy": next((p for p in policies if getattr(p, "policy_in_force", False)), None),
            "budgets": budgets,
            "hearings": budget_hearings(municipality=municipality),
            "can_manage": request.user.has_perm("inclusion.manage_budgets", municipality),
        },
    )


@require_GET
@cache_public_page
def budget_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    municipality = _municipality(code)
    budget = _budget(municipality, pk)
    return render(
        request,
        "inclusion/budget.html",
        {
            "municipality": municipality,
            "budget": budget,
            "shares": budget_shares(budget=budget),
            "lines": budget_lines(budget=budget),
            "hearings": list(budget.hearings.order_by("-starts_at")),
            "changes": tag_changes(budget=budget, limit=20),
            "can_tag": request.user.has_perm("inclusion.tag_budgets", municipality),
            "can_manage": request.user.has_perm("inclusion.manage_budgets", municipality),
        },
    )


@require_GET
def sample_view(request: HttpRequest) -> FileResponse:
    return FileResponse(SAMPLE.open("rb"), as_attachment=True, filename="budget-sample.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def budget_upload_view(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check(request, "inclusion.manage_budgets", municipality)
    form = BudgetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = budget_upload(
                municipality=municipality, data=upload.read(), file_name=upload.name or ""
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            inspection = pending.inspection
            initial = {
                "token": pending.token,
                "file_name": pending.file_name,
                "header_row": inspection.header_row,
                **{f"col_{k}": str(v) for k, v in inspection.suggestion.items()},
            }
            mapping = MappingForm(
                municipality=municipality, headers=inspection.headers, initial=initial
            )
            return _mapping_page(request, municipality, mapping, inspection.headers, inspection)
    return render(
        request, "inclusion/budget_upload.html", {"municipality": municipality, "form": form}
    )


def _mapping_page(request, municipality, form, headers, inspection=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "inclusion/budget_mapping.html",
        {
            "municipality": municipality,
            "form": form,
            "headers": headers,
            "preview": inspection.preview if inspection else [],
        },
    )


@login_required
@require_POST
def budget_import_view(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check(request, "inclusion.manage_budgets", municipality)
    headers = request.POST.getlist("headers")
    form = MappingForm(request.POST, municipality=municipality, headers=headers)
    if form.is_valid():
        try:
            data = pending_read(token=form.cleaned_data["token"])
            budget = budget_import(
                municipality=municipality,
                data=data,
                file_name=form.cleaned_data["file_name"] or "budget.xlsx",
                year=form.cleaned_data["year"],
                version=form.cleaned_data["version"],
                header_row=form.cleaned_data["header_row"],
                mapping=form.mapping(),
                user=request.user,
                resolution=form.cleaned_data["resolution"],
                hearings=form.cleaned_data["hearings"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("The budget is saved with %(n)s lines. Tag them for gender relevance.")
                % {"n": budget.lines.count()},
            )
            return redirect("inclusion:budget_tag", code=municipality.code, pk=budget.pk)
    return _mapping_page(request, municipality, form, headers)


@login_required
@require_POST
def budget_links_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    municipality = _municipality(code)
    _check(request, "inclusion.manage_budgets", municipality)
    budget = _budget(municipality, pk)
    form = BudgetLinksForm(request.POST, municipality=municipality)
    if form.is_valid():
        try:
            budget_links_set(
                budget=budget,
                resolution=form.cleaned_data["resolution"],
                hearings=form.cleaned_data["hearings"],
                user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The links of the budget are saved."))
    else:
        messages.error(request, _("Choose a resolution and hearings of this municipality."))
    return redirect("inclusion:budget_tag", code=municipality.code, pk=budget.pk)


@login_required
@require_http_methods(["GET", "POST"])
def budget_tag_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    municipality = _municipality(code)
    _check(request, "inclusion.tag_budgets", municipality)
    budget = _budget(municipality, pk)
    tag_filter = request.GET.get("tag", "")
    section = request.GET.get("section", "")
    if request.method == "POST":
        changes: list[TagChange] = []
        if "bulk" in request.POST:
            ids = request.POST.getlist("select")
            tag = str(request.POST.get("bulk_tag", ""))
            groups = request.POST.getlist("bulk_groups")
            if not ids:
                messages.error(request, _("Select the lines to tag first."))
            else:
                changes = [
                    TagChange(line_id=int(i), tag=tag, groups=groups) for i in ids if i.isdigit()
                ]
        else:
            for key, value in request.POST.items():
                if key.startswith("tag-") and key[4:].isdigit():
                    line_id = int(key[4:])
                    changes.append(
                        TagChange(
                            line_id=line_id,
                            tag=str(value),
                            note=request.POST.get(f"note-{line_id}"),
                        )
                    )
        if changes:
            try:
                changed = line_tags_set(budget=budget, changes=changes, user=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("%(n)s lines changed.") % {"n": changed})
        return redirect(request.get_full_path())
    return render(
        request,
        "inclusion/budget_tag.html",
        {
            "municipality": municipality,
            "budget": budget,
            "shares": budget_shares(budget=budget),
            "lines": budget_lines(budget=budget, tag=tag_filter, section=section),
            "sections": budget_sections(budget=budget),
            "tag_filter": tag_filter,
            "section": section,
            "tags": GrbTag.choices,
            "groups": VulnerableGroup.choices,
            "links_form": BudgetLinksForm(
                municipality=municipality,
                initial={
                    "resolution": budget.resolution_id,
                    "hearings": list(budget.hearings.values_list("pk", flat=True)),
                },
            ),
            "can_manage": request.user.has_perm("inclusion.manage_budgets", municipality),
        },
    )
