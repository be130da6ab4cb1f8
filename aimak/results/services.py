"""Writes of the results app: the population structure that weights a municipality's rounds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aimak.core.cache import public_content_changed
from aimak.territories.models import Territory

from .models import AGE_NAMES, SEX_NAMES, PopulationStructure

MIN_YEAR = 1990
MAX_YEAR = 2100
MAX_PERSONS = 10_000_000


def _clean_cells(cells: Any) -> dict[str, dict[str, int]]:
    """Every sex × age group present, whole numbers of persons ≥ 0, some people in all."""
    errors: list[str] = []
    if not isinstance(cells, dict):
        raise ValidationError(_("Give persons by sex and age group."))
    unknown = sorted(set(cells) - set(SEX_NAMES))
    if unknown:
        errors.append(_("Unknown sex: %(names)s.") % {"names": ", ".join(map(str, unknown))})
    clean: dict[str, dict[str, int]] = {}
    for sex in SEX_NAMES:
        row = cells.get(sex)
        if not isinstance(row, dict):
            errors.append(_("Persons of sex “%(sex)s” are missing.") % {"sex": sex})
            continue
        extra = sorted(set(row) - set(AGE_NAMES))
        if extra:
            errors.append(
                _("Unknown age group: %(names)s.") % {"names": ", ".join(map(str, extra))}
            )
        clean[sex] = {}
        for age in AGE_NAMES:
            value = row.get(age)
            if isinstance(value, bool) or not isinstance(value, int):
                errors.append(
                    _("Persons of sex “%(sex)s”, age group “%(age)s”: a whole number is needed.")
                    % {"sex": sex, "age": age}
                )
            elif not 0 <= value <= MAX_PERSONS:
                errors.append(
                    _(
                        "Persons of sex “%(sex)s”, age group “%(age)s”: "
                        "give a number from 0 to %(max)s."
                    )
                    % {"sex": sex, "age": age, "max": MAX_PERSONS}
                )
            else:
                clean[sex][age] = value
    if not errors and sum(v for row in clean.values() for v in row.values()) == 0:
        errors.append(_("The population cannot be zero in every group."))
    if errors:
        raise ValidationError(errors)
    return clean


def population_structure_set(
    *,
    municipality: Territory,
    year: int,
    source: str,
    cells: dict[str, dict[str, int]],
    user: Any,
) -> PopulationStructure:
    """Enter (or correct) a municipality's population by sex and age group for one year.
    History keeps every earlier figure; the latest year weights the municipality's rounds."""
    errors: list[str] = []
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        errors.append(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
        )
    source = (source or "").strip()
    if not source:
        errors.append(_("Say where the figures come from (the source)."))
    elif len(source) > 200:
        errors.append(_("The source is longer than 200 characters."))
    try:
        clean = _clean_cells(cells)
    except ValidationError as exc:
        errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    person = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        structure = (
            PopulationStructure.objects.select_for_update()
            .filter(municipality=municipality, year=year)
            .first()
        )
        if structure is None:
            structure = PopulationStructure(municipality=municipality, year=year, created_by=person)
        structure.source = source
        structure.cells = clean
        structure.updated_by = person
        structure.save()
        public_content_changed()  # published results pages are cached for the public
    return structure
