"""Every write of mentoring.

A municipality's staff ask for a mentor on a theme (request: open → paired → closed, or
withdrawn) or offer their experience (offer, with a capacity); the content administrator
or programme manager pairs an open request with an offer from another municipality and
follows the pairing (active → completed or ended early) through dated notes written by
either side or the administrator. Both sides are notified on pairing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aimak.accounts.models import Membership, Role, User
from aimak.notifications.services import notify, subscribe
from aimak.territories.models import MUNICIPAL_LEVELS

from .models import (
    MentoringOffer,
    MentoringRequest,
    NoteKind,
    Pairing,
    PairingNote,
    PairingStatus,
    RequestStatus,
)
from .rules import is_mentoring_admin, is_pairing_side, is_staff_of

MAX_CAPACITY = 20


def _by(obj: Any, by: Any) -> None:
    obj._history_user = by if getattr(by, "is_authenticated", False) else None


def _staff(by: Any, municipality: Any) -> None:
    if municipality is None or municipality.level not in MUNICIPAL_LEVELS:
        raise ValidationError(_("Choose a municipality."))
    if not is_staff_of(by, municipality):
        raise PermissionDenied(
            _("Only the staff of %(name)s can ask or offer mentoring for it.")
            % {"name": municipality.name}
        )


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if len(value) < 10:
        raise ValidationError(message)
    return value[:5000]


@transaction.atomic
def request_create(*, by: Any, municipality: Any, theme: Any, description: str) -> MentoringRequest:
    _staff(by, municipality)
    if theme is None:
        raise ValidationError(_("Choose the theme."))
    description = _text(description, _("Describe in a sentence or two what help you need."))
    if MentoringRequest.objects.filter(
        municipality=municipality, theme=theme, status=RequestStatus.OPEN
    ).exists():
        raise ValidationError(_("Your municipality already has an open request on this theme."))
    request = MentoringRequest(
        municipality=municipality, theme=theme, description=description, requested_by=by
    )
    _by(request, by)
    request.save()
    return request


@transaction.atomic
def request_withdraw(*, by: Any, request: MentoringRequest) -> MentoringRequest:
    request = MentoringRequest.objects.select_for_update().get(pk=request.pk)
    if not (is_staff_of(by, request.municipality) or is_mentoring_admin(by)):
        raise PermissionDenied(_("Only the municipality's staff can withdraw its request."))
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("Only an open request can be withdrawn."))
    request.status = RequestStatus.WITHDRAWN
    _by(request, by)
    request.save()
    return request


@transaction.atomic
def offer_create(
    *, by: Any, municipality: Any, theme: Any, description: str, capacity: int = 1
) -> MentoringOffer:
    _staff(by, municipality)
    if theme is None:
        raise ValidationError(_("Choose the theme."))
    description = _text(description, _("Describe in a sentence or two what experience you offer."))
    if not 1 <= int(capacity) <= MAX_CAPACITY:
        raise ValidationError(
            _("The capacity must be between 1 and %(n)s municipalities.") % {"n": MAX_CAPACITY}
        )
    offer = MentoringOffer(
        municipality=municipality,
        theme=theme,
        description=description,
        offered_by=by,
        capacity=int(capacity),
    )
    _by(offer, by)
    offer.save()
    return offer


@transaction.atomic
def offer_withdraw(*, by: Any, offer: MentoringOffer) -> MentoringOffer:
    offer = MentoringOffer.objects.select_for_update().get(pk=offer.pk)
    if not (is_staff_of(by, offer.municipality) or is_mentoring_admin(by)):
        raise PermissionDenied(_("Only the municipality's staff can withdraw its offer."))
    offer.active = False
    _by(offer, by)
    offer.save()
    return offer


def _admin(by: Any) -> None:
    if not is_mentoring_admin(by):
        raise PermissionDenied(
            _("Only the content administrator or the programme manager pairs municipalities.")
        )


def _staff_of(municipality_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(
                role=Role.STAFF, municipality_id=municipality_id
            ),
            is_active=True,
        ).distinct()
    )


@transaction.atomic
def pairing_create(
    *,
    by: Any,
    request: MentoringRequest,
    offer: MentoringOffer,
    goals: str,
    started_on: datetime.date | None = None,
) -> Pairing:
    """Pair an open request with an offer that has room; both sides are notified."""
    _admin(by)
    request = MentoringRequest.objects.select_for_update().get(pk=request.pk)
    offer = MentoringOffer.objects.select_for_update().get(pk=offer.pk)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is not open any more."))
    if not offer.active:
        raise ValidationError(_("This offer is withdrawn."))
    if offer.municipality_id == request.municipality_id:
        raise ValidationError(_("A municipality cannot mentor itself."))
    taken = offer.pairings.filter(status=PairingStatus.ACTIVE).count()
    if taken >= offer.capacity:
        raise ValidationError(_("This offer has no room left for another pairing."))
    goals = _text(goals, _("Write the goals of the pairing."))
    pairing = Pairing(
        request=request,
        offer=offer,
        paired_by=by,
        goals=goals,
        started_on=started_on or timezone.localdate(),
    )
    _by(pairing, by)
    pairing.save()
    request.status = RequestStatus.PAIRED
    _by(request, by)
    request.save()
    url = reverse("mentoring:pairing", args=[pairing.pk])
    mentee = [request.requested_by, *_staff_of(request.municipality_id)]
    mentor = [offer.offered_by, *_staff_of(offer.municipality_id)]
    notify(
        recipients=mentee,
        kind="mentoring.paired",
        message=gettext_noop("%(mentor)s will mentor your municipality on “%(theme)s”."),
        params={"mentor": offer.municipality.name, "theme": request.theme.name},
        url=url,
        target=pairing,
    )
    notify(
        recipients=[u for u in mentor if u not in mentee],
        kind="mentoring.paired",
        message=gettext_noop("Your municipality is paired to mentor %(mentee)s on “%(theme)s”."),
        params={"mentee": request.municipality.name, "theme": request.theme.name},
        url=url,
        target=pairing,
    )
    for user in (by, request.requested_by, offer.offered_by):
        subscribe(user=user, target=pairing)
    return pairing


@transaction.atomic
def pairing_note_add(
    *, by: Any, pairing: Pairing, date: datetime.date, kind: str, text: str
) -> PairingNote:
    if not (is_mentoring_admin(by) or is_pairing_side(by, pairing)):
        raise PermissionDenied(_("Only the two municipalities and the administrator write notes."))
    if pairing.status != PairingStatus.ACTIVE:
        raise ValidationError(_("This pairing has ended."))
    if kind not in NoteKind.values:
        raise ValidationError(_("Choose what the note is about."))
    if date > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if date < pairing.started_on:
        raise ValidationError(_("The date cannot be before the pairing started."))
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write the note."))
    return PairingNote.objects.create(
        pairing=pairing, author=by, date=date, kind=kind, text=text[:5000]
    )


@transaction.atomic
def pairing_end(*, by: Any, pairing: Pairing, status: str, note: str = "") -> Pairing:
    """Complete the pairing or end it early (the request is closed); a note says why."""
    _admin(by)
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if status not in (PairingStatus.COMPLETED, PairingStatus.ENDED_EARLY):
        raise ValidationError(_("Choose how the pairing ended."))
    if pairing.status != PairingStatus.ACTIVE:
        raise ValidationError(_("This pairing has ended."))
    today = timezone.localdate()
    if note.strip():
        PairingNote.objects.create(
            pairing=pairing, author=by, date=today, kind=NoteKind.OTHER, text=note.strip()[:5000]
        )
    pairing.status = status
    pairing.ended_on = today
    _by(pairing, by)
    pairing.save()
    request = pairing.request
    request.status = RequestStatus.CLOSED
    _by(request, by)
    request.save()
    return pairing
