"""Every write to report-card rounds and their sample plans.

A round moves only forward (planning → collecting → closed → published), one step at a
time, each step recorded with who and when. Only people holding the monitoring-group or
enumerator role in the round's municipality may be assigned to it. A plan's allocation is
computed from the village figures and cleared whenever an input changes, so what the page
shows always follows from what it states.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aimak.accounts.models import Role, User
from aimak.catalogue.models import Service
from aimak.core.cache import public_content_changed
from aimak.territories.models import Territory

from .models import (
    NEXT_STATUS,
    PlanVillage,
    PopulationUnit,
    QuestionnaireVersion,
    Round,
    RoundMember,
    RoundStatus,
    RoundTransition,
    RouteAssignment,
    SamplePlan,
    VersionStatus,
)
from .sampling import CONFIDENCE_LEVELS, frame_size, largest_remainder, sample_size, sex_quota
from .selectors import municipality_villages, round_people_eligible


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _check_round(
    *,
    municipality: Territory,
    version: QuestionnaireVersion,
    services: Sequence[Service],
    start_date: Any,
    end_date: Any,
) -> None:
    errors = []
    if (
        version.status != VersionStatus.PUBLISHED
        or version.questionnaire.municipality_id != municipality.pk
    ):
        errors.append(
            _("A round uses a published version of one of this municipality's questionnaires.")
        )
    if not services:
        errors.append(_("Choose at least one service."))
    else:
        covered = set(version.questionnaire.services.values_list("pk", flat=True))
        missing = [s.name for s in services if s.pk not in covered]
        if missing:
            errors.append(
                _("The questionnaire does not ask about: %(services)s.")
                % {"services": ", ".join(missing)}
            )
    if start_date and end_date and end_date < start_date:
        errors.append(_("The round cannot end before it starts."))
    if errors:
        raise ValidationError(errors)


def _set_members(*, round: Round, monitors: Iterable[Any], enumerators: Iterable[Any]) -> None:
    wanted = {(u.pk, Role.MONITOR) for u in monitors} | {
        (u.pk, Role.ENUMERATOR) for u in enumerators
    }
    errors = []
    for role, label in (
        (Role.MONITOR, Role.MONITOR.label),
        (Role.ENUMERATOR, Role.ENUMERATOR.label),
    ):
        allowed = set(
            round_people_eligible(municipality=round.municipality, role=role).values_list(
                "pk", flat=True
            )
        )
        for pk in sorted(p for p, r in wanted if r == role and p not in allowed):
            errors.append(
                _("%(person)s is not a %(role)s of %(municipality)s and cannot be assigned.")
                % {
                    "person": User.objects.get(pk=pk).display_name,
                    "role": str(label).lower(),
                    "municipality": round.municipality.name,
                }
            )
    if errors:
        raise ValidationError(errors)
    current = {(m.user_id, m.role): m for m in RoundMember.objects.filter(round=round)}
    removed_enumerator = False
    for key, member in current.items():
        if key not in wanted:
            if key[1] == Role.ENUMERATOR:
                removed_enumerator |= (
                    RouteAssignment.objects.filter(
                        village__plan__round=round, enumerator_id=key[0]
                    ).delete()[0]
                    > 0
                )
            member.delete()
    for user_id, role in wanted - set(current):
        RoundMember.objects.create(round=round, user_id=user_id, role=role)
    if removed_enumerator:
        # The others share the removed enumerator's villages again, adding up exactly.
        plan = SamplePlan.objects.filter(round=round, allocated=True).first()
        if plan is not None:
            _resplit(plan, _who(plan))


def round_create(
    *,
    municipality: Territory,
    version: QuestionnaireVersion,
    services: Sequence[Service],
    start_date: Any,
    end_date: Any,
    monitors: Iterable[Any] = (),
    enumerators: Iterable[Any] = (),
    user: Any,
    key: str = "",
) -> Round:
    """A new round in planning."""
    services = list(services)
    _check_round(
        municipality=municipality,
        version=version,
        services=services,
        start_date=start_date,
        end_date=end_date,
    )
    with transaction.atomic():
        round = Round.objects.create(
            municipality=municipality,
            version=version,
            start_date=start_date,
            end_date=end_date,
            created_by=_user(user),
            key=key,
        )
        round.services.set(services)
        _set_members(round=round, monitors=monitors, enumerators=enumerators)
    return round


def round_update(
    *,
    round: Round,
    version: QuestionnaireVersion,
    services: Sequence[Service],
    start_date: Any,
    end_date: Any,
    monitors: Iterable[Any],
    enumerators: Iterable[Any],
    user: Any,
) -> Round:
    """Change a round while it is being planned or collected; closed rounds are frozen."""
    services = list(services)
    with transaction.atomic():
        locked = Round.objects.select_for_update().select_related("municipality").get(pk=round.pk)
        if not locked.is_editable:
            raise ValidationError(_("A closed or published round can no longer change."))
        if locked.status != RoundStatus.PLANNING and version.pk != locked.version_id:
            raise ValidationError(
                _("The questionnaire version can change only while the round is planned.")
            )
        _check_round(
            municipality=locked.municipality,
            version=version,
            services=services,
            start_date=start_date,
            end_date=end_date,
        )
        locked.version = version
        locked.start_date = start_date
        locked.end_date = end_date
        locked._change_reason = f"updated by {getattr(user, 'username', '')}"  # type: ignore[attr-defined]
        locked.save(update_fields=["version", "start_date", "end_date"])
        locked.services.set(services)
        _set_members(round=locked, monitors=monitors, enumerators=enumerators)
    return locked


def round_advance(*, round: Round, to_status: str, user: Any) -> Round:
    """Move a round one step forward, recording who and when."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round.pk)
        expected = NEXT_STATUS.get(RoundStatus(locked.status))
        if to_status not in RoundStatus.values:
            raise ValidationError(_("Unknown status: %(status)s.") % {"status": to_status})
        if expected is None or to_status != expected:
            raise ValidationError(
                _("A round in status “%(current)s” cannot move to “%(next)s”.")
                % {
                    "current": RoundStatus(locked.status).label,
                    "next": RoundStatus(to_status).label,
                }
            )
        RoundTransition.objects.create(
            round=locked, from_status=locked.status, to_status=to_status, by=_user(user)
        )
        locked.status = to_status
        locked.save(update_fields=["status"])
        if to_status == RoundStatus.PUBLISHED:
            # Its results become public: cached public pages (the municipality's) list it.
            public_content_changed()
    return locked


