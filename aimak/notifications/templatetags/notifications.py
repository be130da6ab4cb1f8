"""`{% follow_button target %}`: a Follow / Unfollow form for any object (see
docs/notifications.md)."""

from __future__ import annotations

from typing import Any

from django import template

from ..forms import follow_token
from ..selectors import is_subscribed

register = template.Library()


@register.inclusion_tag("notifications/_follow.html", takes_context=True)
def follow_button(context: template.Context, target: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "signed_in": signed_in,
        "following": signed_in and is_subscribed(user=user, target=target),
        "token": follow_token(target) if signed_in else "",
        "next": request.get_full_path() if request is not None else "",
    }
