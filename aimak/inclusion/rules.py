"""Permissions of the inclusion app (autodiscovered). Object: the municipality."""

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import is_municipal_staff, is_sysadmin, municipal_role

is_facilitator = municipal_role(Role.FACILITATOR)

# Upload budgets and link them to hearings and resolutions.
# Paired selector: selectors.budget_manager_municipalities.
rules.add_perm("inclusion.manage_budgets", is_municipal_staff | is_sysadmin)
# Tag budget lines for gender relevance: staff and the facilitators (NGOs) advising on GRB.
# Paired selector: selectors.budget_tagger_municipalities.
rules.add_perm("inclusion.tag_budgets", is_municipal_staff | is_facilitator | is_sysadmin)
