"""Reads of the results app: population structures, and a round's results (cached).

A round's results are computed from all its interviews at once (frame.py, compute.py) and
kept in Django's cache under the round, its count of interviews, its highest interview id,
the population structure used (id and time of its last change) and the breakdowns asked
for. A new interview or a corrected population changes the key, so a stale result is never
read; repeated reads by dashboards, reports and the API cost two small queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from aimak.surveys.models import Interview, Round, RoundStatus
from aimak.surveys.selectors import round_visible
from aimak.surveys.standard import SERVICES
from aimak.territories.models import Territory

from .compute import (
    DIMENSIONS,
    FormSpec,
    RoundResults,
    SectionChange,
    Structure,
    analyse,
    change,
    check_breakdown,
    form_spec,
    weighting,
)
from .frame import frame_columns, round_frame
from .models import AGE_NAMES, SEX_NAMES, PopulationStructure

PUBLIC_MIN_CELL = 5  # public readers never see a cell of fewer respondents
ENGINE_VERSION = 1  # bump when a change to the computation must invalidate cached results
CACHE_SECONDS = 7 * 24 * 3600
SERVICE_NAMES = {
    spec.prefix: (spec.slug, {"ky": spec.name[0], "ru": spec.name[1], "en": spec.name[2]})
    for spec in SERVICES
}


def population_structure_latest(*, municipality: Territory | int) -> PopulationStructure | None:
    """The structure of the latest year entered for the municipality, which weights its rounds."""
    pk = getattr(municipality, "pk", municipality)
    return (
        PopulationStructure.objects.filter(municipality_id=pk)
        .order_by("-year", "-updated_at")
        .first()
    )


def population_structure_list(*, municipality: Territory) -> QuerySet[PopulationStructure]:
    return PopulationStructure.objects.filter(municipality=municipality).select_related(
        "updated_by"
    )


def results_visible(*, user: Any) -> QuerySet[Round]:
    """Rounds whose results `user` may read (pairs with results.view_results)."""
    visible = round_visible(user=user).values("pk")
    return Round.objects.filter(Q(status=RoundStatus.PUBLISHED) | Q(pk__in=visible))


def round_spec(*, round: Round) -> FormSpec:
    return form_spec(round.version.form, SERVICE_NAMES)


def available_dimensions(*, round: Round) -> list[str]:
    spec = round_spec(round=round)
    return [d for d in DIMENSIONS if spec.has(d)]


def _structure(structure: PopulationStructure | None) -> Structure | None:
    if structure is None:
        return None
    return Structure(
        year=structure.year,
        source=structure.source,
        cells=structure.cells,
        sexes=SEX_NAMES,
        age_groups=AGE_NAMES,
    )


def _key(round: Round, structure: PopulationStructure | None, breakdowns: Sequence[tuple]) -> str:
    counts = Interview.objects.filter(round=round).aggregate(n=Count("pk"), last=Max("pk"))
    stamp = f"{structure.pk}@{structure.updated_at.timestamp()}" if structure else "none"
    asked = ";".join(",".join(b) for b in breakdowns)
    return (
        f"results:v{ENGINE_VERSION}:{round.pk}:{round.version_id}:{counts['n']}:"
        f"{counts['last'] or 0}:{stamp}:{asked}"
    )


def round_results(*, round: Round, breakdowns: Sequence[Sequence[str]] = ()) -> RoundResults:
    """Everyone's results and those of every group of each breakdown (a tuple of one or
    two dimensions). Raises ValidationError for a dimension the form does not have."""
    spec = round_spec(round=round)
    asked: list[tuple[str, ...]] = [()]
    for b in breakdowns:
        try:
            checked = check_breakdown(spec, b)
        except ValueError as exc:
            raise ValidationError(
                _("Cannot break results down by “%(by)s”: choose one or two of %(dims)s.")
                % {
                    "by": ",".join(b),
                    "dims": ", ".join(d for d in DIMENSIONS if spec.has(d)),
                }
            ) from exc
        if checked not in asked:
            asked.append(checked)
    structure = population_structure_latest(municipality=round.municipality_id)
    key = _key(round, structure, asked)
    cached = cache.get(key)
    if cached is None:
        frame = round_frame(round, frame_columns(round.version.form))
        weights, info = weighting(frame, spec, _structure(structure))
        sections = analyse(frame, spec, weights=weights, breakdowns=asked)
        cached = RoundResults(
            round_id=round.pk,
            municipality=round.municipality.code,
            status=round.status,
            interviews=frame.n,
            breakdowns=tuple(asked),
            weighting=info,
            sections=sections,
        )
        cache.set(key, cached, CACHE_SECONDS)
    return replace(cached, status=round.status)


def single_breakdowns(*, round: Round) -> list[tuple[str, ...]]:
    """Each dimension the round's form has, on its own (what open data publishes)."""
    return [(d,) for d in available_dimensions(round=round)]


def round_change(*, round: Round, previous: Round) -> list[SectionChange]:
    """From `previous` to `round`, both of the same municipality (see compute.change)."""
    if previous.municipality_id != round.municipality_id:
        raise ValidationError(_("Rounds of different municipalities cannot be compared."))
    if previous.pk == round.pk:
        raise ValidationError(_("Choose another round to compare with."))
    before = round_results(round=previous)
    after = round_results(round=round)
    return change(before.sections, after.sections)


def results_min_cell(*, user: Any, round: Round, asked: int | None = None) -> int:
    """The smallest base whose figures `user` sees: public readers never fewer than
    PUBLIC_MIN_CELL respondents (they may ask for more); the round's managers and assigned
    people see the same by default and may ask for any threshold, 0 showing every cell.
    The API, the dashboards and reports all apply it."""
    if user.has_perm("surveys.view_round", round):
        return PUBLIC_MIN_CELL if asked is None else asked
    return max(PUBLIC_MIN_CELL, asked or 0)


def municipality_results_rounds(*, user: Any, municipality: Territory | int) -> QuerySet[Round]:
    """A municipality's rounds whose results `user` may read, oldest first (trends, change)."""
    pk = getattr(municipality, "pk", municipality)
    return (
        results_visible(user=user)
        .filter(municipality_id=pk)
        .select_related("municipality", "version")
        .order_by("start_date", "pk")
    )


def published_rounds(*, municipality: Territory | int) -> QuerySet[Round]:
    """A municipality's published rounds, newest first (its public page lists them)."""
    pk = getattr(municipality, "pk", municipality)
    return Round.objects.filter(municipality_id=pk, status=RoundStatus.PUBLISHED).order_by(
        "-start_date", "-pk"
    )


def comparable_rounds(*, user: Any) -> list[Round]:
    """The latest published round of each municipality, by municipality name, for users who
    may compare municipalities (pairs with results.compare); none for anyone else."""
    if not user.has_perm("results.compare"):
        return []
    latest: dict[int, Round] = {}
    rounds = (
        Round.objects.filter(status=RoundStatus.PUBLISHED)
        .select_related("municipality", "version")
        .order_by("municipality_id", "-start_date", "-pk")
    )
    for r in rounds:
        latest.setdefault(r.municipality_id, r)
    return sorted(latest.values(), key=lambda r: (r.municipality.name, r.municipality.code))
