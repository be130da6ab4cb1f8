"""Action-plan pages: thin views over the selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .forms import (
    ActionForm,
    ContactForm,
    FilterForm,
    FollowUpForm,
    MilestoneForm,
    RecommendationForm,
    StatusDefinitionForm,
    StatusForm,
    VerificationForm,
    finding_initial,
)
from .models import Action, ActionStatus, FollowUp, Recommendation, Source
from .selectors import (
    action_get,
    contact_list,
    follow_up_get,
    follow_ups_for,
    plan_view,
    plan_viewer_municipalities,
    public_municipalities,
    recommendation_get,
    recommendation_list,
    recommendation_timeline,
    status_list,
)
from .services import (
    action_create,
    action_set_status,
    action_update,
    contact_add,
    follow_up_answer,
    follow_up_open,
    milestone_add,
    recommendation_create,
    recommendation_update,
    status_save,
    verification_add,
)


def _municipality(code: str) -> Territory:
    return get_object_or_404(
        Territory.objects.select_related("parent"), code=code, level__in=MUNICIPAL_LEVELS
    )


def _check(request: HttpRequest, perm: str, municipality: Territory) -> None:
    if not request.user.has_perm(perm, municipality):
        if perm == "plans.edit_plan":
            raise PermissionDenied(_("You may not change the action plan of this municipality."))
        if perm == "plans.verify":
            raise PermissionDenied(
                _("Only monitoring-group members of this municipality may verify its actions.")
            )
        raise PermissionDenied(_("You may not see the action plan of this municipality."))


def _recommendation(pk: int) -> Recommendation:
    try:
        return recommendation_get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404(_("No such recommendation.")) from None


def _action(request: HttpRequest, pk: int, perm: str) -> Action:
    try:
        action = action_get(pk=pk)
    except Action.DoesNotExist:
        raise Http404(_("No such action.")) from None
    _check(request, perm, action.recommendation.municipality)
    return action


def _page(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


def _errors(form: Form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@require_GET
@cache_public_page
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "plans/index.html",
        {
            "public": public_municipalities(),
            "mine": plan_viewer_municipalities(user=user).order_by("name")[:50]
            if user.is_authenticated
            else [],
        },
    )


@require_GET
@cache_public_page
def public_plan(request: HttpRequest, code: str) -> HttpResponse:
    """Every published recommendation with its actions, progress, evidence and verdicts."""
    municipality = _municipality(code)
    plan = plan_view(
        municipality=municipality,
        recommendations=recommendation_list(municipality=municipality, published_only=True),
        page=_page(request),
    )
    return render(
        request,
        "plans/public.html",
        {
            "municipality": municipality,
            "plan": plan,
            "can_view": request.user.is_authenticated
            and request.user.has_perm("plans.view_plan", municipality),
        },
    )


@login_required
@require_GET
def plan_list(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check(request, "plans.view_plan", municipality)
    filters = FilterForm(request.GET or None)
    plan = plan_view(
        municipality=municipality,
        recommendations=recommendation_list(
            municipality=municipality, published_only=False, **filters.filters()
        ),
        page=_page(request),
        per_page=50,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/list.html",
        {
            "municipality": municipality,
            "plan": plan,
            "filters": filters,
            "query": query.urlencode(),
            "can_edit": request.user.has_perm("plans.edit_plan", municipality),
        },
    )


@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _recommendation(pk)
    municipality = rec.municipality
    can_view = request.user.has_perm("plans.view_plan", municipality)
    if not rec.published and not can_view:
        if not request.user.is_authenticated:
            raise Http404(_("No such recommendation."))
        raise PermissionDenied(_("This recommendation is not published."))
    plan = plan_view(
        municipality=municipality,
        recommendations=recommendation_list(municipality=municipality, published_only=False).filter(
            pk=rec.pk
        ),
    )
    can_edit = request.user.has_perm("plans.edit_plan", municipality)
    return render(
        request,
        "plans/recommendation.html",
        {
            "rec": rec,
            "item": plan.items[0],
            "municipality": municipality,
            "timeline": recommendation_timeline(recommendation=rec),
            "follow_ups": follow_ups_for(recommendation=rec),
            "contacts": contact_list(recommendation=rec) if can_view else [],
            "can_view": can_view,
            "can_edit": can_edit,
            "can_verify": request.user.has_perm("plans.verify", municipality),
            "status_form": StatusForm() if can_edit else None,
            "contact_form": ContactForm() if can_edit else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create_view(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality(code)
    _check(request, "plans.edit_plan", municipality)
    form = RecommendationForm(
        request.POST or None, municipality=municipality, initial=finding_initial(request.GET)
    )
    if request.method == "POST" and form.is_valid():
        try:
            rec = recommendation_create(
                municipality=municipality, user=request.user, **form.service_values()
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The recommendation is saved. Now add its actions."))
            return redirect("plans:recommendation", pk=rec.pk)
    return render(
        request,
        "plans/recommendation_form.html",
        {"municipality": municipality, "form": form, "rec": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _recommendation(pk)
    municipality = rec.municipality
    _check(request, "plans.edit_plan", municipality)
    initial: dict[str, Any] = {
        f: getattr(rec, f)
        for f in (
            "title_ky",
            "title_ru",
            "title_en",
            "text_ky",
            "text_ru",
            "text_en",
            "source",
            "finding_value",
            "reference",
            "priority",
            "published",
        )
    }
    initial["event"] = rec.event_id
    if rec.source == Source.CRC_FINDING and rec.round_id and rec.service:
        initial["finding"] = f"{rec.round_id}:{rec.service.slug}:{rec.index}"
    form = RecommendationForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_update(recommendation=rec, user=request.user, **form.service_values())
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The recommendation is saved."))
            return redirect("plans:recommendation", pk=rec.pk)
    return render(
        request,
        "plans/recommendation_form.html",
        {"municipality": municipality, "form": form, "rec": rec},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _recommendation(pk)
    _check(request, "plans.edit_plan", rec.municipality)
    form = ActionForm(request.POST or None, municipality=rec.municipality, with_status=True)
    if request.method == "POST" and form.is_valid():
        try:
            action_create(recommendation=rec, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The action is added."))
            return redirect("plans:recommendation", pk=rec.pk)
    return render(request, "plans/action_form.html", {"rec": rec, "form": form, "action": None})


@login_required
@require_http_methods(["GET", "POST"])
def action_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, "plans.edit_plan")
    rec = action.recommendation
    initial = {
        f: getattr(action, f)
        for f in (
            "title_ky",
            "title_ru",
            "title_en",
            "responsible",
            "deadline",
            "budget",
            "funding_source",
            "weight",
        )
    }
    initial["responsible_user"] = action.responsible_user_id
    form = ActionForm(
        request.POST or None, municipality=rec.municipality, with_status=False, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_update(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("plans:recommendation", pk=rec.pk)
    return render(request, "plans/action_form.html", {"rec": rec, "form": form, "action": action})


@login_required
@require_POST
def action_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, "plans.edit_plan")
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
    else:
        try:
            action = action_set_status(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("“%(action)s” is now: %(status)s.")
                % {"action": action.title, "status": action.status.name},
            )
    return redirect("plans:recommendation", pk=action.recommendation_id)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, "plans.edit_plan")
    form = MilestoneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            milestone_add(
                action=action,
                user=request.user,
                date=data["date"],
                progress=data["progress"],
                note=data["note"],
                evidence=form.evidence(),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The progress is recorded."))
            return redirect("plans:recommendation", pk=action.recommendation_id)
    return render(request, "plans/milestone_form.html", {"action": action, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, "plans.verify")
    form = VerificationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verification_add(
                action=action,
                user=request.user,
                verdict=data["verdict"],
                comment=data["comment"],
                evidence=form.evidence(),
            )
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Your verdict is recorded."))
            return redirect("plans:recommendation", pk=action.recommendation_id)
    return render(request, "plans/verify_form.html", {"action": action, "form": form})


@login_required
@require_POST
def contact_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _recommendation(pk)
    _check(request, "plans.edit_plan", rec.municipality)
    form = ContactForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    else:
        try:
            contact_add(recommendation=rec, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The contact is added."))
    return redirect("plans:recommendation", pk=rec.pk)


@require_http_methods(["GET", "POST"])
def follow_up_view(request: HttpRequest, token: str) -> HttpResponse:
    """The tokenised question: no sign-in, one answer per token, changeable while open."""
    try:
        follow_up = follow_up_get(token=token)
    except FollowUp.DoesNotExist:
        raise Http404(_("This link is not valid.")) from None
    is_open = follow_up_open(follow_up)
    initial = {"answer": follow_up.answer, "comment": follow_up.comment}
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_answer(follow_up=follow_up, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
            return redirect("plans:follow_up", token=token)
    return render(
        request,
        "plans/follow_up.html",
        {"follow_up": follow_up, "action": follow_up.action, "form": form, "is_open": is_open},
    )


@login_required
@require_http_methods(["GET", "POST"])
def statuses_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("plans.manage_statuses", None):
        raise PermissionDenied(
            _("Only the system administrator or a programme manager may change the statuses.")
        )
    editing: ActionStatus | None = None
    if request.GET.get("edit"):
        editing = get_object_or_404(ActionStatus, pk=request.GET["edit"])
    initial: dict[str, Any] = {"is_open": True}
    if editing is not None:
        initial = {
            f: getattr(editing, f)
            for f in (
                "key",
                "name_ky",
                "name_ru",
                "name_en",
                "default_progress",
                "is_open",
                "excluded",
                "order",
            )
        }
    form = StatusDefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            status_save(status=editing, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The status is saved; progress is recomputed."))
            return redirect("plans:statuses")
    return render(
        request,
        "plans/statuses.html",
        {"statuses": status_list(), "form": form, "editing": editing},
    )
