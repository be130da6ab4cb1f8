"""Permissions of the council app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import is_sysadmin, municipal_role

# Municipal staff and council deputies record their council's resolutions.
is_council_editor = municipal_role(Role.STAFF, Role.DEPUTY)

COUNCIL_EDITOR_ROLES = frozenset({Role.STAFF, Role.DEPUTY})

# Object: the municipality. Paired selector: selectors.council_editor_municipalities.
rules.add_perm("council.manage_resolutions", is_council_editor | is_sysadmin)
