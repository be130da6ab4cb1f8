"""The population of a municipality by sex and age group, which weights its rounds.

Staff enter it from the census or the local register (the national registry holds totals
only). Its sexes and age groups are the choices of the standard report card's `sex` and
`age_group` lists, so that interviews and population cells match by name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aimak.surveys.standard import COMMON_LISTS


def _choices(list_name: str) -> list[tuple[str, dict[str, str]]]:
    choice_list = next(cl for cl in COMMON_LISTS if cl.name == list_name)
    return [
        (c.name, {"ky": c.label.ky, "ru": c.label.ru, "en": c.label.en})
        for c in choice_list.choices
    ]


# Men first, as population tables are usually printed; names as the questionnaire has them.
SEXES: list[tuple[str, dict[str, str]]] = sorted(_choices("sex"), key=lambda c: c[0] != "male")
AGE_GROUPS: list[tuple[str, dict[str, str]]] = _choices("age_group")
SEX_NAMES = tuple(name for name, _labels in SEXES)
AGE_NAMES = tuple(name for name, _labels in AGE_GROUPS)


class PopulationStructure(models.Model):
    """Persons by sex × age group (the grown-up population the survey samples) in one
    municipality and year; `cells` = {sex: {age group: persons}}."""

    municipality = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="population_structures",
        verbose_name=_("municipality"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=200)
    cells = models.JSONField(_("persons by sex and age group"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("population structure")
        verbose_name_plural = _("population structures")
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="population_structure_once_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}"

    def persons(self, sex: str, age_group: str) -> int:
        return int((self.cells or {}).get(sex, {}).get(age_group, 0))

    @property
    def total(self) -> int:
        return sum(self.persons(s, a) for s in SEX_NAMES for a in AGE_NAMES)
