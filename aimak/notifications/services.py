"""Writing notifications. Other apps call `notify`; digests are sent from here too."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .emails import digest_message
from .models import (
    FAMILY_LABELS,
    DigestFrequency,
    Notification,
    NotificationPreference,
    Subscription,
)
from .selectors import digest_due, digest_due_q, users_pending_without_preference

logger = logging.getLogger(__name__)


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


def notification_mark_read(*, user: Any, pk: int) -> Notification:
    """Mark one of the user's own notifications read (Notification.DoesNotExist for any
    other, so another user's notification looks like no notification at all)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(recipient=user, pk=pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return notification


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def preference_set(
    *, user: Any, digest: str, weekday: int = 0, muted: Iterable[str] = ()
) -> NotificationPreference:
    """Save how the user wants e-mails (the row is made on the first save)."""
    if digest not in DigestFrequency.values:
        raise ValidationError(_("Choose daily, weekly or never."))
    if not 0 <= int(weekday) <= 6:
        raise ValidationError(_("The day of the week must be between 0 (Monday) and 6 (Sunday)."))
    muted = sorted(set(muted))
    unknown = [family for family in muted if family not in FAMILY_LABELS]
    if unknown:
        raise ValidationError(
            _("Unknown kinds of notification: %(kinds)s.") % {"kinds": ", ".join(unknown)}
        )
    with transaction.atomic():
        pref, _created = NotificationPreference.objects.update_or_create(
            user=user, defaults={"digest": digest, "weekday": int(weekday), "muted": muted}
        )
        return pref


def subscribe(*, user: Any, target: models.Model) -> Subscription:
    """Follow `target` (any saved object); following twice keeps one subscription."""
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(
            user=user,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
        )
        return subscription


def unsubscribe(*, user: Any, target: models.Model) -> int:
    """Stop following `target`; returns 1 if the user followed it, else 0."""
    with transaction.atomic():
        deleted, _detail = Subscription.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
        ).delete()
        return deleted


@dataclass
class DigestRun:
    period: str
    sent: int = 0
    empty: int = 0
    failed: int = 0


def send_digests(*, period: str, now: datetime.datetime | None = None) -> DigestRun:
    """Send one digest e-mail to every user whose `period` digest is due at `now`.

    For each due user, one short transaction claims the digest (a conditional update of
    `last_digest_at`, so two runs at once never both send) and the user's unsent
    notifications (`emailed_at` set). Then the e-mail is sent outside any transaction;
    if sending fails, both claims are released, so the notifications stay unsent and the
    next run tries again. Notifications already read in Aimak, and those of families the
    user left out, are claimed but not listed; a digest with nothing left is not sent.
    """
    if period not in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        raise ValidationError(_("The period must be daily or weekly."))
    now = now or timezone.now()
    run = DigestRun(period=period)
    with transaction.atomic():
        # Users who never chose get the default (daily) preference row, made lazily here.
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=user)
                for user in users_pending_without_preference(now=now).only("pk")
            ],
            ignore_conflicts=True,
        )
    for pref in digest_due(period=period, now=now):
        _send_one(pref=pref, period=period, now=now, run=run)
    return run


def _send_one(
    *, pref: NotificationPreference, period: str, now: datetime.datetime, run: DigestRun
) -> None:
    user = pref.user
    previous = pref.last_digest_at
    with transaction.atomic():
        claimed = (
            NotificationPreference.objects.filter(pk=pref.pk)
            .filter(digest_due_q(period=period, now=now))
            .update(last_digest_at=now)
        )
        if not claimed:
            return  # another run has it
        Notification.objects.filter(
            recipient=user, emailed_at__isnull=True, created_at__lte=now
        ).update(emailed_at=now)
    muted = set(pref.muted or [])
    notifications = [
        n
        for n in Notification.objects.filter(
            recipient=user, emailed_at=now, read_at__isnull=True
        ).order_by("-created_at", "-pk")
        if n.family not in muted
    ]
    if not notifications:
        run.empty += 1
        return
    try:
        digest_message(user=user, notifications=notifications).send(using="default")
    except Exception:
        logger.exception("Digest for user %s failed; its notifications stay unsent", user.pk)
        with transaction.atomic():
            Notification.objects.filter(recipient=user, emailed_at=now).update(emailed_at=None)
            NotificationPreference.objects.filter(pk=pref.pk, last_digest_at=now).update(
                last_digest_at=previous
            )
        run.failed += 1
        return
    run.sent += 1
