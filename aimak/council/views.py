"""Council resolution pages: thin views over selectors and services."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page
from aimak.events.models import Event
from aimak.surveys.models import Round
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .forms import LinkForm, ResolutionForm
from .models import DecisionKind, Resolution, ResolutionLink
from .selectors import (
    link_candidates,
    resolution_get,
    resolution_links,
    resolution_list,
    resolution_repeal_candidates,
)
from .services import (
    resolution_create,
    resolution_link_add,
    resolution_link_remove,
    resolution_update,
)

PAGE_SIZE = 30


def _municipality(code: str) -> Territory:
    return get_object_or_404(
        Territory.objects.select_related("parent"), code=code, level__in=MUNICIPAL_LEVELS
    )


def _resolution(pk: int) -> Resolution:
    try:
        return resolution_get(pk=pk)
    except Resolution.DoesNotExist as exc:
        raise Http404(_("There is no such resolution.")) from exc


def _check_manage(request: HttpRequest, municipality: Territory) -> None:
    if not request.user.has_perm("council.manage_resolutions", municipality):
        raise PermissionDenied(
            _("You may not record the resolutions of this municipality's council.")
        )


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_GET
@cache_public_page
def municipality_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    kind = request.GET.get("kind") or ""
    if kind not in DecisionKind.values:
        kind = ""
    date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    resolutions = resolution_list(
        municipality=municipality, kind=kind or None, date_from=date_from, date_to=date_to
    )
    page = Paginator(resolutions, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "council/list.html",
        {
            "municipality": municipality,
            "page": page,
            "kind": kind,
            "kinds": DecisionKind.choices,
            "date_from": date_from,
            "date_to": date_to,
            "params": params.urlencode(),
            "can_manage": request.user.has_perm("council.manage_resolutions", municipality),
        },
    )


@require_GET
@cache_public_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(pk)
    can_manage = request.user.has_perm("council.manage_resolutions", resolution.municipality)
    return render(
        request,
        "council/detail.html",
        {
            "resolution": resolution,
            "decisions": list(resolution.decisions.all()),
            "concerns": resolution_links(resolution=resolution),
            "repeals": list(resolution.repeals.all()),
            "can_manage": can_manage,
            "link_form": LinkForm(candidates=link_candidates(municipality=resolution.municipality))
            if can_manage
            else None,
        },
    )


def _form(request: HttpRequest, municipality: Territory, **kwargs: Any) -> ResolutionForm:
    resolutions = resolution_repeal_candidates(municipality=municipality)
    instance = kwargs.pop("instance", None)
    if instance is not None:
        resolutions = resolutions.exclude(pk=instance.pk)
    return ResolutionForm(
        request.POST or None,
        request.FILES or None,
        events=Event.objects.filter(municipalities=municipality).order_by("-starts_at"),
        resolutions=resolutions,
        **kwargs,
    )


def _apply_errors(form: ResolutionForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            if field == "decisions":
                target = "decision_kind_1"
            form.add_error(target, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check_manage(request, municipality)
    form = _form(request, municipality)
    if request.method == "POST" and form.is_valid():
        try:
            resolution = resolution_create(
                municipality=municipality, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The resolution is recorded."))
            return redirect("council:detail", pk=resolution.pk)
    return render(
        request,
        "council/form.html",
        {"form": form, "municipality": municipality, "resolution": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(pk)
    municipality = resolution.municipality
    _check_manage(request, municipality)
    initial: dict[str, Any] = {
        "number": resolution.number,
        "date": resolution.date,
        "title_ky": resolution.title_ky,
        "title_ru": resolution.title_ru,
        "title_en": resolution.title_en,
        "event": resolution.event_id,
        "in_force": resolution.in_force,
        "repealed_on": resolution.repealed_on,
        "repealed_by": resolution.repealed_by_id,
    }
    for i, d in enumerate(resolution.decisions.order_by("pk"), start=1):
        initial[f"decision_kind_{i}"] = d.kind
        initial[f"decision_summary_{i}"] = d.summary
    form = _form(request, municipality, initial=initial, instance=resolution)
    if request.method == "POST" and form.is_valid():
        try:
            resolution_update(resolution=resolution, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The resolution is saved."))
            return redirect("council:detail", pk=resolution.pk)
    return render(
        request,
        "council/form.html",
        {"form": form, "municipality": municipality, "resolution": resolution},
    )


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _resolution(pk)
    _check_manage(request, resolution.municipality)
    form = LinkForm(request.POST, candidates=link_candidates(municipality=resolution.municipality))
    if not form.is_valid():
        messages.error(request, _("Choose something of this municipality to link to."))
        return redirect("council:detail", pk=resolution.pk)
    kind, _sep, value = form.cleaned_data["target"].partition(":")
    model = {"round": Round, "event": Event}[kind]
    target = get_object_or_404(model, pk=int(value))
    try:
        resolution_link_add(resolution=resolution, target=target, user=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("The link is added."))
    return redirect("council:detail", pk=resolution.pk)


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    resolution = _resolution(pk)
    _check_manage(request, resolution.municipality)
    link = get_object_or_404(ResolutionLink, pk=link_pk, resolution=resolution)
    resolution_link_remove(link=link, user=request.user)
    messages.success(request, _("The link is removed."))
    return redirect("council:detail", pk=resolution.pk)
