"""The unread count for the header: lazy, one query for signed-in users, none otherwise."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from .selectors import UNREAD_CAP, unread_count


class UnreadCount:
    """Counted on first use in the template (one query), shown as "3" or "99+"."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        return unread_count(user=self._user)

    def __int__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return f"{UNREAD_CAP - 1}+" if self.count >= UNREAD_CAP else str(self.count)


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": UnreadCount(user)}
