"""Reads of the events app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from aimak.accounts.predicates import active_roles
from aimak.accounts.selectors import municipalities_with_role
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Attendance, AttendanceSource, Event, EventMaterial, Participant
from .rules import NATIONAL_ORGANISER_ROLES, ORGANISER_ROLES

COUNT_FIELDS = (
    "women",
    "men",
    "sex_not_stated",
    "age_under_18",
    "age_18_29",
    "age_30_59",
    "age_60_plus",
    "age_not_stated",
    "disability",
    "youth",
    "elderly",
    "minority",
    "low_income",
)


def event_manager_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Municipalities whose events `user` may organise (pairs with events.manage_events)."""
    return municipalities_with_role(
        user=user, roles=ORGANISER_ROLES, national=NATIONAL_ORGANISER_ROLES
    )


def events_managed(*, user: Any) -> QuerySet[Event]:
    """Events `user` may manage (pairs with events.manage_event)."""
    qs = Event.objects.all()
    if getattr(user, "is_superuser", False) or any(
        r in NATIONAL_ORGANISER_ROLES and m is None for r, m in active_roles(user)
    ):
        return qs
    ids = [m for r, m in active_roles(user) if r in ORGANISER_ROLES and m is not None]
    return qs.filter(municipalities__in=ids).distinct()


def _region_filter(region: Territory) -> Q:
    return (
        Q(municipalities__parent=region)
        | Q(municipalities__parent__parent=region)
        | Q(municipalities=region)
    )


def event_list(
    *,
    kind: str | None = None,
    municipality: Territory | None = None,
    region: Territory | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    when: str | None = None,
) -> QuerySet[Event]:
    """Events, newest first (upcoming ones soonest first with when="upcoming")."""
    qs = Event.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if municipality is not None:
        qs = qs.filter(municipalities=municipality)
    if region is not None:
        qs = qs.filter(pk__in=Event.objects.filter(_region_filter(region)).values("pk"))
    if date_from:
        qs = qs.filter(starts_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(starts_at__date__lte=date_to)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(starts_at__gte=now).order_by("starts_at", "pk")
    elif when == "past":
        qs = qs.filter(starts_at__lt=now).order_by("-starts_at", "pk")
    return qs.prefetch_related(
        Prefetch(
            "municipalities",
            queryset=Territory.objects.only("pk", "code", "name", "name_ky", "name_ru", "name_en"),
        )
    )


def events_for_municipality(*, municipality: Territory) -> QuerySet[Event]:
    return event_list(municipality=municipality)


def event_get(*, pk: int) -> Event:
    return Event.objects.prefetch_related("municipalities").get(pk=pk)


def municipality_get(*, code: str) -> Territory:
    return Territory.objects.select_related("parent").get(code=code, level__in=MUNICIPAL_LEVELS)


def event_is_past(event: Event) -> bool:
    return event.starts_at < timezone.now()


@dataclass
class AttendanceTotals:
    rows: list[Attendance]
    total: dict[str, int]

    @property
    def people(self) -> int:
        return self.total["women"] + self.total["men"] + self.total["sex_not_stated"]


def event_attendance(*, event: Event) -> AttendanceTotals:
    rows = list(
        Attendance.objects.filter(event=event)
        .select_related("municipality")
        .order_by("municipality__code")
    )
    total = {f: sum(getattr(r, f) for r in rows) for f in COUNT_FIELDS}
    return AttendanceTotals(rows=rows, total=total)


def attendance_totals(*, events: QuerySet[Event]) -> dict[str, int]:
    """Summed attendance over many events (one query)."""
    sums = Attendance.objects.filter(event__in=events).aggregate(
        **{f: Sum(f) for f in COUNT_FIELDS}
    )
    return {f: sums[f] or 0 for f in COUNT_FIELDS}


@dataclass
class Correction:
    at: datetime.datetime
    by: str
    municipality: str
    kind: str  # "+" created, "~" changed
    changes: list[tuple[str, Any, Any]]


def attendance_corrections(*, event: Event) -> list[Correction]:
    """Every change of the event's attendance, newest first, with who, when, before/after."""
    history = (
        Attendance.history.filter(event_id=event.pk)
        .select_related("history_user", "municipality")
        .order_by("municipality_id", "history_date", "history_id")
    )
    out: list[Correction] = []
    previous: dict[int, Any] = {}
    for h in history:
        before = previous.get(h.municipality_id)
        changes: list[tuple[str, Any, Any]] = []
        for field in (*COUNT_FIELDS, "source"):
            new = getattr(h, field)
            old = getattr(before, field) if before is not None else None
            if before is None or old != new:
                label = str(getattr(Attendance._meta.get_field(field), "verbose_name", field))
                if field == "source":
                    old = AttendanceSource(old).label if old else old
                    new = AttendanceSource(new).label
                changes.append((label, old, new))
        previous[h.municipality_id] = h
        if before is not None and not changes:
            continue
        user = h.history_user
        out.append(
            Correction(
                at=h.history_date,
                by=(getattr(user, "full_name", "") or user.get_username()) if user else "",
                municipality=h.municipality.name if h.municipality else "",
                kind=h.history_type,
                changes=changes,
            )
        )
    out.sort(key=lambda c: c.at, reverse=True)
    return out


def participant_list(*, event: Event) -> QuerySet[Participant]:
    return event.participants.select_related("municipality", "user").order_by("name", "pk")


def participant_for(*, event: Event, user: Any) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return event.participants.filter(user=user).first()


def material_list(*, event: Event) -> QuerySet[EventMaterial]:
    return event.materials.all()


def event_recommendations(*, event: Event) -> list[Any]:
    """Recommendations that came out of the event (the plans app, when it is there)."""
    manager = getattr(event, "recommendations", None)
    if manager is None:
        return []
    return list(manager.all()[:50])


def event_resolutions(*, event: Event) -> list[Any]:
    manager = getattr(event, "resolutions", None)
    return list(manager.all()) if manager is not None else []


def events_starting_on(*, day: datetime.date) -> QuerySet[Event]:
    return Event.objects.filter(starts_at__date=day)
