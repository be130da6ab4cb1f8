"""Notifications: one row per recipient, rendered in the reader's language when shown."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Notification(models.Model):
    """Something a user should know about.

    `message` is an English msgid (marked with `gettext_noop` where it is written) with
    `%(name)s` placeholders filled from `params`; it is translated when it is shown or
    e-mailed, in the reader's language, so a notification is never frozen in the language
    of whoever caused it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    message = models.CharField(_("message"), max_length=500)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["emailed_at", "recipient"]),
        ]

    def __str__(self) -> str:
        return self.text()

    def text(self) -> str:
        """The message in the active language, its placeholders filled."""
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):
            return gettext(self.message)

    @property
    def family(self) -> str:
        return kind_family(self.kind)

    @property
    def family_label(self) -> str:
        return family_label(self.family)

    def link(self, language: str) -> str:
        """The link in the reader's language: a local path written as /ru/… while someone
        else's request was in Russian is given the reader's language prefix instead."""
        return localized_path(self.url, language)


def localized_path(url: str, language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    parts = url.split("/", 2)
    if url.startswith("/") and len(parts) == 3 and parts[1] in codes:
        return f"/{language}/{parts[2]}"
    return url


# Kind families: the part of a kind before the first dot ("plans.overdue" → "plans").
# Users may leave a family out of their e-mails; a new app adds its family here.
FAMILIES: tuple[tuple[str, Any], ...] = (
    ("plans", _("Action plans")),
    ("events", _("Events")),
    ("council", _("Council resolutions")),
    ("inclusion", _("Gender and inclusion")),
    ("surveys", _("Report cards")),
    ("news", _("News")),
    ("practices", _("Best practices")),
    ("questions", _("Questions and consultations")),
    ("contests", _("Contests")),
    ("learning", _("Learning")),
    ("mentoring", _("Mentoring")),
    ("communities", _("Communities of practice")),
)
FAMILY_LABELS = dict(FAMILIES)


def kind_family(kind: str) -> str:
    return kind.split(".", 1)[0]


def family_label(family: str) -> str:
    return str(FAMILY_LABELS.get(family, _("Other")))


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class NotificationPreference(models.Model):
    """How one user wants to hear about notifications; made on first save or first digest.

    A user without a row has the defaults: a daily digest, nothing left out.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest = models.CharField(
        _("e-mail digest"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"),
        default=0,
        help_text=_("For a weekly digest: 0 is Monday, 6 is Sunday."),
    )
    muted = models.JSONField(
        _("left out of e-mails"),
        default=list,
        blank=True,
        help_text=_("Kind families (plans, events, …) never e-mailed; still listed in Aimak."),
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["last_digest_at", "updated_at"])

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__lte=6), name="notification_pref_weekday_0_6"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.digest}"


class Subscription(models.Model):
    """A user follows an object of any app (a recommendation, an event, a thread …).

    Apps notify followers with `selectors.subscribers_of(target)`; the link is generic so
    that notifications imports no other app.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="subscription_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"
