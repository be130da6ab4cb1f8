"""Permissions of mentoring.

Staff of a municipality request or offer mentoring for that municipality (the object);
the content administrator and the programme manager pair requests with offers and follow
the pairings; either side (staff of the two municipalities) writes follow-up notes.
"""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import active_roles, municipal_role, national_role

is_mentoring_admin = national_role(Role.CONTENT_ADMIN, Role.PROGRAMME_MANAGER)
is_staff_of = municipal_role(Role.STAFF)


@rules.predicate
def is_pairing_side(user: Any, pairing: Any) -> bool:
    """Staff of either municipality, or the people who asked and offered."""
    if pairing is None:
        return False
    uid = getattr(user, "pk", None)
    if uid is not None and uid in (pairing.request.requested_by_id, pairing.offer.offered_by_id):
        return True
    sides = {pairing.request.municipality_id, pairing.offer.municipality_id}
    return any(r == Role.STAFF and m in sides for r, m in active_roles(user))


@rules.predicate
def has_staff_role(user: Any) -> bool:
    return any(r == Role.STAFF for r, _m in active_roles(user))


rules.add_perm("mentoring.manage", is_mentoring_admin)
rules.add_perm("mentoring.take_part", has_staff_role | is_mentoring_admin)
# Object: the municipality. Paired selector: selectors.staff_municipalities.
rules.add_perm("mentoring.request_for", is_staff_of)
# Object: the pairing. Paired selector: selectors.pairings_visible.
rules.add_perm("mentoring.view_pairing", is_mentoring_admin | is_pairing_side)
rules.add_perm("mentoring.note_pairing", is_mentoring_admin | is_pairing_side)
