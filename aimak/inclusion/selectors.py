"""Reads of the inclusion app: the seed-002 indicators (counted in SQL, a fixed number of
queries whatever the data), their drill-downs, a municipality's policy, budgets and hearings.

A region is any oblast, rayon or city of the registry; the municipalities under it are
those whose SOATE code starts with its prefix (oblast: 5 digits, rayon: 8; a city is its
own code). The registry's codes nest this way for every unit (checked against the whole
registry file), so no ancestor column or recursive query is needed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from aimak.accounts.models import Role
from aimak.accounts.predicates import active_roles
from aimak.council.models import Decision, DecisionKind, Resolution
from aimak.events.models import (
    MOBILISING_KINDS,
    PUBLIC_HEARING_KINDS,
    Attendance,
    Event,
    EventKind,
)
from aimak.surveys.models import Round, RoundStatus, RoundTransition
from aimak.territories.models import MUNICIPAL_LEVELS, Level, Territory

from .models import Budget, BudgetLine, GrbTag, LineTagChange

EventMunicipality = Event.municipalities.through

# ---------------------------------------------------------------- period and region


@dataclass(frozen=True)
class Scope:
    start: datetime.date
    end: datetime.date
    region: Territory | None = None

    @property
    def prefix(self) -> str:
        return region_prefix(self.region) if self.region is not None else ""

    @property
    def since(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min))

    @property
    def until(self) -> datetime.datetime:
        """The first moment after the period (exclusive bound)."""
        day = self.end + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def region_prefix(region: Territory) -> str:
    if region.level == Level.OBLAST or (region.level == Level.CITY and region.parent_id is None):
        return region.code[:5]
    if region.level == Level.RAYON:
        return region.code[:8]
    return region.code


def region_choices() -> QuerySet[Territory]:
    """Oblasts, republican cities and rayons, in code order (oblast before its rayons)."""
    return (
        Territory.objects.filter(
            Q(level__in=[Level.OBLAST, Level.RAYON]) | Q(level=Level.CITY, parent__isnull=True),
            valid_to__isnull=True,
        )
        .only("pk", "code", "level", "name", "name_ky", "name_ru", "name_en", "parent_id")
        .order_by("code")
    )


def region_get(code: str) -> Territory | None:
    return (
        Territory.objects.filter(code=code)
        .exclude(level=Level.VILLAGE)
        .only("pk", "code", "level", "name", "name_ky", "name_ru", "name_en", "parent_id")
        .first()
    )


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def _in_region(prefix: str, path: str) -> Q:
    return Q(**{f"{path}__startswith": prefix}) if prefix else Q()


# ---------------------------------------------------------------- indicator 1: policy


def _policy_decisions(scope: Scope) -> QuerySet[Decision]:
    return Decision.objects.filter(
        _in_region(scope.prefix, "resolution__municipality__code"),
        kind=DecisionKind.GENDER_POLICY,
        resolution__date__lte=scope.end,
    )


def _policy_in_force(end: datetime.date, path: str = "resolution__") -> Q:
    return Q(**{f"{path}repealed_on__isnull": True}) | Q(**{f"{path}repealed_on__gt": end})


def policy_indicator(scope: Scope) -> dict[str, int]:
    """Municipalities with a gender- and socially-sensitive service policy in force on the
    last day of the period, and how many adopted one during it (one query)."""
    row = _policy_decisions(scope).aggregate(
        in_force=Count(
            "resolution__municipality", distinct=True, filter=_policy_in_force(scope.end)
        ),
        adopted=Count(
            "resolution__municipality",
            distinct=True,
            filter=Q(resolution__date__gte=scope.start),
        ),
    )
    return {"in_force": row["in_force"] or 0, "adopted": row["adopted"] or 0}


def policy_rows(scope: Scope) -> QuerySet[Resolution]:
    """Resolutions counted by indicator 1: a gender-policy decision, dated up to the end,
    in force at the end or adopted during the period."""
    ids = _policy_decisions(scope).filter(
        _policy_in_force(scope.end) | Q(resolution__date__gte=scope.start)
    )
    end = scope.end
    return (
        Resolution.objects.filter(pk__in=ids.values("resolution_id"))
        .select_related("municipality")
        .annotate(
            counted_in_force=Count(
                "pk", filter=Q(repealed_on__isnull=True) | Q(repealed_on__gt=end)
            )
        )
        .order_by("municipality__code", "-date", "-pk")
    )


# ---------------------------------------------------------------- indicator 2: hearings


def _hearing_attendance(scope: Scope) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        _in_region(scope.prefix, "municipality__code"),
        event__kind__in=PUBLIC_HEARING_KINDS,
        event__starts_at__gte=scope.since,
        event__starts_at__lt=scope.until,
    )


def hearing_indicator(scope: Scope) -> dict[str, Any]:
    """Women, men and not stated at public hearings (budget, tariffs, priorities) by kind,
    from the counted attendance (one grouped query)."""
    rows = (
        _hearing_attendance(scope)
        .order_by()
        .values("event__kind")
        .annotate(
            women=Sum("women"),
            men=Sum("men"),
            not_stated=Sum("sex_not_stated"),
            events=Count("event", distinct=True),
        )
    )
    by_kind: dict[str, dict[str, Any]] = {
        str(kind): {"kind": str(kind), "women": 0, "men": 0, "not_stated": 0, "events": 0}
        for kind in PUBLIC_HEARING_KINDS
    }
    for row in rows:
        by_kind[row["event__kind"]].update(
            women=row["women"] or 0,
            men=row["men"] or 0,
            not_stated=row["not_stated"] or 0,
            events=row["events"],
        )
    kinds = [by_kind[k] for k in PUBLIC_HEARING_KINDS]
    total = {key: sum(k[key] for k in kinds) for key in ("women", "men", "not_stated", "events")}
    total["people"] = total["women"] + total["men"] + total["not_stated"]
    for k in kinds:
        k["label"] = EventKind(k["kind"]).label
    return {**total, "by_kind": kinds}


def hearing_rows(scope: Scope) -> QuerySet[Attendance]:
    return (
        _hearing_attendance(scope)
        .select_related("event", "municipality")
        .order_by("-event__starts_at", "event_id", "municipality__code")
    )


# ---------------------------------------------------------------- indicator 3: mobilising


def _mobilising_events(scope: Scope) -> QuerySet[Any]:
    return EventMunicipality.objects.filter(
        event__kind__in=MOBILISING_KINDS,
        event__starts_at__gte=scope.since,
        event__starts_at__lt=scope.until,
    )


def _round_q(scope: Scope, path: str = "") -> Q:
    """A report-card round counts when it was collecting in the period (past planning, its
    collection dates overlapping the period) or was published during the period."""
    published = RoundTransition.objects.filter(
        to_status=RoundStatus.PUBLISHED, at__gte=scope.since, at__lt=scope.until
    ).values("round_id")
    return Q(
        **{
            f"{path}status__in": [
                RoundStatus.COLLECTING,
                RoundStatus.CLOSED,
                RoundStatus.PUBLISHED,
            ],
            f"{path}start_date__lte": scope.end,
            f"{path}end_date__gte": scope.start,
        }
    ) | Q(**{f"{path}pk__in": published})


def _mobilising_rounds(scope: Scope) -> QuerySet[Round]:
    return Round.objects.filter(_round_q(scope))


def _municipalities(scope: Scope) -> QuerySet[Territory]:
    return Territory.objects.filter(_in_region(scope.prefix, "code"), level__in=MUNICIPAL_LEVELS)


def _covered(scope: Scope) -> QuerySet[Territory]:
    """Municipalities of the region, each with `by_events` and `by_rounds` (correlated
    EXISTS: one index probe per municipality, much faster on PostgreSQL than hashed IN
    subqueries evaluated once per FILTER clause)."""
    events = _mobilising_events(scope).filter(territory_id=OuterRef("pk"))
    rounds = _mobilising_rounds(scope).filter(municipality_id=OuterRef("pk"))
    return _municipalities(scope).annotate(by_events=Exists(events), by_rounds=Exists(rounds))


def mobilising_indicator(scope: Scope) -> dict[str, int]:
    """Municipalities with a mobilising event or a report-card round in the period, with
    how many each way and the number of municipalities in the region (one query)."""
    row = _covered(scope).aggregate(
        covered=Count("pk", filter=Q(by_events=True) | Q(by_rounds=True)),
        events=Count("pk", filter=Q(by_events=True)),
        rounds=Count("pk", filter=Q(by_rounds=True)),
        in_region=Count("pk", filter=Q(valid_to__isnull=True)),
    )
    return {
        "covered": row["covered"] or 0,
        "by_events": row["events"] or 0,
        "by_rounds": row["rounds"] or 0,
        "in_region": row["in_region"] or 0,
    }


def mobilising_rows(scope: Scope) -> QuerySet[Territory]:
    events = _mobilising_events(scope)
    rounds = _mobilising_rounds(scope)
    event_count = (
        events.filter(territory_id=OuterRef("pk"))
        .order_by()
        .values("territory_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    round_count = (
        rounds.filter(municipality_id=OuterRef("pk"))
        .order_by()
        .values("municipality_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        _covered(scope)
        .filter(Q(by_events=True) | Q(by_rounds=True))
        .select_related("parent")
        .annotate(
            n_events=Coalesce(Subquery(event_count, output_field=IntegerField()), Value(0)),
            n_rounds=Coalesce(Subquery(round_count, output_field=IntegerField()), Value(0)),
        )
        .order_by("code")
    )


@dataclass
class Indicators:
    scope: Scope
    policy: dict[str, int] = field(default_factory=dict)
    hearings: dict[str, Any] = field(default_factory=dict)
    mobilising: dict[str, int] = field(default_factory=dict)


def indicators(scope: Scope) -> Indicators:
    """The three indicators of seed 002: three queries, whatever the size of the data."""
    return Indicators(
        scope=scope,
        policy=policy_indicator(scope),
        hearings=hearing_indicator(scope),
        mobilising=mobilising_indicator(scope),
    )


# ---------------------------------------------------------------- a municipality


def policy_resolutions(*, municipality: Territory) -> list[Resolution]:
    """The municipality's resolutions adopting a gender-sensitive service policy, newest
    first, each with `policy_in_force` for today."""
    today = timezone.localdate()
    rows = list(
        Resolution.objects.filter(
            municipality=municipality, decisions__kind=DecisionKind.GENDER_POLICY
        )
        .distinct()
        .order_by("-date", "-pk")
    )
    for row in rows:
        row.policy_in_force = row.date <= today and (  # type: ignore[attr-defined]
            row.repealed_on is None or row.repealed_on > today
        )
    return rows


def budget_list(*, municipality: Territory) -> QuerySet[Budget]:
    return (
        Budget.objects.filter(municipality=municipality)
        .select_related("resolution", "uploaded_by")
        .annotate(
            line_count=Count("lines"),
            planned_total=Coalesce(
                Sum("lines__planned"), Value(Decimal(0)), output_field=DecimalField()
            ),
        )
        .order_by("-year", "-uploaded_at", "-pk")
    )


def budget_get(*, municipality: Territory, pk: int) -> Budget:
    return Budget.objects.select_related("resolution", "uploaded_by", "municipality").get(
        municipality=municipality, pk=pk
    )


def budget_duplicate(*, municipality: Territory, sha256: str) -> Budget | None:
    return (
        Budget.objects.filter(municipality=municipality, sha256=sha256)
        .select_related("uploaded_by")
        .first()
    )


def budget_lines(*, budget: Budget, tag: str = "", section: str = "") -> QuerySet[BudgetLine]:
    qs = BudgetLine.objects.filter(budget=budget)
    if tag:
        qs = qs.filter(tag=tag)
    if section:
        qs = qs.filter(section=section)
    return qs.order_by("position")


def budget_shares(*, budget: Budget) -> dict[str, Any]:
    """Planned (and executed) totals by tag with each tag's share of the planned total."""
    rows = {
        row["tag"]: row
        for row in BudgetLine.objects.filter(budget=budget)
        .order_by()
        .values("tag")
        .annotate(lines=Count("pk"), planned=Sum("planned"), executed=Sum("executed"))
    }
    total = sum((row["planned"] or Decimal(0) for row in rows.values()), Decimal(0))
    tags = []
    for tag in GrbTag:
        row: dict[str, Any] = dict(rows.get(tag.value, {}))
        planned = row.get("planned") or Decimal(0)
        tags.append(
            {
                "tag": tag.value,
                "label": tag.label,
                "lines": row.get("lines", 0),
                "planned": planned,
                "executed": row.get("executed"),
                "share": (planned * 100 / total).quantize(Decimal("0.1")) if total else Decimal(0),
            }
        )
    return {"total": total, "tags": tags, "lines": sum(t["lines"] for t in tags)}


