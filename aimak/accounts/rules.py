"""Permissions of the accounts app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

import rules

from .predicates import is_membership_admin

rules.add_perm("accounts.manage_memberships", is_membership_admin)
rules.add_perm("accounts.view_audit", is_membership_admin)
rules.add_perm("accounts.use_api_tokens", rules.is_authenticated)
