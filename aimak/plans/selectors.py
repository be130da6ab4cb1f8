"""Reads of action plans. Each permission in rules.py has its list selector here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from aimak.accounts.models import Membership, Role, User
from aimak.accounts.predicates import active_roles
from aimak.catalogue.models import Service
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import (
    Action,
    ActionStatus,
    Evidence,
    FollowUp,
    Milestone,
    Recommendation,
    RecommendationContact,
    StatusChange,
    Verification,
)

PLAN_READER_ROLES = (Role.PROGRAMME_MANAGER, Role.EXPERT, Role.SYSADMIN)
MEMBER_ROLES = (Role.STAFF, Role.DEPUTY, Role.MONITOR, Role.ENUMERATOR, Role.FACILITATOR)


def _national(user: Any, roles: tuple[str, ...]) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(r in roles and m is None for r, m in active_roles(user))


def _municipalities(user: Any, roles: tuple[str, ...]) -> QuerySet[Territory]:
    ids = {m for r, m in active_roles(user) if r in roles and m is not None}
    return Territory.objects.filter(pk__in=ids)


def plan_viewer_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Pairs with plans.view_plan."""
    if _national(user, PLAN_READER_ROLES):
        return Territory.objects.filter(level__in=MUNICIPAL_LEVELS)
    return _municipalities(user, MEMBER_ROLES)


def plan_editor_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Pairs with plans.edit_plan."""
    if _national(user, (Role.SYSADMIN,)):
        return Territory.objects.filter(level__in=MUNICIPAL_LEVELS)
    return _municipalities(user, (Role.STAFF,))


def plan_verifier_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Pairs with plans.verify (a superuser passes every permission)."""
    if getattr(user, "is_superuser", False):
        return Territory.objects.filter(level__in=MUNICIPAL_LEVELS)
    return _municipalities(user, (Role.MONITOR,))


def status_list() -> QuerySet[ActionStatus]:
    return ActionStatus.objects.all()


def overdue_q(today: datetime.date | None = None, prefix: str = "") -> Q:
    today = today or timezone.localdate()
    return Q(**{f"{prefix}status__is_open": True, f"{prefix}deadline__lt": today})


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("status", "responsible_user")


def recommendation_list(
    *,
    municipality: Territory,
    published_only: bool,
    status: ActionStatus | None = None,
    source: str = "",
    service: Service | None = None,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Recommendation]:
    """A municipality's recommendations with their actions (and statuses) prefetched."""
    qs = Recommendation.objects.filter(municipality=municipality)
    if published_only:
        qs = qs.filter(published=True)
    if source:
        qs = qs.filter(source=source)
    if service is not None:
        qs = qs.filter(service=service)
    if status is not None:
        qs = qs.filter(Exists(Action.objects.filter(recommendation=OuterRef("pk"), status=status)))
    if overdue:
        qs = qs.filter(
            Exists(Action.objects.filter(overdue_q(today), recommendation=OuterRef("pk")))
        )
    return qs.select_related("service", "round", "event").prefetch_related(
        Prefetch("actions", queryset=_actions())
    )


def recommendation_get(*, pk: int) -> Recommendation:
    return Recommendation.objects.select_related(
        "municipality", "service", "round", "event", "created_by"
    ).get(pk=pk)


def action_get(*, pk: int) -> Action:
    return Action.objects.select_related(
        "status", "responsible_user", "recommendation__municipality"
    ).get(pk=pk)


def evidence_by_action(*, action_ids: list[int]) -> dict[int, list[Evidence]]:
    """Evidence of these actions' milestones and verifications, in one query (a UNION of
    two indexed joins: an OR over both parents would scan the whole table)."""
    if not action_ids:
        return {}
    fields = ("pk", "kind", "title", "file", "url")
    of_milestones = (
        Evidence.objects.filter(milestone__action_id__in=action_ids)
        .annotate(action_pk=F("milestone__action_id"))
        .only(*fields)
        .order_by()
    )
    of_verifications = (
        Evidence.objects.filter(verification__action_id__in=action_ids)
        .annotate(action_pk=F("verification__action_id"))
        .only(*fields)
        .order_by()
    )
    out: dict[int, list[Evidence]] = defaultdict(list)
    for row in of_milestones.union(of_verifications, all=True).order_by("pk"):
        out[row.action_pk].append(row)  # type: ignore[attr-defined]
    return out