def budget_sections(*, budget: Budget) -> list[str]:
    return list(
        BudgetLine.objects.filter(budget=budget)
        .exclude(section="")
        .order_by("section")
        .values_list("section", flat=True)
        .distinct()
    )


def tag_changes(*, budget: Budget, limit: int = 50) -> QuerySet[LineTagChange]:
    return (
        LineTagChange.objects.filter(line__budget=budget)
        .select_related("line", "changed_by")
        .order_by("-changed_at", "-pk")[:limit]
    )


def budget_hearings(*, municipality: Territory) -> list[Event]:
    """The municipality's public hearings on the budget, newest first, with the attendance
    counted in this municipality (`women`, `men`, `not_stated`, None when not counted)."""
    here = Q(attendance__municipality=municipality)
    return list(
        Event.objects.filter(kind=EventKind.HEARING_BUDGET, municipalities=municipality)
        .annotate(
            women=Sum("attendance__women", filter=here),
            men=Sum("attendance__men", filter=here),
            not_stated=Sum("attendance__sex_not_stated", filter=here),
        )
        .order_by("-starts_at", "pk")
    )


def budget_resolutions(*, municipality: Territory) -> QuerySet[Resolution]:
    """Resolutions a budget may be linked to: the municipality's, budget decisions first."""
    return Resolution.objects.filter(municipality=municipality).order_by("-date", "-pk")


# ---------------------------------------------------------------- permissions' selectors


def budget_manager_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Paired with inclusion.manage_budgets: municipalities whose budgets the user uploads."""
    if getattr(user, "is_superuser", False) or any(
        r == Role.SYSADMIN and m is None for r, m in active_roles(user)
    ):
        return Territory.objects.filter(level__in=MUNICIPAL_LEVELS)
    ids = [m for r, m in active_roles(user) if r == Role.STAFF and m is not None]
    return Territory.objects.filter(pk__in=ids)


def budget_tagger_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Paired with inclusion.tag_budgets: staff, facilitators (the NGOs advising on GRB)."""
    if getattr(user, "is_superuser", False) or any(
        r == Role.SYSADMIN and m is None for r, m in active_roles(user)
    ):
        return Territory.objects.filter(level__in=MUNICIPAL_LEVELS)
    ids = [
        m for r, m in active_roles(user) if r in (Role.STAFF, Role.FACILITATOR) and m is not None
    ]
    return Territory.objects.filter(pk__in=ids)
