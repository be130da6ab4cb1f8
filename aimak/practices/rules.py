"""Permissions of the practice library and the expert directory.

The library is national: moderation, experts, themes and the monthly target belong to the
content administrator (a national role), so these rules take no municipality. Reading a
practice takes the practice as its object; its paired selector is
`selectors.practices_visible`.
"""

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role

from .models import Status

is_content_admin = national_role(Role.CONTENT_ADMIN)
is_target_viewer = national_role(Role.CONTENT_ADMIN, Role.PROGRAMME_MANAGER)


@rules.predicate
def is_registered(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


@rules.predicate
def is_author(user: Any, practice: Any) -> bool:
    return practice is not None and practice.author_id == getattr(user, "pk", None)


@rules.predicate
def is_published(user: Any, practice: Any) -> bool:
    return practice is not None and practice.status == Status.PUBLISHED


@rules.predicate
def author_may_edit(user: Any, practice: Any) -> bool:
    return practice is not None and practice.status in (Status.DRAFT, Status.RETURNED)


rules.add_perm("practices.submit_practice", is_registered)
rules.add_perm("practices.moderate", is_content_admin)
rules.add_perm("practices.manage_experts", is_content_admin)
rules.add_perm("practices.manage_themes", is_content_admin)
rules.add_perm("practices.view_target", is_target_viewer)
# Object: the practice. Paired selector: selectors.practices_visible.
rules.add_perm("practices.view_practice", is_published | is_author | is_content_admin)
rules.add_perm("practices.edit_practice", (is_author & author_may_edit) | is_content_admin)
rules.add_perm("practices.view_practice_history", is_author | is_content_admin)
