"""Permissions of the events app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import active_roles, municipal_role, national_role

# Municipal staff and the facilitators who serve the municipality organise its events;
# programme managers (for any municipalities, several at once) and the system administrator too.
is_event_organiser = municipal_role(Role.STAFF, Role.FACILITATOR)
is_national_organiser = national_role(Role.PROGRAMME_MANAGER, Role.SYSADMIN)

ORGANISER_ROLES = frozenset({Role.STAFF, Role.FACILITATOR})
NATIONAL_ORGANISER_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.SYSADMIN})


@rules.predicate
def organises_event(user: Any, event: Any) -> bool:
    """An organiser in at least one of the event's municipalities (or national)."""
    if event is None:
        return False
    if is_national_organiser(user):
        return True
    mine = {m for r, m in active_roles(user) if r in ORGANISER_ROLES and m is not None}
    return bool(mine & {m.pk for m in event.municipalities.all()})


# Object: the municipality. Paired selector: selectors.event_manager_municipalities.
rules.add_perm("events.manage_events", is_event_organiser | is_national_organiser)
# Object: an event. Paired selector: selectors.events_managed.
rules.add_perm("events.manage_event", organises_event)
