"""Audience monitoring: short feedback surveys for portal users, answered per audience
category of seed 004 (satisfaction, needs, comments).

A response keeps the submitted answers as one JSON document (what the user sent, checked
against the questions) and, for the figures, one `FeedbackAnswer` row per rating, chosen
option or text, so the dashboard counts and averages in SQL without reading documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aimak.accounts.models import AudienceCategory

RATING_MIN = 1
RATING_MAX = 5


class FeedbackSurvey(models.Model):
    """A short survey of portal users, open over a period to everyone or to chosen
    audience categories."""

    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        intro_ky: str | None
        intro_ru: str | None
        intro_en: str | None

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"), null=True, blank=True)
    for_all = models.BooleanField(_("for every audience category"), default=True)
    # AudienceCategory values, when not for all; stored as a JSON list ["lsg", "state"].
    categories = models.JSONField(_("audience categories"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("feedback survey")
        verbose_name_plural = _("feedback surveys")
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audience:survey", args=[self.pk])

    def is_open(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return bool(
            self.active
            and self.opens_on <= day  # type: ignore[operator]
            and (self.closes_on is None or day <= self.closes_on)  # type: ignore[operator]
        )

    def is_for(self, category: str) -> bool:
        return self.for_all or category in (self.categories or [])

    def category_labels(self) -> list[str]:
        labels = dict(AudienceCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories or []]


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    CHOICE = "choice", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Text")


class QuestionRole(models.TextChoices):
    """What a question measures on the dashboard."""

    SATISFACTION = "satisfaction", _("Overall satisfaction")
    NEEDS = "needs", _("Needs")
    OTHER = "other", _("Other")


class FeedbackQuestion(models.Model):
    if TYPE_CHECKING:
        label_ky: str | None
        label_ru: str | None
        label_en: str | None

    survey = models.ForeignKey(
        FeedbackSurvey,
        verbose_name=_("survey"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    role = models.CharField(
        _("measures"), max_length=12, choices=QuestionRole.choices, default=QuestionRole.OTHER
    )
    label = models.CharField(_("question"), max_length=300)
    # [{"key": "trainings", "ky": "…", "ru": "…", "en": "…"}, …] for choice questions.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("answer required"), default=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    def choice_keys(self) -> list[str]:
        return [c["key"] for c in self.choices or []]

    def choice_label(self, key: str, language: str | None = None) -> str:
        from django.utils.translation import get_language

        language = language or get_language() or "ru"
        for choice in self.choices or []:
            if choice["key"] == key:
                return choice.get(language) or choice.get("ru") or choice.get("ky") or key
        return key


class FeedbackResponse(models.Model):
    """One user's answers to one survey (one per user and survey)."""

    survey = models.ForeignKey(
        FeedbackSurvey,
        verbose_name=_("survey"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_responses",
    )
    # The user's audience category when they answered (a later change of profile does
    # not move old answers to another category).
    category = models.CharField(
        _("audience category"), max_length=20, choices=AudienceCategory.choices, db_index=True
    )
    language = models.CharField(_("language"), max_length=2, blank=True)
    answers = models.JSONField(_("answers"), default=dict)
    created_at = models.DateTimeField(_("answered"), default=timezone.now, db_index=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"], name="audience_one_response_per_user_and_survey"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.user_id}"


class FeedbackAnswer(models.Model):
    """One answer of a response, for counting: a rating, one chosen option (several rows
    for a multiple choice), or a text."""

    response = models.ForeignKey(
        FeedbackResponse, on_delete=models.CASCADE, related_name="answer_rows"
    )
    question = models.ForeignKey(
        FeedbackQuestion, on_delete=models.PROTECT, related_name="answer_rows"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.CharField(max_length=60, blank=True, db_index=True)
    text = models.TextField(blank=True)

    objects = models.Manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.choice or self.text[:20]}"
