"""Notifications made the way apps make them: through `notify`."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_noop

from aimak.notifications.models import Notification
from aimak.notifications.services import notify

# The demo's messages (aimak/demo/notifications.py), translated in the catalogues.
OVERDUE = gettext_noop(
    "Overdue: “%(action)s” (%(municipality)s) was due on %(deadline)s and is still open."
)
REMINDER = gettext_noop("Reminder: “%(event)s” is tomorrow, %(when)s, at %(place)s.")


def note(
    user: Any,
    *,
    kind: str = "plans.overdue",
    action: str = "Fix the pipe",
    url: str = "/ky/plans/recommendations/1/",
    created_at: datetime.datetime | None = None,
) -> Notification:
    if kind.startswith("events."):
        notify(
            recipients=[user],
            kind=kind,
            message=REMINDER,
            params={"event": action, "when": "10:00", "place": "Hall"},
            url=url,
        )
    else:
        notify(
            recipients=[user],
            kind=kind,
            message=OVERDUE,
            params={"action": action, "municipality": "Ак-Коргон", "deadline": "2026-10-01"},
            url=url,
        )
    created = Notification.objects.filter(recipient=user).order_by("-pk").first()
    assert created is not None
    if created_at is not None:
        Notification.objects.filter(pk=created.pk).update(created_at=created_at)
        created.refresh_from_db()
    return created
