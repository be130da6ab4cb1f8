"""Reads of the registry used by pages, the API and other apps."""

from __future__ import annotations

import re

from django.db.models import Case, Count, Q, QuerySet, Value, When

from .models import MUNICIPAL_LEVELS, Level, Territory, TerritoryChange
from .transliteration import skeleton

LEVEL_ORDER: dict[str, int] = {
    Level.OBLAST: 0,
    Level.CITY: 1,
    Level.RAYON: 2,
    Level.AIMAK: 3,
    Level.VILLAGE: 4,
}
_CODE_QUERY = re.compile(r"^[\d\s]+$")


def territory_list(
    *, level: str | None = None, parent: Territory | None = None, top: bool = False
) -> QuerySet[Territory]:
    qs = Territory.objects.select_related("successor").order_by("code")
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    elif top:
        qs = qs.filter(parent__isnull=True)
    return qs


def territory_children(*, parent: Territory | None) -> QuerySet[Territory]:
    """Units directly under `parent` (the country when None), with their child counts.

    Without territory_list's join to the successor: grouping by the columns of both
    tables made this query several times slower, and the tables of units do not show it.
    """
    qs = Territory.objects.order_by("code")
    qs = qs.filter(parent=parent) if parent is not None else qs.filter(parent__isnull=True)
    return qs.annotate(child_count=Count("children"))


def territory_ancestors(*, territory: Territory) -> list[Territory]:
    """From the top of the country down to the unit's parent (a unit has at most 4)."""
    chain: list[Territory] = []
    cursor = territory.parent
    while cursor is not None:
        chain.append(cursor)
        cursor = cursor.parent
    return list(reversed(chain))


def territory_get(*, code: str) -> Territory:
    return Territory.objects.select_related("parent", "successor").get(code=code)


def territory_search(
    *, query: str, level: str | None = None, parent: Territory | None = None, limit: int = 50
) -> list[Territory]:
    """Find units by any of their names (any script, ң ө ү optional) or by SOATE code.

    Exact names come first, then names that start with the query, then the rest;
    within each, larger units before smaller ones.
    """
    query = query.strip()
    if not query:
        return []
    qs = Territory.objects.select_related("parent", "successor")
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if _CODE_QUERY.match(query):
        digits = re.sub(r"\s", "", query)
        prefixes = {digits} | ({"417" + digits} if not digits.startswith("417") else set())
        condition = Q()
        for prefix in prefixes:
            condition |= Q(code__startswith=prefix)
        return list(qs.filter(condition).order_by("code")[:limit])
    key = skeleton(query)
    if not key:
        return []
    # Ranked in the database, so only `limit` rows become objects: 0 when a whole name
    # matches, 1 when a name starts with the query, else 2; then larger units first.
    closeness = Case(
        When(search_key__contains=f"|{key}|", then=Value(0)),
        When(search_key__contains=f"|{key}", then=Value(1)),
        default=Value(2),
    )
    size = Case(
        *(When(level=lvl, then=Value(n)) for lvl, n in LEVEL_ORDER.items()), default=Value(9)
    )
    return list(
        qs.filter(search_key__contains=key)
        .annotate(search_closeness=closeness, search_size=size)
        .order_by("search_closeness", "search_size", "code")
        .defer("search_key")[:limit]
    )


def municipality_list(*, include_ended: bool = False) -> QuerySet[Territory]:
    qs = Territory.objects.filter(level__in=MUNICIPAL_LEVELS).select_related("parent")
    if not include_ended:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("code")


def territory_changes(*, territory: Territory) -> QuerySet[TerritoryChange]:
    return TerritoryChange.objects.filter(territory=territory).select_related("load")


def territory_level_counts() -> dict[str, int]:
    # order_by() clears the model's default ordering, which would otherwise split the groups.
    rows = Territory.objects.order_by().values("level").annotate(n=Count("id"))
    return {row["level"]: row["n"] for row in rows}


def municipality_lookup(*, query: str, limit: int = 6) -> list[Territory]:
    """Current municipalities matching a SOATE code or any of their names, best first.

    An exact name match alone is returned alone, so that typing a full name picks that
    municipality even when other names contain it. A code finds an ended municipality
    too, so that the caller can point to its successor.
    """
    query = query.strip()
    if _CODE_QUERY.match(query):
        code = re.sub(r"\s", "", query)
        unit = municipality_list(include_ended=True).filter(code=code).first()
        return [unit] if unit else []
    found = [
        unit
        for level in MUNICIPAL_LEVELS
        for unit in territory_search(query=query, level=level, limit=limit)
        if unit.valid_to is None
    ]
    key = skeleton(query)
    exact = [u for u in found if f"|{key}|" in u.search_key]
    return exact if len(exact) == 1 else found[:limit]
