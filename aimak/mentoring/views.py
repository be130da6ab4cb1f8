"""Pages of mentoring (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.ratelimit import rate_limited

from .forms import EndForm, NoteForm, OfferForm, PairingForm, RequestForm
from .models import MentoringOffer, MentoringRequest, Pairing, RequestStatus
from .selectors import (
    NO_CONTACT_DAYS,
    offer_list,
    offers_for_request,
    pairing_get,
    pairing_history,
    pairing_notes,
    pairings_followed,
    request_list,
    staff_municipalities,
    staff_municipality_ids,
)
from .services import (
    offer_create,
    offer_withdraw,
    pairing_create,
    pairing_end,
    pairing_note_add,
    request_create,
    request_withdraw,
)


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _take_part(request: HttpRequest) -> None:
    if not request.user.has_perm("mentoring.take_part"):
        raise PermissionDenied(
            _(
                "Mentoring is for municipal staff, the content administrator and the programme manager."
            )
        )


def _manager(request: HttpRequest) -> None:
    if not request.user.has_perm("mentoring.manage"):
        raise PermissionDenied(
            _("Only the content administrator or the programme manager pairs municipalities.")
        )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _take_part(request)
    manager = request.user.has_perm("mentoring.manage")
    mine = staff_municipality_ids(user=request.user)
    return render(
        request,
        "mentoring/index.html",
        {
            "manager": manager,
            "open_requests": list(request_list(status=RequestStatus.OPEN)),
            "offers": list(offer_list(active=True)),
            "my_requests": list(request_list(municipality_ids=mine)) if mine else [],
            "my_offers": list(offer_list(municipality_ids=mine)) if mine else [],
            "my_municipalities": mine,
            "pairings": pairings_followed(user=request.user),
            "no_contact_days": NO_CONTACT_DAYS,
            "staff": bool(mine),
        },
    )


def _ask(request: HttpRequest, kind: str) -> HttpResponse:
    municipalities = list(staff_municipalities(user=request.user))
    if not municipalities:
        raise PermissionDenied(_("Only municipal staff can ask or offer mentoring."))
    form_class = OfferForm if kind == "offer" else RequestForm
    form = form_class(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if kind == "offer":
                offer_create(
                    by=request.user, municipality=d["municipality"], theme=d["theme"],
                    description=d["description"], capacity=d["capacity"],
                )  # fmt: skip
                messages.success(request, _("Your offer is published to the administrators."))
            else:
                request_create(
                    by=request.user, municipality=d["municipality"], theme=d["theme"],
                    description=d["description"],
                )  # fmt: skip
                messages.success(
                    request, _("Your request is sent. The administrator will look for a mentor.")
                )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            return redirect("mentoring:index")
    return render(request, "mentoring/form.html", {"form": form, "kind": kind})


@login_required
@rate_limited("mentoring")
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    return _ask(request, "request")


@login_required
@rate_limited("mentoring")
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    return _ask(request, "offer")


@login_required
@require_POST
def request_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = MentoringRequest.objects.filter(pk=pk).select_related("municipality").first()
    if item is None:
        raise Http404(_("There is no such request."))
    try:
        request_withdraw(by=request.user, request=item)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect("mentoring:index")


@login_required
@require_POST
def offer_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = MentoringOffer.objects.filter(pk=pk).select_related("municipality").first()
    if item is None:
        raise Http404(_("There is no such offer."))
    offer_withdraw(by=request.user, offer=item)
    messages.success(request, _("The offer is withdrawn."))
    return redirect("mentoring:index")


@login_required
@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    item = request_list().filter(pk=pk).first()
    if item is None:
        raise Http404(_("There is no such request."))
    offers = offers_for_request(request=item)
    form = PairingForm(request.POST or None, offers=offers, all_offers=MentoringOffer.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            pairing = pairing_create(
                by=request.user, request=item, offer=form.cleaned_data["offer"],
                goals=form.cleaned_data["goals"],
            )  # fmt: skip
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The municipalities are paired and notified."))
            return redirect(pairing)
    return render(request, "mentoring/pair.html", {"item": item, "form": form, "offers": offers})


@login_required
@require_GET
def follow(request: HttpRequest) -> HttpResponse:
    _manager(request)
    status = request.GET.get("status", "active")
    if status not in ("active", "completed", "ended_early"):
        status = "active"
    rows = pairings_followed(user=request.user, status=status)
    return render(
        request,
        "mentoring/follow.html",
        {"rows": rows, "status": status, "no_contact_days": NO_CONTACT_DAYS,
         "stale": sum(1 for r in rows if r.stale)},
    )  # fmt: skip


def _pairing(request: HttpRequest, pk: int) -> Pairing:
    try:
        pairing = pairing_get(pk=pk, user=request.user)
    except Pairing.DoesNotExist as exc:
        raise Http404(_("There is no such pairing.")) from exc
    return pairing


@login_required
@require_GET
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = _pairing(request, pk)
    manager = request.user.has_perm("mentoring.manage")
    return render(
        request,
        "mentoring/pairing.html",
        {
            "pairing": pairing,
            "notes": list(pairing_notes(pairing=pairing)),
            "note_form": NoteForm(),
            "end_form": EndForm() if manager else None,
            "manager": manager,
            "history": list(pairing_history(pairing=pairing)[:50]) if manager else [],
        },
    )


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = _pairing(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        d = form.cleaned_data
        try:
            pairing_note_add(
                by=request.user, pairing=pairing, date=d["date"], kind=d["kind"], text=d["text"]
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The note is added."))
    return redirect(pairing)


@login_required
@require_POST
def pairing_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    pairing = _pairing(request, pk)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the pairing ended."))
    else:
        try:
            pairing_end(
                by=request.user, pairing=pairing, status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(request, _("The pairing is closed."))
    return redirect(pairing)
