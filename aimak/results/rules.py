"""Permissions of the results app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role
from aimak.surveys.models import RoundStatus


@rules.predicate
def round_published(user: Any, round: Any) -> bool:
    return round is not None and round.status == RoundStatus.PUBLISHED


@rules.predicate
def sees_round(user: Any, round: Any) -> bool:
    """The round's managers and the people assigned to it (surveys.view_round)."""
    return round is not None and bool(user.has_perm("surveys.view_round", round))


# Object: a round. Everyone, anonymous visitors included, sees a published round's results;
# its managers and assigned people see them at any status. Paired selector:
# selectors.results_visible.
rules.add_perm("results.view_results", round_published | sees_round)

# No object. Comparing municipalities side by side (over their latest published rounds) is
# for national roles: programme managers, experts and the system administrator. Paired
# selector: selectors.comparable_rounds.
rules.add_perm("results.compare", national_role(Role.PROGRAMME_MANAGER, Role.EXPERT, Role.SYSADMIN))
