"""Every read of mentoring."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from aimak.accounts.models import Role
from aimak.accounts.predicates import active_roles
from aimak.territories.models import Territory

from .models import (
    MentoringOffer,
    MentoringRequest,
    Pairing,
    PairingNote,
    PairingStatus,
)
from .rules import is_mentoring_admin

NO_CONTACT_DAYS = 30


def staff_municipality_ids(*, user: Any) -> list[int]:
    return [m for r, m in active_roles(user) if r == Role.STAFF and m is not None]


def staff_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Municipalities the user may request or offer for (rule `mentoring.request_for`)."""
    return Territory.objects.filter(pk__in=staff_municipality_ids(user=user)).order_by("name")


def request_list(*, status: str | None = None, municipality_ids: Any = None) -> QuerySet:
    qs = MentoringRequest.objects.select_related("municipality", "theme", "requested_by")
    if status:
        qs = qs.filter(status=status)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs


def offer_list(*, active: bool | None = None, municipality_ids: Any = None) -> QuerySet:
    qs = MentoringOffer.objects.select_related("municipality", "theme", "offered_by").annotate(
        active_pairings=Count("pairings", filter=Q(pairings__status=PairingStatus.ACTIVE))
    )
    if active is not None:
        qs = qs.filter(active=active)
    if municipality_ids is not None:
        qs = qs.filter(municipality_id__in=municipality_ids)
    return qs


def offers_for_request(*, request: MentoringRequest) -> list[MentoringOffer]:
    """Open offers with room left, from other municipalities, same theme first."""
    offers = [
        o
        for o in offer_list(active=True).exclude(municipality_id=request.municipality_id)
        if o.active_pairings < o.capacity  # type: ignore[attr-defined]
    ]
    return sorted(offers, key=lambda o: (o.theme_id != request.theme_id, -o.created_at.timestamp()))


def pairings_visible(*, user: Any) -> QuerySet[Pairing]:
    qs = Pairing.objects.select_related(
        "request__municipality", "request__theme", "offer__municipality", "paired_by"
    )
    if is_mentoring_admin(user):
        return qs
    ids = staff_municipality_ids(user=user)
    uid = getattr(user, "pk", None)
    return qs.filter(
        Q(request__municipality_id__in=ids)
        | Q(offer__municipality_id__in=ids)
        | Q(request__requested_by_id=uid)
        | Q(offer__offered_by_id=uid)
    )


@dataclass
class FollowRow:
    pairing: Pairing
    last_contact: datetime.date
    days: int
    noted: bool

    @property
    def stale(self) -> bool:
        return self.days >= NO_CONTACT_DAYS


def pairings_followed(
    *, user: Any, status: str = PairingStatus.ACTIVE, today: datetime.date | None = None
) -> list[FollowRow]:
    """Pairings with their last contact (the newest note, else the start) and the days since,
    longest silence first (one query)."""
    today = today or timezone.localdate()
    rows = []
    for p in pairings_visible(user=user).filter(status=status).annotate(last=Max("notes__date")):
        last = p.last or p.started_on  # type: ignore[attr-defined]
        rows.append(
            FollowRow(pairing=p, last_contact=last, days=(today - last).days, noted=bool(p.last))  # type: ignore[attr-defined]
        )
    return sorted(rows, key=lambda r: -r.days)


def pairing_get(*, pk: int, user: Any) -> Pairing:
    return pairings_visible(user=user).get(pk=pk)


def pairing_notes(*, pairing: Pairing) -> QuerySet[PairingNote]:
    return pairing.notes.select_related("author").order_by("-date", "-pk")


def pairing_history(*, pairing: Pairing) -> QuerySet:
    return pairing.history.select_related("history_user").order_by("-history_date")  # type: ignore[attr-defined]


# --- portal indicators (contract with aimak.audience) ---------------------------------------


def active_user_ids(*, since: datetime.datetime, until: datetime.datetime) -> QuerySet:
    """Users who requested or offered mentoring, or wrote a follow-up note, in [since, until):
    one column, `user_id`, one row per user (a plain query, not a UNION)."""
    from django.contrib.auth import get_user_model

    window = {"created_at__gte": since, "created_at__lt": until}
    requests = MentoringRequest.objects.filter(**window).values("requested_by_id")
    offers = MentoringOffer.objects.filter(**window).values("offered_by_id")
    notes = PairingNote.objects.filter(**window).values("author_id")
    return (
        get_user_model()
        .objects.filter(Q(pk__in=requests) | Q(pk__in=offers) | Q(pk__in=notes))
        .order_by()
        .values(user_id=F("pk"))
    )


def activity_by_category(*, since: datetime.datetime, until: datetime.datetime) -> dict[str, int]:
    """{audience category: mentoring requests + offers made in the window}."""
    out: dict[str, int] = {}
    window = {"created_at__gte": since, "created_at__lt": until}
    for model, user in ((MentoringRequest, "requested_by"), (MentoringOffer, "offered_by")):
        rows = (
            model.objects.filter(**window)  # type: ignore[attr-defined]
            .values(f"{user}__audience_category")
            .annotate(n=Count("pk"))
            .values_list(f"{user}__audience_category", "n")
        )
        for category, n in rows:
            out[category] = out.get(category, 0) + n
    return out
