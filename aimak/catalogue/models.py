"""The catalogue of municipal services and who provides each in each municipality."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Service(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    slug = models.SlugField(_("identifier"), max_length=40, unique=True)
    # Translated by django-modeltranslation into *_ky, *_ru, *_en.
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in the catalogue"), default=True)

    objects = models.Manager()

    # History is registered in translation.py, after the translated fields exist.

    class Meta:
        verbose_name = _("municipal service")
        verbose_name_plural = _("municipal services")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.name


class ProviderType(models.TextChoices):
    LSG = "lsg", _("The local self-government body itself")
    MUNICIPAL_ENTERPRISE = "municipal_enterprise", _("A municipal enterprise")
    PRIVATE = "private", _("A private provider")
    COMMUNITY = "community", _("A community organisation (e.g. drinking-water users' union)")
    STATE = "state", _("A state body")


class ServiceProvision(models.Model):
    """Who provides a service in a municipality. Ended, never deleted."""

    municipality = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="provisions",
        verbose_name=_("municipality"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="provisions", verbose_name=_("service")
    )
    provider_type = models.CharField(_("provided by"), max_length=30, choices=ProviderType.choices)
    provider_name = models.CharField(_("provider's name"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service provision")
        verbose_name_plural = _("service provisions")
        ordering = ["service__order", "service__slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "service"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_provider_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_provider_type_display()}"
