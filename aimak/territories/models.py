"""The national territorial registry: every SOATE unit, with its history."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    OBLAST = "oblast", _("Region (oblast)")
    CITY = "city", _("City or town")
    RAYON = "rayon", _("District (rayon)")
    AIMAK = "aimak", _("Ayil aimak")
    VILLAGE = "village", _("Village")


class Kind(models.TextChoices):
    OBLAST = "oblast", _("Region")
    CITY_REPUBLICAN = "city_republican", _("City of republican status")
    CITY_OBLAST = "city_oblast", _("City of regional status")
    CITY_RAYON = "city_rayon", _("Town of district status")
    CITY_DISTRICT = "city_district", _("City district")
    RAYON = "rayon", _("District")
    AYIL_AIMAK = "ayil_aimak", _("Ayil aimak")
    VILLAGE = "village", _("Village")
    PGT = "pgt", _("Urban-type settlement")
    VILLAGE_IN_TOWN = "village_in_town", _("Village within a town")
    SETTLEMENT_OF_REPUBLICAN_CITY = (
        "settlement_of_republican_city",
        _("Settlement of a city of republican status"),
    )


# Levels whose units are municipalities (local self-government bodies own data there).
MUNICIPAL_LEVELS = (Level.AIMAK, Level.CITY)


class Territory(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    code = models.CharField(_("SOATE code"), max_length=14, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Translated by django-modeltranslation into name_ky, name_ru, name_en.
    name = models.CharField(_("name"), max_length=200)
    name_en_derived = models.BooleanField(
        _("English name transliterated"),
        default=False,
        help_text=_("The English name was derived by transliteration, not taken from a source."),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    # Every name, folded to a Latin skeleton (see transliteration.py), joined by "|".
    search_key = models.TextField(editable=False, default="")

    objects = models.Manager()

    # History is registered in translation.py, after the translated fields exist.

    class Meta:
        verbose_name = _("territorial unit")
        verbose_name_plural = _("territorial units")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_municipality(self) -> bool:
        return self.level in MUNICIPAL_LEVELS

    def is_valid_on(self, day: datetime.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)

    @property
    def is_ended(self) -> bool:
        return self.valid_to is not None


class TerritoryLoad(models.Model):
    """One run of `load_territories`: which file, by whom, what it changed."""

    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(_("checksum"), max_length=64)
    label = models.CharField(_("label"), max_length=200, blank=True)
    created = models.PositiveIntegerField(_("units added"), default=0)
    updated = models.PositiveIntegerField(_("units changed"), default=0)
    unchanged = models.PositiveIntegerField(_("units unchanged"), default=0)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("loaded by"),
    )

    class Meta:
        verbose_name = _("registry load")
        verbose_name_plural = _("registry loads")
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.file_name} @ {self.loaded_at:%Y-%m-%d %H:%M}"


class TerritoryChange(models.Model):
    """A field of a unit that a load changed, with its value before and after."""

    load = models.ForeignKey(TerritoryLoad, on_delete=models.CASCADE, related_name="changes")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)

    class Meta:
        verbose_name = _("registry change")
        verbose_name_plural = _("registry changes")
        ordering = ["-load__loaded_at", "territory__code", "field"]

    def __str__(self) -> str:
        return f"{self.territory.code}.{self.field}"
