"""Questions and consultations with a first response due within 24 hours.

A registered user asks (theme, municipality, public or private); a routing rule by theme or
the content administrator routes the question to an expert of the directory or to a state
body; the first published answer stops the clock. `due_at` is fixed when the question is
asked (`asked_at + FIRST_RESPONSE`), `first_response_at` is written by the answering service
in the same transaction as the answer, so the monthly share and the breaches are plain
comparisons of two stored columns.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The first response is due this long after the question is asked (calendar hours);
# settings.QUESTIONS_FIRST_RESPONSE_HOURS, 24 by default (seed 004).
FIRST_RESPONSE = datetime.timedelta(hours=settings.QUESTIONS_FIRST_RESPONSE_HOURS)
# Reminders go out when this little time is left.
REMIND_BEFORE = datetime.timedelta(hours=4)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: the question and its answers are published")
    PRIVATE = "private", _("Private: only I see the question and the answers")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ROUTED = "routed", _("Routed")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Language(models.TextChoices):
    KY = "ky", "Кыргызча"
    RU = "ru", "Русский"
    EN = "en", "English"


OPEN_STATUSES = (Status.NEW, Status.ROUTED)


class RoutingRule(models.Model):
    """Questions on `theme` go to an expert or a state body as soon as they are asked."""

    theme = models.ForeignKey(
        "practices.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    expert = models.ForeignKey(
        "practices.Expert",
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.ForeignKey(
        "legal.IssuingBody",
        verbose_name=_("state body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = models.Manager()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["theme__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expert__isnull=False, body__isnull=True)
                | models.Q(expert__isnull=True, body__isnull=False),
                name="questions_rule_one_target",
            ),
            models.UniqueConstraint(
                fields=["theme"],
                condition=models.Q(active=True),
                name="questions_rule_one_active_per_theme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme} → {self.expert or self.body}"

    @property
    def target(self) -> object:
        return self.expert or self.body


class Question(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    theme = models.ForeignKey(
        "practices.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("question"), max_length=300)
    # Sanitised HTML (practices.services.clean_rich_text), never raw input.
    body = models.TextField(_("details"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("first response due"), db_index=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    routed_to_expert = models.ForeignKey(
        "practices.Expert",
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    routed_to_body = models.ForeignKey(
        "legal.IssuingBody",
        verbose_name=_("state body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("routed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    routed_by_rule = models.ForeignKey(
        RoutingRule,
        verbose_name=_("routing rule"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    routed_at = models.DateTimeField(_("routed"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Folded lower-case title, details and published answers (services.question_index).
    search_text = models.TextField(editable=False, default="")

    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = models.Manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["visibility", "status", "first_response_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="questions_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_open(self) -> bool:
        return self.first_response_at is None and self.status in OPEN_STATUSES

    @property
    def routed_to(self) -> object:
        return self.routed_to_expert or self.routed_to_body


class Answer(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    expert = models.ForeignKey(
        "practices.Expert",
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    # A state body's answer, entered by the content administrator on its behalf.
    body_of = models.ForeignKey(
        "legal.IssuingBody",
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.TextField(_("answer"))  # sanitised HTML
    published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    history = HistoricalRecords()

    objects = models.Manager()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class AnswerTemplate(models.Model):
    """A ready text the administrator or an expert picks to prefill an answer (ky/ru/en)."""

    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        body_ky: str | None
        body_ru: str | None
        body_en: str | None

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    theme = models.ForeignKey(
        "practices.Theme",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Four hours or less left")
    BREACHED = "breached", _("The 24 hours have run out")


class Reminder(models.Model):
    """One reminder sent about one question; the unique pair keeps it from going twice."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["question", "kind"], name="questions_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.kind}"
