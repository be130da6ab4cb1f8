"""Permissions of the results app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

from typing import Any

import rules

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
