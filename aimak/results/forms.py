"""The population-structure form: year, source, and persons in each sex × age group."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .compute import pick
from .models import AGE_GROUPS, SEXES
from .services import MAX_PERSONS, MAX_YEAR, MIN_YEAR


def cell_field(sex: str, age: str) -> str:
    return f"persons_{sex}_{age}"


class PopulationStructureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("For example: National Statistical Committee, census 2022."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for sex, sex_labels in SEXES:
            for age, age_labels in AGE_GROUPS:
                self.fields[cell_field(sex, age)] = forms.IntegerField(
                    label=f"{pick(sex_labels)}, {pick(age_labels)}",
                    min_value=0,
                    max_value=MAX_PERSONS,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 7}),
                )

    def header(self) -> list[str]:
        return [pick(labels) for _sex, labels in SEXES]

    def grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Rows of the table: an age group and its field for each sex."""
        return [
            (pick(age_labels), [self[cell_field(sex, age)] for sex, _labels in SEXES])
            for age, age_labels in AGE_GROUPS
        ]

    def cells(self) -> dict[str, dict[str, int]]:
        data = self.cleaned_data
        return {
            sex: {age: data[cell_field(sex, age)] for age, _a in AGE_GROUPS} for sex, _s in SEXES
        }

    @staticmethod
    def initial_from(structure: Any) -> dict[str, Any]:
        if structure is None:
            return {}
        initial: dict[str, Any] = {"year": structure.year, "source": structure.source}
        for sex, _s in SEXES:
            for age, _a in AGE_GROUPS:
                initial[cell_field(sex, age)] = structure.persons(sex, age)
        return initial
