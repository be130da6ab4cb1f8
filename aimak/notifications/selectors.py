"""Reading notifications, preferences and subscriptions."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from .models import DigestFrequency, Notification, NotificationPreference, Subscription

# The header shows at most "99+": counting stops there, so the count stays cheap.
UNREAD_CAP = 100


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's notifications, unread first, newest first within each."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.alias(
        unread_first=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
    ).order_by("unread_first", "-created_at", "-pk")


def unread_count(*, user: Any, cap: int = UNREAD_CAP) -> int:
    """Unread notifications of a user, counted up to `cap` (one query, on the index)."""
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True).values("pk")[:cap].count()
    )


def preference_for(*, user: Any) -> NotificationPreference:
    """The user's preference, or the defaults (unsaved) when the user never chose."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref if pref is not None else NotificationPreference(user=user)


def _target_key(target: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(target), str(target.pk)


def subscribers_of(target: models.Model) -> QuerySet[Any]:
    """The active users who follow `target`; pass them to `notify(recipients=...)`.

    The caller still decides who may see what it notifies about: filter this queryset
    the way its own permission selectors do when the object is not public.
    """
    content_type, object_id = _target_key(target)
    return get_user_model().objects.filter(
        is_active=True,
        subscriptions__content_type=content_type,
        subscriptions__object_id=object_id,
    )


def is_subscribed(*, user: Any, target: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    content_type, object_id = _target_key(target)
    return Subscription.objects.filter(
        user=user, content_type=content_type, object_id=object_id
    ).exists()


def subscription_list(*, user: Any) -> QuerySet[Subscription]:
    """What the user follows, newest first, each `target` fetched (one query per kind)."""
    return (
        Subscription.objects.filter(user=user)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("-created_at", "-pk")
    )


def day_start(now: datetime.datetime) -> datetime.datetime:
    """Midnight of `now`'s day in the site's time zone (Asia/Bishkek)."""
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def digest_due_q(*, period: str, now: datetime.datetime) -> Q:
    """Preferences whose digest of `period` is due at `now`: at most one digest a day,
    weekly ones only on the chosen day of the week."""
    q = Q(digest=period) & (Q(last_digest_at__isnull=True) | Q(last_digest_at__lt=day_start(now)))
    if period == DigestFrequency.WEEKLY:
        q &= Q(weekday=timezone.localtime(now).weekday())
    return q


def users_pending_without_preference(*, now: datetime.datetime) -> QuerySet[Any]:
    """Users with an e-mail and unsent notifications who never saved a preference."""
    return (
        get_user_model()
        .objects.filter(is_active=True, notification_preference__isnull=True)
        .exclude(email="")
        .filter(
            Exists(
                Notification.objects.filter(
                    recipient=OuterRef("pk"), emailed_at__isnull=True, created_at__lte=now
                )
            )
        )
    )


def digest_due(*, period: str, now: datetime.datetime) -> QuerySet[NotificationPreference]:
    """Preferences of users due a digest: with an e-mail, active, something unsent."""
    return (
        NotificationPreference.objects.filter(digest_due_q(period=period, now=now))
        .filter(user__is_active=True)
        .exclude(user__email="")
        .filter(
            Exists(
                Notification.objects.filter(
                    recipient=OuterRef("user_id"), emailed_at__isnull=True, created_at__lte=now
                )
            )
        )
        .select_related("user")
        .order_by("pk")
    )
