"""Event pages: thin views over selectors and services."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .forms import CheckInForm, EventForm, MaterialForm, RegistrationForm, SheetForm
from .models import AttendanceSource, Event, EventKind, EventMaterial
from .selectors import (
    attendance_corrections,
    event_attendance,
    event_is_past,
    event_list,
    event_manager_municipalities,
    event_recommendations,
    event_resolutions,
    material_list,
    participant_for,
    participant_list,
)
from .services import (
    attendance_errors,
    attendance_set_totals,
    event_create,
    event_update,
    material_add,
    material_remove,
    participant_check_in,
    participant_find,
    participant_register,
    participants_mark,
)

PAGE_SIZE = 20


def _event(pk: int) -> Event:
    try:
        return Event.objects.prefetch_related("municipalities").get(pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404(_("There is no such event.")) from exc


def _managed_event(request: HttpRequest, pk: int) -> Event:
    event = _event(pk)
    if not request.user.has_perm("events.manage_event", event):
        raise PermissionDenied(
            _("You may not manage this event: it belongs to another municipality.")
        )
    return event


def _apply_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_GET
@cache_public_page
def event_list_view(request: HttpRequest) -> HttpResponse:
    """Events, upcoming or past, filtered by kind, municipality and dates."""
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    kind = request.GET.get("kind") or ""
    if kind not in EventKind.values:
        kind = ""
    code = (request.GET.get("municipality") or "").strip()
    municipality = (
        Territory.objects.filter(code=code, level__in=MUNICIPAL_LEVELS).first() if code else None
    )
    date_from, date_to = _date(request.GET.get("from")), _date(request.GET.get("to"))
    events = event_list(
        kind=kind or None,
        municipality=municipality,
        date_from=date_from,
        date_to=date_to,
        when=when,
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "events/list.html",
        {
            "page": page,
            "when": when,
            "kind": kind,
            "kinds": EventKind.choices,
            "code": code,
            "municipality": municipality,
            "unknown_municipality": bool(code) and municipality is None,
            "date_from": date_from,
            "date_to": date_to,
            "params": params.urlencode(),
            "can_create": request.user.is_authenticated
            and event_manager_municipalities(user=request.user).exists(),
        },
    )


@require_GET
@cache_public_page
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    past = event_is_past(event)
    can_manage = request.user.has_perm("events.manage_event", event)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "municipalities": list(event.municipalities.all()),
            "past": past,
            "attendance": event_attendance(event=event),
            "corrections": attendance_corrections(event=event),
            "materials": list(material_list(event=event)),
            "recommendations": event_recommendations(event=event),
            "resolutions": event_resolutions(event=event),
            "can_manage": can_manage,
            "registration": participant_for(event=event, user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def register_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    municipalities = event.municipalities.all()
    initial: dict[str, Any] = {}
    if request.user.is_authenticated:
        initial["name"] = getattr(request.user, "full_name", "") or request.user.get_username()
        initial["contact"] = getattr(request.user, "email", "")
    form = RegistrationForm(request.POST or None, municipalities=municipalities, initial=initial)
    if request.method == "POST" and event.registration_open and form.is_valid():
        try:
            participant_register(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("You are registered. See you at the event."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/register.html",
        {"event": event, "form": form, "already": participant_for(event=event, user=request.user)},
    )


@require_http_methods(["GET", "POST"])
def check_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    form = CheckInForm(request.POST or None)
    if request.user.is_authenticated:
        form.fields["contact"].help_text = _("Not needed: you are signed in.")
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_find(
                event=event, user=request.user, contact=form.cleaned_data["contact"]
            )
            participant_check_in(
                event=event, participant=participant, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("You are checked in. Thank you for coming."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/check_in.html", {"event": event, "form": form})


def _event_form_initial(event: Event) -> dict[str, Any]:
    local = timezone.localtime
    return {
        "title_ky": event.title_ky,
        "title_ru": event.title_ru,
        "title_en": event.title_en,
        "kind": event.kind,
        "municipalities": list(event.municipalities.all()),
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at) if event.ends_at else None,
        "place": event.place,
        "online_url": event.online_url,
        "agenda_ky": event.agenda_ky,
        "agenda_ru": event.agenda_ru,
        "check_in_code": event.check_in_code,
        "registration_open": event.registration_open,
        "attendance_source": event.attendance_source,
        "minutes": event.minutes,
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request: HttpRequest) -> HttpResponse:
    choices = event_manager_municipalities(user=request.user)
    if not choices.exists():
        raise PermissionDenied(_("You may not organise events in any municipality."))
    initial: dict[str, Any] = {"registration_open": True}
    code = request.GET.get("municipality")
    if code:
        initial["municipalities"] = list(choices.filter(code=code))
    form = EventForm(request.POST or None, municipalities=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["municipalities"] = list(data["municipalities"])
        for key in ("place", "online_url", "check_in_code", "minutes", "title_en"):
            data[key] = data[key] or ""
        try:
            event = event_create(user=request.user, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The event is created."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    current = list(event.municipalities.all())
    choices = (
        event_manager_municipalities(user=request.user)
        | Territory.objects.filter(pk__in=[m.pk for m in current])
    ).distinct()
    form = EventForm(
        request.POST or None, municipalities=choices, initial=_event_form_initial(event)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = list(data.pop("municipalities"))
        # Municipalities the user does not organise in stay as they were.
        allowed = set(event_manager_municipalities(user=request.user).values_list("pk", flat=True))
        kept = [m for m in current if m.pk not in allowed]
        chosen = [m for m in chosen if m.pk in allowed] + kept
        for key in ("place", "online_url", "check_in_code", "minutes", "title_en"):
            data[key] = data[key] or ""
        try:
            event_update(event=event, user=request.user, municipalities=chosen, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def participants_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's list: the check-in code, who registered, ticks for who came."""
    event = _managed_event(request, pk)
    if request.method == "POST":
        try:
            present = [int(v) for v in request.POST.getlist("present")]
            participants_mark(event=event, present=present, user=request.user)
        except (ValueError, ValidationError) as exc:
            messages.error(
                request,
                "; ".join(exc.messages) if isinstance(exc, ValidationError) else _("Invalid list."),
            )
        else:
            messages.success(request, _("Attendance is saved."))
        return redirect("events:participants", pk=event.pk)
    return render(
        request,
        "events/participants.html",
        {
            "event": event,
            "participants": list(participant_list(event=event)),
            "attendance": event_attendance(event=event),
            "sheet": event.attendance_source == AttendanceSource.SHEET,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Type the totals of a paper sign-in sheet, one municipality at a time."""
    event = _managed_event(request, pk)
    municipalities = sorted(event.municipalities.all(), key=lambda m: m.code)
    code = request.POST.get("municipality") or request.GET.get("municipality") or ""
    municipality = next((m for m in municipalities if m.code == code), municipalities[0])
    if not request.user.has_perm("events.manage_events", municipality):
        raise PermissionDenied(_("You may not type the attendance of another municipality."))
    current = event_attendance(event=event)
    row = next((r for r in current.rows if r.municipality_id == municipality.pk), None)
    initial = {f: getattr(row, f) for f in SheetForm.base_fields if f != "note"} if row else {}
    form = SheetForm(request.POST or None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "note"}
        problems = attendance_errors(values)
        if not problems:
            try:
                attendance_set_totals(
                    event=event,
                    municipality=municipality,
                    user=request.user,
                    note=form.cleaned_data["note"],
                    **values,
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            else:
                messages.success(request, _("The attendance is saved."))
                return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "municipality": municipality,
            "municipalities": municipalities,
            "form": form,
            "problems": problems,
            "sex_fields": [form[f] for f in SheetForm.SEX],
            "age_fields": [form[f] for f in SheetForm.AGE],
            "vulnerable_fields": [form[f] for f in SheetForm.VULNERABLE],
            "participants_source": event.attendance_source == AttendanceSource.PARTICIPANTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def materials_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            material_add(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The material is added."))
            return redirect("events:materials", pk=event.pk)
    return render(
        request,
        "events/materials.html",
        {"event": event, "form": form, "materials": list(material_list(event=event))},
    )


@login_required
@require_POST
def material_remove_view(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    material = get_object_or_404(EventMaterial, pk=material_pk, event=event)
    material_remove(material=material, user=request.user)
    messages.success(request, _("The material is removed."))
    return redirect("events:materials", pk=event.pk)
