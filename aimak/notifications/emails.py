"""The digest e-mail: one message per user and period, in the user's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from .models import FAMILIES, Notification, family_label

# At most this many notifications are listed in one e-mail; the rest are counted.
DIGEST_LIMIT = 50


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def absolute(url: str) -> str:
    """An absolute link for an e-mail: local paths get SITE_URL in front."""
    if url.startswith("/"):
        return site_url() + url
    if url.startswith(("http://", "https://")):
        return url
    return ""


@dataclass
class DigestItem:
    text: str
    link: str
    created_at: Any


@dataclass
class DigestGroup:
    family: str
    label: str
    items: list[DigestItem] = field(default_factory=list)


def _groups(notifications: Sequence[Notification], language: str) -> list[DigestGroup]:
    order = {key: i for i, (key, _label) in enumerate(FAMILIES)}
    groups: dict[str, DigestGroup] = {}
    for n in notifications:
        family = n.family if n.family in order else "other"
        group = groups.get(family)
        if group is None:
            group = groups[family] = DigestGroup(family=family, label=family_label(family))
        group.items.append(
            DigestItem(text=n.text(), link=absolute(n.link(language)), created_at=n.created_at)
        )
    return sorted(groups.values(), key=lambda g: order.get(g.family, len(order)))


def digest_message(*, user: Any, notifications: Sequence[Notification]) -> EmailMultiAlternatives:
    """Subject, plain text and HTML of one digest, in the user's preferred language,
    notifications grouped by kind family, links absolute."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        shown = list(notifications[:DIGEST_LIMIT])
        total = len(notifications)
        context = {
            "user": user,
            "groups": _groups(shown, language),
            "total": total,
            "more": total - len(shown),
            "list_url": site_url() + reverse("notifications:list"),
            "settings_url": site_url() + reverse("notifications:settings"),
            "site_url": site_url(),
            "LANGUAGE_CODE": language,
        }
        subject = ngettext(
            "Aimak: %(count)s new notification",
            "Aimak: %(count)s new notifications",
            total,
        ) % {"count": total}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message
