"""Demo data for aimak.notifications (all marked as demo)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_noop

from aimak.accounts.models import User
from aimak.notifications.models import DigestFrequency, Notification, NotificationPreference
from aimak.notifications.services import notification_mark_read, notify, preference_set
from aimak.territories.models import Territory

# The same messages as the apps that send these kinds (plans.services, events.services),
# so the demo shows what users will see.
MSG_OVERDUE = gettext_noop(
    "Overdue: “%(action)s” (%(municipality)s) was due on %(deadline)s and is still open."
)
MSG_REMINDER = gettext_noop("Reminder: “%(event)s” is tomorrow, %(when)s, at %(place)s.")


def _demo_link(label: str, url_name: str, fallback: str, **filters: Any) -> str:
    """A link to the first demo object of another app, or to its list page."""
    try:
        model = apps.get_model(label)
        obj = model._default_manager.filter(**filters).order_by("pk").first()
        if obj is not None:
            return reverse(url_name, args=[obj.pk])
    except (LookupError, NoReverseMatch, ValueError, TypeError):
        pass
    try:
        return reverse(fallback)
    except NoReverseMatch:
        return ""


def seed_notifications(municipality: Territory) -> None:
    """Add the demo's notifications data; idempotent (a second seed changes nothing)."""
    staff = User.objects.filter(username="demo-staff").first()
    monitor = User.objects.filter(username="demo-monitor").first()
    if staff is None or monitor is None:
        return
    place = municipality.name_ky or municipality.name
    plan_url = _demo_link(
        "plans.Recommendation", "plans:recommendation", "core:home", municipality=municipality
    )
    event_url = _demo_link(
        "events.Event", "events:detail", "core:home", municipalities=municipality
    )
    overdue = {
        "action": "Борбордук көчөдөгү суу түтүгүн алмаштыруу (демо)",
        "municipality": place,
        "deadline": "2026-10-01",
    }
    overdue_old = {
        "action": "Таштанды контейнерлерин орнотуу (демо)",
        "municipality": place,
        "deadline": "2026-09-15",
    }
    reminder = {
        "event": "Бюджет боюнча коомдук угуу / Публичные слушания по бюджету (демо)",
        "when": "10:00",
        "place": "Айыл өкмөтүнүн чоң залы (демо)",
    }
    items = [
        (staff, "staff-overdue", "plans.overdue", MSG_OVERDUE, overdue, plan_url, False),
        (staff, "staff-overdue-old", "plans.overdue", MSG_OVERDUE, overdue_old, plan_url, True),
        (staff, "staff-reminder", "events.reminder", MSG_REMINDER, reminder, event_url, False),
        (monitor, "monitor-overdue", "plans.overdue", MSG_OVERDUE, overdue, plan_url, False),
        (monitor, "monitor-reminder", "events.reminder", MSG_REMINDER, reminder, event_url, False),
    ]
    with transaction.atomic():
        for user, key, kind, message, params, url, read in items:
            if Notification.objects.filter(recipient=user, params__demo_key=key).exists():
                continue
            notify(
                recipients=[user],
                kind=kind,
                message=message,
                params={**params, "demo": "DEMO", "demo_key": key},
                url=url,
            )
            if read:
                created = Notification.objects.get(recipient=user, params__demo_key=key)
                notification_mark_read(user=user, pk=created.pk)
        for user, digest in ((staff, DigestFrequency.DAILY), (monitor, DigestFrequency.WEEKLY)):
            if not NotificationPreference.objects.filter(user=user).exists():
                preference_set(user=user, digest=digest, weekday=0)
