"""Reads of the council app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from aimak.accounts.models import Role
from aimak.accounts.selectors import municipalities_with_role
from aimak.events.models import Event
from aimak.surveys.models import Round, RoundStatus
from aimak.territories.models import Territory

from .models import Decision, Resolution, ResolutionLink
from .rules import COUNCIL_EDITOR_ROLES


def council_editor_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Pairs with council.manage_resolutions."""
    return municipalities_with_role(
        user=user, roles=COUNCIL_EDITOR_ROLES, national=frozenset({Role.SYSADMIN})
    )


def resolution_list(
    *,
    municipality: Territory | None = None,
    kind: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    region: Territory | None = None,
) -> QuerySet[Resolution]:
    qs = Resolution.objects.select_related("municipality", "repealed_by").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.order_by("pk"))
    )
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if region is not None:
        qs = qs.filter(
            Q(municipality__parent=region)
            | Q(municipality__parent__parent=region)
            | Q(municipality=region)
        )
    if kind:
        qs = qs.filter(pk__in=Decision.objects.filter(kind=kind).values("resolution_id"))
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-pk")


def resolution_get(*, pk: int) -> Resolution:
    return (
        Resolution.objects.select_related("municipality", "event", "repealed_by")
        .prefetch_related("decisions", "repeals")
        .get(pk=pk)
    )


def in_force_on(*, day: datetime.date) -> Q:
    """Resolutions in force on `day` (adopted by then, not repealed by then)."""
    return Q(date__lte=day) & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=day))


def gender_policy_resolution(*, municipality: Territory, day: datetime.date) -> Resolution | None:
    """The resolution by which a gender- and socially-sensitive service policy is in force."""
    return (
        Resolution.objects.filter(in_force_on(day=day), municipality=municipality)
        .filter(decisions__kind="gender_policy")
        .order_by("-date", "-pk")
        .first()
    )


def resolutions_for(target: Model) -> QuerySet[Resolution]:
    """Resolutions that concern `target` (by a ResolutionLink, or as their event)."""
    ct = ContentType.objects.get_for_model(target)
    ids = ResolutionLink.objects.filter(content_type=ct, object_id=str(target.pk)).values(
        "resolution_id"
    )
    q = Q(pk__in=ids)
    if isinstance(target, Event):
        q |= Q(event=target)
    return Resolution.objects.filter(q).select_related("municipality").order_by("-date", "-pk")


@dataclass
class LinkView:
    link: ResolutionLink
    kind: str
    label: str
    url: str


def _target_url(target: Any) -> str:
    if isinstance(target, Round):
        if target.status == RoundStatus.PUBLISHED:
            try:
                return reverse("results:round", args=[target.pk])
            except NoReverseMatch:
                return ""
        return ""
    getter = getattr(target, "get_absolute_url", None)
    if getter is None:
        return ""
    try:
        return str(getter())
    except NoReverseMatch:
        return ""


def resolution_links(*, resolution: Resolution) -> list[LinkView]:
    out = []
    for link in resolution.links.select_related("content_type"):
        target = link.target
        model = link.content_type.model_class()
        kind = str(model._meta.verbose_name) if model else link.content_type.model
        if target is None:
            out.append(LinkView(link=link, kind=kind, label=f"#{link.object_id}", url=""))
            continue
        out.append(LinkView(link=link, kind=kind, label=str(target), url=_target_url(target)))
    return out


def link_candidates(*, municipality: Territory) -> dict[str, list[tuple[str, str]]]:
    """What a resolution of `municipality` may be linked to from the page's picker."""
    rounds = Round.objects.filter(municipality=municipality).order_by("-start_date")
    events = Event.objects.filter(municipalities=municipality).order_by("-starts_at")[:100]
    return {
        "round": [(str(r.pk), f"{r} ({r.get_status_display()})") for r in rounds],
        "event": [(str(e.pk), f"{e.starts_at:%Y-%m-%d} {e.title}") for e in events],
    }


def resolution_repeal_candidates(*, municipality: Territory) -> QuerySet[Resolution]:
    return Resolution.objects.filter(municipality=municipality).order_by("-date", "-pk")