@dataclass
class RecommendationView:
    recommendation: Recommendation
    actions: list[Action]
    evidence: dict[int, list[Evidence]]
    finished: int = 0
    counted: int = 0
    overdue: int = 0

    @property
    def state(self) -> str:
        """done, overdue, in_progress or not_started (for a badge with words)."""
        if self.counted and self.finished == self.counted:
            return "done"
        if self.overdue:
            return "overdue"
        if self.recommendation.progress > 0:
            return "in_progress"
        return "not_started"


@dataclass
class PlanView:
    municipality: Territory
    items: list[RecommendationView] = field(default_factory=list)
    recommendations: int = 0  # in the whole plan (or the filtered list), not the page
    progress: Decimal = Decimal("0")
    actions: int = 0
    finished: int = 0
    overdue: int = 0
    verified: int = 0
    disputed: int = 0
    page: int = 1
    pages: int = 1


PUBLIC_PAGE_SIZE = 20


def plan_view(
    *,
    municipality: Territory,
    recommendations: QuerySet[Recommendation],
    page: int = 1,
    per_page: int = PUBLIC_PAGE_SIZE,
    today: datetime.date | None = None,
) -> PlanView:
    """One page of recommendations with their actions and evidence, and the totals of the
    whole list: a fixed number of queries (two aggregates, then the page's
    recommendations, their actions and their evidence) whatever the size."""
    today = today or timezone.localdate()
    ids = recommendations.values("pk")
    counted = Q(status__excluded=False)
    totals = Action.objects.filter(recommendation__in=ids).aggregate(
        actions=Count("pk", filter=counted),
        finished=Count("pk", filter=counted & Q(status__is_open=False)),
        overdue=Count("pk", filter=overdue_q(today)),
        verified=Count("pk", filter=Q(verification="verified")),
        disputed=Count("pk", filter=Q(verification="disputed")),
    )
    with_counted = Exists(
        Action.objects.filter(recommendation=OuterRef("pk"), status__excluded=False)
    )
    recs_totals = Recommendation.objects.filter(pk__in=ids).aggregate(
        n=Count("pk"), progress=Avg("progress", filter=Q(with_counted))
    )
    view = PlanView(
        municipality=municipality,
        actions=totals["actions"] or 0,
        finished=totals["finished"] or 0,
        overdue=totals["overdue"] or 0,
        verified=totals["verified"] or 0,
        disputed=totals["disputed"] or 0,
    )
    view.recommendations = recs_totals["n"] or 0
    if recs_totals["progress"] is not None:
        view.progress = Decimal(recs_totals["progress"]).quantize(Decimal("0.1"))
    view.pages = max(1, -(-view.recommendations // per_page))
    view.page = min(max(1, page), view.pages)
    start = (view.page - 1) * per_page
    recs = list(recommendations[start : start + per_page]) if view.recommendations else []
    actions_of = {r.pk: list(r.actions.all()) for r in recs}
    evidence = evidence_by_action(action_ids=[a.pk for acts in actions_of.values() for a in acts])
    for rec in recs:
        acts = actions_of[rec.pk]
        item = RecommendationView(recommendation=rec, actions=acts, evidence=evidence)
        for a in acts:
            a.overdue = a.is_overdue(today)  # type: ignore[attr-defined]
            if a.status.excluded:
                continue
            item.counted += 1
            item.finished += not a.status.is_open
            item.overdue += a.overdue  # type: ignore[attr-defined]
        view.items.append(item)
    return view


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str  # status, milestone, verification, follow_up
    action: Action
    who: str
    text: str = ""
    obj: Any = None


def _who(user: User | None) -> str:
    return user.display_name if user is not None else ""


def recommendation_timeline(*, recommendation: Recommendation) -> list[TimelineEntry]:
    """Status changes, milestones, verifications and follow-up answers, oldest first."""
    actions = {a.pk: a for a in recommendation.actions.select_related("status")}
    entries: list[TimelineEntry] = []
    for change in StatusChange.objects.filter(action__in=actions).select_related(
        "from_status", "to_status", "by"
    ):
        entries.append(
            TimelineEntry(
                change.at, "status", actions[change.action_id], _who(change.by), change.note, change
            )
        )
    for m in Milestone.objects.filter(action__in=actions).select_related("created_by"):
        at = timezone.make_aware(datetime.datetime.combine(m.date, datetime.time(12)))
        entries.append(
            TimelineEntry(at, "milestone", actions[m.action_id], _who(m.created_by), m.note, m)
        )
    for v in Verification.objects.filter(action__in=actions).select_related("by"):
        entries.append(
            TimelineEntry(v.at, "verification", actions[v.action_id], _who(v.by), v.comment, v)
        )
    for f in FollowUp.objects.filter(action__in=actions, answered_at__isnull=False).select_related(
        "recipient"
    ):
        assert f.answered_at is not None
        who = _who(f.recipient) or f.name or ""
        entries.append(
            TimelineEntry(f.answered_at, "follow_up", actions[f.action_id], who, f.comment, f)
        )
    entries.sort(key=lambda e: (e.at, e.kind))
    return entries


def follow_ups_for(*, recommendation: Recommendation) -> dict[int, list[FollowUp]]:
    out: dict[int, list[FollowUp]] = defaultdict(list)
    for f in FollowUp.objects.filter(action__recommendation=recommendation).select_related(
        "recipient"
    ):
        out[f.action_id].append(f)
    return out


def contact_list(*, recommendation: Recommendation) -> QuerySet[RecommendationContact]:
    return recommendation.contacts.all()


def follow_up_get(*, token: str) -> FollowUp:
    return FollowUp.objects.select_related(
        "action__status", "action__recommendation__municipality"
    ).get(token=token)


def overdue_actions(*, today: datetime.date | None = None) -> QuerySet[Action]:
    return Action.objects.filter(overdue_q(today)).select_related(
        "status", "responsible_user", "recommendation__municipality"
    )


def actions_due_follow_up(*, now: datetime.datetime, days: int) -> QuerySet[Action]:
    """Actions still reported done, marked done at least `days` ago."""
    return Action.objects.filter(
        status__is_open=False,
        status__excluded=False,
        done_at__isnull=False,
        done_at__lte=now - datetime.timedelta(days=days),
    ).select_related("status", "recommendation__municipality")


def municipal_people(*, municipality_id: int, roles: tuple[str, ...]) -> QuerySet[User]:
    ids = (
        Membership.objects.active()
        .filter(municipality_id=municipality_id, role__in=roles)
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True)


def public_municipalities() -> QuerySet[Territory]:
    """Municipalities with at least one published recommendation."""
    return Territory.objects.filter(
        Exists(Recommendation.objects.filter(municipality=OuterRef("pk"), published=True))
    ).order_by("name")


@dataclass(frozen=True)
class FindingIndex:
    round_id: int
    service_slug: str
    service_label: str
    name: str
    label: str


def finding_indexes(*, round: Any) -> list[FindingIndex]:
    """The indexes a recommendation can cite from a round: each rating question of each
    of its services, named as the results engine names them."""
    from aimak.results.compute import pick
    from aimak.results.selectors import round_spec

    slugs = set(round.services.values_list("slug", flat=True))
    out = []
    for section in round_spec(round=round).sections:
        if section.slug not in slugs:
            continue
        for q in section.questions:
            if q.kind == "rating" and q.role == "service":
                out.append(
                    FindingIndex(
                        round.pk, section.slug, pick(section.labels), q.name, pick(q.labels)
                    )
                )
    return out


def finding_rounds(*, municipality: Territory) -> QuerySet[Any]:
    """The municipality's closed or published rounds (whose findings exist)."""
    from aimak.surveys.models import Round, RoundStatus

    return (
        Round.objects.filter(
            municipality=municipality, status__in=[RoundStatus.CLOSED, RoundStatus.PUBLISHED]
        )
        .select_related("version")
        .prefetch_related("services")
    )


def source_events(*, municipality: Territory) -> QuerySet[Any]:
    """Hearings and focus groups that covered the municipality (a recommendation's event)."""
    from aimak.events.models import PUBLIC_HEARING_KINDS, Event, EventKind

    return Event.objects.filter(
        municipalities=municipality, kind__in=[*PUBLIC_HEARING_KINDS, EventKind.FOCUS_GROUP]
    ).order_by("-starts_at")
