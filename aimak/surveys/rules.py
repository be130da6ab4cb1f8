"""Permissions of the surveys app (autodiscovered by rules.apps.AutodiscoverRulesConfig)."""

import rules

from aimak.accounts.predicates import (
    is_municipal_editor,
    is_municipal_member,
    is_programme_manager,
    is_sysadmin,
)

# Object: the municipality. Paired selector: selectors.editor_municipalities. The system
# administrator may too (as with providers), which Django grants a superuser anyway.
rules.add_perm("surveys.edit_questionnaires", is_municipal_editor | is_sysadmin)
# Object: the municipality (None for national templates). Paired selectors:
# selectors.draft_viewer_municipalities, questionnaire_list, version_list.
rules.add_perm("surveys.view_drafts", is_municipal_member | is_sysadmin | is_programme_manager)
# Published questionnaires and the standard templates: everyone signed in.
rules.add_perm("surveys.view_questionnaires", rules.is_authenticated)
