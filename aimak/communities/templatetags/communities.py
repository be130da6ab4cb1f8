"""Rendering of posts: @mentions of existing users become links to their posts."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..services import MENTION

register = template.Library()
_SPLIT = re.compile(r"(<[^>]*>)")


@register.filter
def with_mentions(post: Any) -> SafeString:
    """The post's sanitised body with each @username of a user recorded as mentioned
    turned into a link to that member's posts; other @words stay plain text."""
    body = post.body
    names = {u.username for u in post.mentions.all()}
    if not names:
        return mark_safe(body)
    out: list[str] = []
    in_link = 0
    for part in _SPLIT.split(body):
        if part.startswith("<"):
            tag = part[1:3].lower()
            if tag.startswith("a") and (len(tag) == 1 or not tag[1].isalpha()):
                in_link += 1
            elif part.lower().startswith("</a"):
                in_link = max(0, in_link - 1)
            out.append(part)
            continue
        if in_link:
            out.append(part)
            continue

        def link(match: re.Match[str]) -> str:
            name = match.group(1)
            tail = ""
            while name.endswith(".") and name not in names:
                name, tail = name[:-1], "." + tail
            if name not in names:
                return match.group(0)
            url = reverse("communities:member", args=[name])
            return f'<a class="mention" href="{escape(url)}">@{escape(name)}</a>{tail}'

        out.append(MENTION.sub(link, part))
    return mark_safe("".join(out))
