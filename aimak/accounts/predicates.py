"""`rules` predicates derived from memberships.

Each object predicate has a selector beside it (in selectors.py) that filters a list the
same way, so a page never shows what its detail view would refuse. A user's active
memberships are read once per request and kept on the user object.
"""

from __future__ import annotations

from typing import Any

import rules

from .models import Membership, Role


def active_roles(user: Any) -> list[tuple[str, int | None]]:
    """(role, municipality id or None) for each active membership of `user`."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_aimak_roles", None)
    if cached is None:
        cached = list(
            Membership.objects.active().filter(user=user).values_list("role", "municipality_id")
        )
        user._aimak_roles = cached
    return cached


def forget_roles(user: Any) -> None:
    if hasattr(user, "_aimak_roles"):
        del user._aimak_roles


def national_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    @rules.predicate(name=f"national_role({','.join(sorted(wanted))})")
    def check(user: Any) -> bool:
        if getattr(user, "is_superuser", False):
            return True
        return any(r in wanted and m is None for r, m in active_roles(user))

    return check


def municipal_role(*roles: str) -> rules.Predicate:
    """True when the user holds one of `roles` in the municipality given as the object."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"municipal_role({','.join(sorted(wanted))})")
    def check(user: Any, municipality: Any) -> bool:
        if municipality is None:
            return False
        pk = getattr(municipality, "pk", municipality)
        return any(r in wanted and m == pk for r, m in active_roles(user))

    return check


is_sysadmin = national_role(Role.SYSADMIN)
is_programme_manager = national_role(Role.PROGRAMME_MANAGER)
is_membership_admin = national_role(Role.SYSADMIN, Role.PROGRAMME_MANAGER)
is_municipal_staff = municipal_role(Role.STAFF)
is_municipal_editor = municipal_role(Role.STAFF, Role.MONITOR)
is_municipal_member = municipal_role(
    Role.STAFF, Role.DEPUTY, Role.MONITOR, Role.ENUMERATOR, Role.FACILITATOR
)