# --- The sample plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class VillageFigure:
    village_id: int
    figure: int | None
    year: int | None
    source: str
    excluded: bool


def _check_plannable(round: Round) -> None:
    if round.status not in (RoundStatus.PLANNING, RoundStatus.COLLECTING):
        raise ValidationError(_("The sample plan of a closed round can no longer change."))


def _clear_allocation(plan: SamplePlan) -> None:
    """Forget the numbers; who covers which village is kept for the next allocation."""
    PlanVillage.objects.filter(plan=plan).update(sample=None, men=None, women=None)
    plan.allocated = False


def _who(plan: SamplePlan) -> dict[int, list[Any]]:
    """The enumerators of each village of the plan (by PlanVillage id)."""
    who: dict[int, list[Any]] = {}
    for a in RouteAssignment.objects.filter(village__plan=plan).select_related("enumerator"):
        who.setdefault(a.village_id, []).append(a.enumerator)
    return who


def _resplit(plan: SamplePlan, who: Mapping[int, Sequence[Any]]) -> None:
    """Write each village's shares: its interviews split equally between its enumerators
    (largest remainders), and its men split in proportion to those shares."""
    RouteAssignment.objects.filter(village__plan=plan).delete()
    for row in PlanVillage.objects.filter(plan=plan, sample__gt=0):
        people = sorted({p.pk: p for p in who.get(row.pk, ())}.values(), key=lambda p: p.username)
        if not people:
            continue
        shares = largest_remainder(row.sample or 0, [1.0] * len(people))
        men = largest_remainder(row.men or 0, [float(x) for x in shares])
        RouteAssignment.objects.bulk_create(
            RouteAssignment(
                village=row,
                enumerator=person,
                interviews=share,
                men=share_men,
                women=share - share_men,
            )
            for person, share, share_men in zip(people, shares, men, strict=True)
            if share
        )


