"""Reads about people and memberships; list filters paired with the predicates."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from aimak.territories.models import Territory
from aimak.territories.selectors import municipality_list

from .models import Membership, User
from .predicates import active_roles, national_role


def municipalities_with_role(
    *,
    user: Any,
    roles: frozenset[str] | set[str],
    national: frozenset[str] | set[str] = frozenset(),
) -> QuerySet[Territory]:
    """The municipalities where `user` holds one of `roles` (all of them for `national`)."""
    if national and national_role(*national)(user):
        return municipality_list()
    ids = [m for r, m in active_roles(user) if r in roles and m is not None]
    return municipality_list().filter(pk__in=ids)


def user_memberships(*, user: User, include_ended: bool = True) -> QuerySet[Membership]:
    qs = Membership.objects.filter(user=user).select_related("municipality", "municipality__parent")
    return qs if include_ended else qs.active()


def membership_list(
    *,
    role: str | None = None,
    municipality: Territory | None = None,
    query: str = "",
    include_ended: bool = False,
) -> QuerySet[Membership]:
    qs = Membership.objects.select_related(
        "user", "municipality", "municipality__successor", "granted_by"
    )
    if not include_ended:
        qs = qs.active()
    if role:
        qs = qs.filter(role=role)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    if query:
        qs = qs.filter(
            Q(user__username__icontains=query)
            | Q(user__full_name__icontains=query)
            | Q(user__email__icontains=query)
        )
    return qs.order_by("user__username", "role")


def memberships_in_ended_municipalities() -> QuerySet[Membership]:
    """Active roles in municipalities that a registry load has ended: to move or end."""
    return (
        Membership.objects.active()
        .filter(municipality__valid_to__isnull=False)
        .select_related("user", "municipality", "municipality__successor")
        .order_by("municipality__code", "user__username")
    )
