"""Writing notifications. Other apps call `notify`; digests are sent from here too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .models import Notification


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    message: str,
    params: dict[str, Any] | None = None,
    url: str = "",
    target: models.Model | None = None,
) -> int:
    """Record one notification per distinct active recipient; returns how many.

    `message` is an untranslated English msgid (mark it with `gettext_noop`) with
    `%(name)s` placeholders; `params` fill them (plain strings and numbers only). Nothing
    is e-mailed here: digests collect unsent notifications on the schedule each user chose.
    """
    params = {k: v if isinstance(v, int | float) else str(v) for k, v in (params or {}).items()}
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or user.pk in seen or not getattr(user, "is_active", True):
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                message=message,
                params=params,
                url=url,
                target_type=target._meta.label_lower if target is not None else "",
                target_id=str(target.pk) if target is not None else "",
            )
        )
    Notification.objects.bulk_create(rows)
    return len(rows)
