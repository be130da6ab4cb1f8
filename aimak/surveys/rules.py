"""Permissions of the surveys app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import (
    active_roles,
    is_municipal_editor,
    is_municipal_member,
    is_programme_manager,
    is_sysadmin,
    municipal_role,
)

is_round_viewer = municipal_role(Role.STAFF, Role.MONITOR, Role.ENUMERATOR)


@rules.predicate
def manages_round(user: Any, round: Any) -> bool:
    return round is not None and (
        is_sysadmin(user) or is_municipal_editor(user, round.municipality_id)
    )


@rules.predicate
def is_assigned_enumerator(user: Any, round: Any) -> bool:
    """An enumerator of the round's municipality whom the round assigns."""
    if round is None or not any(
        r == Role.ENUMERATOR and m == round.municipality_id for r, m in active_roles(user)
    ):
        return False
    return round.members.filter(user=user, role=Role.ENUMERATOR).exists()


# Object: the municipality. Paired selector: selectors.editor_municipalities. The system
# administrator may too (as with providers), which Django grants a superuser anyway.
rules.add_perm("surveys.edit_questionnaires", is_municipal_editor | is_sysadmin)
# Object: the municipality (None for national templates). Paired selectors:
# selectors.draft_viewer_municipalities, questionnaire_list, version_list.
rules.add_perm("surveys.view_drafts", is_municipal_member | is_sysadmin | is_programme_manager)
# Published questionnaires and the standard templates: everyone signed in.
rules.add_perm("surveys.view_questionnaires", rules.is_authenticated)

# Rounds and sample plans. Object: the municipality. Paired selector:
# selectors.round_manager_municipalities.
rules.add_perm("surveys.manage_rounds", is_municipal_editor | is_sysadmin)
# Object: the municipality (its rounds list). Paired selector:
# selectors.round_viewer_municipalities.
rules.add_perm("surveys.view_rounds", is_round_viewer | is_sysadmin)
# Object: a round. Paired selector: selectors.round_visible.
rules.add_perm("surveys.view_round", manages_round | is_assigned_enumerator)
# Collecting interviews into a round (phone form, paper entry, API). Object: a round.
# The round's managers and its assigned enumerators; the status is checked by the service.
rules.add_perm("surveys.collect", manages_round | is_assigned_enumerator)
