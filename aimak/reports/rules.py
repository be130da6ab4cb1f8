"""Permissions of the reports app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

from typing import Any

import rules


@rules.predicate
def manages_the_round(user: Any, round: Any) -> bool:
    """Staff and monitoring group of the round's municipality (and the system administrator)."""
    return round is not None and bool(user.has_perm("surveys.manage_rounds", round.municipality))


@rules.predicate
def reads_the_results(user: Any, round: Any) -> bool:
    return round is not None and bool(user.has_perm("results.view_results", round))


# Object: a round. Requesting reports: the round's managers. Paired selector:
# surveys.selectors.round_manager_municipalities.
rules.add_perm("reports.request_report", manages_the_round)
# Object: a round. Seeing and downloading its finished reports: whoever reads its results
# (everyone once the round is published; its managers and assigned people before).
rules.add_perm("reports.view_reports", reads_the_results)
