"""Permissions of communities of practice.

Moderators of a community are its listed moderators and the content administrator (a
national role). Open communities are readable by everyone and writable by every
registered user; members-only ones by their active members and moderators. Each object
predicate has a selector beside it (`selectors.communities_readable`, `post_visible_to`).
"""

from __future__ import annotations

from typing import Any

import rules

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role

from .models import Access, MemberStatus

is_content_admin = national_role(Role.CONTENT_ADMIN)


@rules.predicate
def is_registered(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def _community(obj: Any) -> Any:
    """A community from a community, thread or post."""
    if obj is None:
        return None
    if hasattr(obj, "thread"):
        obj = obj.thread
    if hasattr(obj, "community"):
        obj = obj.community
    return obj


@rules.predicate
def is_listed_moderator(user: Any, obj: Any) -> bool:
    community = _community(obj)
    if community is None or not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_aimak_moderated", None)
    if cache is None:
        cache = set(user.moderated_communities.values_list("pk", flat=True))
        user._aimak_moderated = cache
    return community.pk in cache


@rules.predicate
def is_active_member(user: Any, obj: Any) -> bool:
    community = _community(obj)
    if community is None or not getattr(user, "is_authenticated", False):
        return False
    return community.members.filter(user=user, status=MemberStatus.ACTIVE).exists()


@rules.predicate
def is_open(user: Any, obj: Any) -> bool:
    community = _community(obj)
    return community is not None and community.access == Access.OPEN


is_moderator = is_content_admin | is_listed_moderator

# Object: a community (or a thread or post in it).
rules.add_perm("communities.view", is_open | is_moderator | is_active_member)
rules.add_perm("communities.post", is_registered & (is_open | is_moderator | is_active_member))
rules.add_perm("communities.moderate", is_moderator)
# No object.
rules.add_perm("communities.manage", is_content_admin)
rules.add_perm("communities.moderate_any", is_content_admin)


def forget_moderated(user: Any) -> None:
    if hasattr(user, "_aimak_moderated"):
        del user._aimak_moderated
