"""Local council (айылдык кеңеш) resolutions, the decisions they contain and links to the
objects they concern (report-card rounds, recommendations, budgets, events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DecisionKind(models.TextChoices):
    INSTITUTIONALISE_CRC = "institutionalise_crc", _("Institutionalise citizen report cards")
    GENDER_POLICY = "gender_policy", _("Adopt a gender- and socially-sensitive service policy")
    APPROVE_PROGRAMME = "approve_programme", _("Approve a programme")
    TARIFF = "tariff", _("Tariff")
    BUDGET = "budget", _("Budget")
    OTHER = "other", _("Other")


def resolution_upload_to(instance: Resolution, filename: str) -> str:
    return f"council/{instance.municipality_id}/{filename}"


class Resolution(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        title_ky: str | None
        title_ru: str | None
        title_en: str | None

    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="council_resolutions",
    )
    # A stable key for resolutions made by code (the demo), blank otherwise.
    key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"), db_index=True)
    # Translated by django-modeltranslation into title_ky, title_ru, title_en.
    title = models.CharField(_("title"), max_length=500)
    document = models.FileField(
        _("document"), upload_to=resolution_upload_to, blank=True, max_length=300
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("session or hearing"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolutions",
    )
    in_force = models.BooleanField(_("in force"), default=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    repealed_by = models.ForeignKey(
        "self",
        verbose_name=_("repealed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("council resolution")
        verbose_name_plural = _("council resolutions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["municipality", "date"])]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.date:%d.%m.%Y}) {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("council:detail", args=[self.pk])


class Decision(models.Model):
    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DecisionKind.choices, db_index=True)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()
    objects = models.Manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["resolution", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ResolutionLink(models.Model):
    """A resolution concerns some object of another app (generic, no import of that app)."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("resolution link")
        verbose_name_plural = _("resolution links")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "content_type", "object_id"],
                name="council_link_unique",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.resolution} → {self.content_type.model} {self.object_id}"
