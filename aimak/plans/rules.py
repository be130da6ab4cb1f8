"""Permissions of action plans (autodiscovered by rules.apps.AutodiscoverRulesConfig).

Every permission takes the municipality as its object (None for the national status
list); `selectors.plan_viewer_municipalities` and friends filter lists the same way."""

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import (
    is_municipal_member,
    is_municipal_staff,
    is_sysadmin,
    municipal_role,
    national_role,
)

# National programme roles read every municipality's plans.
is_plan_reader = national_role(Role.PROGRAMME_MANAGER, Role.EXPERT, Role.SYSADMIN)
is_monitor = municipal_role(Role.MONITOR)

# Unpublished recommendations, the timeline, contacts. Paired selector:
# selectors.plan_viewer_municipalities.
rules.add_perm("plans.view_plan", is_municipal_member | is_plan_reader)
# Recommendations, actions, statuses, milestones. Paired: plan_editor_municipalities.
rules.add_perm("plans.edit_plan", is_municipal_staff | is_sysadmin)
# Verified / disputed. Paired: plan_verifier_municipalities.
rules.add_perm("plans.verify", is_monitor)
# The national list of action statuses (object None).
rules.add_perm("plans.manage_statuses", national_role(Role.SYSADMIN, Role.PROGRAMME_MANAGER))