def plan_set(
    *,
    round: Round,
    margin: Decimal,
    confidence: int,
    design_effect: Decimal,
    proportion: Decimal,
    unit: str,
    household_size: Decimal,
    men_share: Decimal,
    sex_source: str,
    user: Any,
) -> SamplePlan:
    """Compute the sample size from the inputs and the registry's population."""
    _check_plannable(round)
    municipality = round.municipality
    if not municipality.population:
        raise ValidationError(
            _(
                "The registry has no population for %(municipality)s. Staff can enter it, "
                "with its source and year, on the municipality's population page."
            )
            % {"municipality": municipality.name}
        )
    if confidence not in CONFIDENCE_LEVELS:
        raise ValidationError(_("Choose a confidence level of 90, 95 or 99 %."))
    if unit not in PopulationUnit.values:
        raise ValidationError(_("Choose households or persons."))
    if not Decimal("0") < men_share < Decimal("100"):
        raise ValidationError(_("The share of men is between 0 and 100 %."))
    if household_size <= 0:
        raise ValidationError(_("The average household size must be positive."))
    try:
        n_frame = frame_size(
            persons=municipality.population, unit=unit, household_size=float(household_size)
        )
        size = sample_size(
            margin=float(margin),
            confidence=confidence,
            design_effect=float(design_effect),
            proportion=float(proportion),
            population=n_frame,
        )
    except ValueError as exc:
        raise ValidationError(
            _(
                "Check the inputs: the margin of error is between 0 and 100 %, the expected "
                "proportion between 0 and 1, and the design effect at least 1."
            )
        ) from exc
    with transaction.atomic():
        plan = SamplePlan.objects.select_for_update().filter(round=round).first()
        if plan is None:
            plan = SamplePlan(round=round)
        plan.margin = margin
        plan.confidence = confidence
        plan.design_effect = design_effect
        plan.proportion = proportion
        plan.unit = unit
        plan.household_size = household_size
        plan.men_share = men_share
        plan.sex_source = sex_source
        plan.population = municipality.population
        plan.population_year = municipality.population_year
        plan.population_source = municipality.population_source
        plan.frame_size = n_frame
        plan.sample_size = size.n
        plan.updated_by = _user(user)
        was_allocated = plan.allocated
        if plan.pk:
            _clear_allocation(plan)
        plan.save()
        if was_allocated:
            # The village figures did not change: allocate the new size the same way.
            _allocate(plan)
        known = set(PlanVillage.objects.filter(plan=plan).values_list("village_id", flat=True))
        PlanVillage.objects.bulk_create(
            PlanVillage(plan=plan, village=v)
            for v in municipality_villages(municipality=municipality)
            if v.pk not in known
        )
    return plan


def plan_villages_set(
    *, plan: SamplePlan, figures: Sequence[VillageFigure], user: Any
) -> SamplePlan:
    """Record each village's population or household count, with source and year."""
    _check_plannable(plan.round)
    errors = []
    for f in figures:
        if f.figure is not None and f.figure > 0 and not f.source.strip():
            errors.append(_("Give the source of every village figure."))
            break
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rows = {v.village_id: v for v in PlanVillage.objects.select_for_update().filter(plan=plan)}
        for f in figures:
            row = rows.get(f.village_id)
            if row is None:
                continue
            row.figure = f.figure or None
            row.figure_year = f.year
            row.figure_source = f.source.strip()
            row.excluded = f.excluded
            row.save(update_fields=["figure", "figure_year", "figure_source", "excluded"])
        plan.updated_by = _user(user)
        _clear_allocation(plan)
        plan.save()
    return plan


def _allocate(plan: SamplePlan) -> None:
    rows = list(
        PlanVillage.objects.select_for_update()
        .filter(plan=plan)
        .select_related("village")
        .order_by("village__code")
    )
    missing = [r.village.name for r in rows if not r.excluded and not r.figure]
    if missing:
        raise ValidationError(
            _(
                "Enter a figure for every village or exclude it explicitly before "
                "allocating. Missing: %(villages)s."
            )
            % {"villages": ", ".join(missing)}
        )
    included = [r for r in rows if not r.excluded]
    if not included:
        raise ValidationError(_("Every village is excluded: there is nothing to allocate."))
    who = _who(plan)
    _clear_allocation(plan)
    parts = largest_remainder(plan.sample_size, [float(r.figure or 0) for r in included])
    for row, part in zip(included, parts, strict=True):
        row.sample = part
        row.men, row.women = sex_quota(part, float(plan.men_share))
        row.save(update_fields=["sample", "men", "women"])
    plan.allocated = True
    plan.save()
    _resplit(plan, who)


def plan_allocate(*, plan: SamplePlan, user: Any) -> SamplePlan:
    """Share the sample over the villages in proportion to their figures, then by sex;
    villages keep their enumerators. Refuses while a village that is not excluded has no
    figure."""
    _check_plannable(plan.round)
    with transaction.atomic():
        plan.updated_by = _user(user)
        _allocate(plan)
    return plan


def plan_assign(
    *, plan: SamplePlan, assignments: Mapping[int, Sequence[Any]], user: Any
) -> SamplePlan:
    """Give each village (by PlanVillage id) to one or more of the round's enumerators;
    a village given to several is split into equal shares that add up exactly."""
    _check_plannable(plan.round)
    if not plan.allocated:
        raise ValidationError(_("Allocate the sample over the villages first."))
    allowed = set(
        RoundMember.objects.filter(round=plan.round, role=Role.ENUMERATOR).values_list(
            "user_id", flat=True
        )
    )
    for people in assignments.values():
        for person in people:
            if person.pk not in allowed:
                raise ValidationError(
                    _("%(person)s is not an enumerator of this round.")
                    % {"person": person.display_name}
                )
    with transaction.atomic():
        _resplit(plan, assignments)
        plan.updated_by = _user(user)
        plan.save()
    return plan
