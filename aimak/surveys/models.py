"""Questionnaires and their versions. A version's form is one JSON document (definition.py).

A questionnaire belongs to a municipality; a national template has none. Its versions are
numbered 1, 2, …; at most one is a draft at a time. A published version is frozen: no
service changes it (services.py), so answers can point to it and to its question names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .definition import Definition, definition_load


class Questionnaire(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        title_ky: str | None
        title_ru: str | None
        title_en: str | None

    municipality = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("municipality"),
        help_text=_("Empty for a national template."),
    )
    # A stable identifier for what Aimak itself creates (templates, demo), else empty.
    key = models.CharField(_("identifier"), max_length=80, blank=True, default="")
    # Translated by django-modeltranslation into *_ky, *_ru, *_en.
    title = models.CharField(_("title"), max_length=200)
    services = models.ManyToManyField(
        "catalogue.Service", blank=True, related_name="questionnaires", verbose_name=_("services")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = models.Manager()

    # History is registered in translation.py, after the translated fields exist.

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="questionnaire_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_template(self) -> bool:
        return self.municipality_id is None


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("questionnaire"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField(_("form definition"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=models.Q(status="draft"),
                name="one_draft_per_questionnaire",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def form(self) -> Definition:
        """The definition, parsed (cached on the instance)."""
        cached = getattr(self, "_form", None)
        if cached is None:
            cached = definition_load(self.definition)
            self._form = cached
        return cached
