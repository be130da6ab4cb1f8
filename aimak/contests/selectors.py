"""Every read of aimak.contests."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet

from aimak.accounts.models import Membership, Role

from .models import (
    Application,
    AppStatus,
    ConflictDeclaration,
    Contest,
    Criterion,
    FlagStatus,
    JuryMember,
    Score,
    Vote,
    VoteFlag,
    VoterVerification,
)
from .rules import is_content_admin


def contests_visible(*, user: Any) -> QuerySet[Contest]:
    """Announced contests; the content administrator also sees drafts."""
    qs = Contest.objects.select_related("theme")
    if is_content_admin(user):
        return qs
    return qs.filter(announced_at__isnull=False)


def contest_get(*, slug: str, user: Any) -> Contest:
    return contests_visible(user=user).select_related("secretary").get(slug=slug)


def applications_visible(*, user: Any) -> QuerySet[Application]:
    """Same rule as `contests.view_application`: registered applications for everyone,
    drafts and submitted ones for the municipality's staff and the content administrator."""
    qs = Application.objects.select_related("contest", "municipality")
    if is_content_admin(user):
        return qs
    public = Q(status=AppStatus.REGISTERED)
    if getattr(user, "is_authenticated", False):
        municipalities = (
            Membership.objects.active().filter(user=user, role=Role.STAFF).values("municipality_id")
        )
        public |= Q(municipality_id__in=municipalities)
    return qs.filter(public)


def registered_applications(*, contest: Contest) -> QuerySet[Application]:
    return contest.applications.filter(status=AppStatus.REGISTERED).select_related("municipality")


def vote_counts(*, contest: Contest) -> dict[int, int]:
    """Counted votes per application (annulled votes left out), by COUNT."""
    rows = (
        Vote.objects.filter(contest=contest, annulled_at__isnull=True)
        .values("application_id")
        .annotate(n=Count("pk"))
    )
    return {row["application_id"]: row["n"] for row in rows}


def user_vote(*, contest: Contest, user: Any) -> Vote | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Vote.objects.filter(contest=contest, voter=user).select_related("application").first()


def is_verified(*, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return VoterVerification.objects.filter(user=user).exists()


def municipalities_for_application(*, user: Any) -> list[Any]:
    from aimak.territories.models import Territory

    ids = Membership.objects.active().filter(user=user, role=Role.STAFF).values("municipality_id")
    return list(Territory.objects.filter(pk__in=ids).order_by("name"))


def my_applications(*, contest: Contest, user: Any) -> QuerySet[Application]:
    """Applications of the municipalities where the user is staff."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    ids = Membership.objects.active().filter(user=user, role=Role.STAFF).values("municipality_id")
    return contest.applications.filter(municipality_id__in=ids).select_related("municipality")


def jury_candidates() -> QuerySet[Any]:
    """Users who may sit on a jury: holders of the expert role or a listed expert's account."""
    User = get_user_model()
    experts = Membership.objects.active().filter(role=Role.EXPERT).values("user_id")
    return User.objects.filter(
        Q(pk__in=experts) | Q(expert_profile__isnull=False), is_active=True
    ).order_by("full_name", "username")


def jury_member(*, contest: Contest, user: Any) -> JuryMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return contest.jury.filter(user=user).first()


def expert_evaluations(*, user: Any) -> QuerySet[Contest]:
    """Contests this user sat on the jury of."""
    return Contest.objects.filter(jury__user=user).distinct()


@dataclass
class Progress:
    member: JuryMember
    cells: list[str]  # per registered application: "conflict", "scored", "declared", ""
    scored: int = 0
    conflicts: int = 0


def jury_progress(*, contest: Contest) -> tuple[list[Application], list[Progress]]:
    """Who has declared and scored what (the secretary's view of the commission)."""
    applications = list(registered_applications(contest=contest))
    n_criteria = contest.criteria.count()
    declarations = {
        (d.member_id, d.application_id): d.has_conflict
        for d in ConflictDeclaration.objects.filter(member__contest=contest)
    }
    counts = {
        (row["member_id"], row["application_id"]): row["n"]
        for row in Score.objects.filter(member__contest=contest)
        .values("member_id", "application_id")
        .annotate(n=Count("pk"))
    }
    rows = []
    for member in contest.jury.select_related("user"):
        progress = Progress(member=member, cells=[])
        for application in applications:
            key = (member.pk, application.pk)
            if declarations.get(key) is True:
                progress.cells.append("conflict")
                progress.conflicts += 1
            elif n_criteria and counts.get(key, 0) >= n_criteria:
                progress.cells.append("scored")
                progress.scored += 1
            elif key in declarations:
                progress.cells.append("declared")
            else:
                progress.cells.append("")
        rows.append(progress)
    return applications, rows


@dataclass
class ResultRow:
    application: Application
    jury_total: Decimal | None  # mean over complete jury members of Σ score × weight
    jury_percent: Decimal | None
    jury_count: int
    conflicts: int
    criteria_means: list[Decimal | None] = field(default_factory=list)
    votes: int = 0
    rank: int = 0


def max_total(criteria: list[Criterion]) -> Decimal:
    return sum((Decimal(c.max_score) * c.weight for c in criteria), Decimal(0))


def contest_results(*, contest: Contest) -> tuple[list[Criterion], list[ResultRow]]:
    """Ranking of registered applications: jury weighted mean, then public votes.

    A jury member counts for an application when they declared no conflict and scored
    every criterion; their total is Σ score × weight; the application's jury score is the
    mean of those totals (and as a share of the maximum Σ max × weight)."""
    criteria = list(contest.criteria.all())
    weights = {c.pk: c.weight for c in criteria}
    top = max_total(criteria)
    applications = list(registered_applications(contest=contest))
    votes = vote_counts(contest=contest)
    conflicts: dict[int, int] = defaultdict(int)
    blocked = set()
    for d in ConflictDeclaration.objects.filter(member__contest=contest, has_conflict=True):
        conflicts[d.application_id] += 1
        blocked.add((d.member_id, d.application_id))
    sheets: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for member_id, application_id, criterion_id, value in Score.objects.filter(
        member__contest=contest
    ).values_list("member_id", "application_id", "criterion_id", "value"):
        sheets[(member_id, application_id)][criterion_id] = value
    rows = []
    for application in applications:
        complete = [
            sheet
            for (member_id, application_id), sheet in sheets.items()
            if application_id == application.pk
            and (member_id, application_id) not in blocked
            and set(sheet) == set(weights)
        ]
        if complete and weights:
            totals = [
                sum((Decimal(v) * weights[c] for c, v in s.items()), Decimal(0)) for s in complete
            ]
            total = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
            percent = (total * 100 / top).quantize(Decimal("0.1")) if top else None
            means: list[Decimal | None] = [
                (sum((Decimal(s[c.pk]) for s in complete), Decimal(0)) / len(complete)).quantize(
                    Decimal("0.01")
                )
                for c in criteria
            ]
        else:
            total, percent = None, None
            means = [None for _c in criteria]
        rows.append(
            ResultRow(
                application=application,
                jury_total=total,
                jury_percent=percent,
                jury_count=len(complete),
                conflicts=conflicts[application.pk],
                criteria_means=means,
                votes=votes.get(application.pk, 0),
            )
        )
    rows.sort(
        key=lambda r: (
            r.jury_total is None,
            -(r.jury_total or 0),
            -r.votes,
            r.application.registration_seq or 0,
        )
    )
    for n, row in enumerate(rows, start=1):
        row.rank = n
    return criteria, rows


def flag_list(*, contest: Contest) -> QuerySet[VoteFlag]:
    return contest.flags.annotate(
        n_votes=Count("flagged"),
        n_live=Count("flagged", filter=Q(flagged__vote__annulled_at__isnull=True)),
    ).order_by("status", "-created_at")


def pending_flags(*, contest: Contest) -> int:
    return contest.flags.filter(status=FlagStatus.PENDING).count()


def annulled_votes(*, contest: Contest) -> int:
    return Vote.objects.filter(contest=contest, annulled_at__isnull=False).count()


# --- cross-app contracts ----------------------------------------------------------------


def active_user_ids(*, since: datetime.datetime, until: datetime.datetime) -> QuerySet[Any]:
    """Users who voted or submitted an application in [since, until) (one column user_id)."""
    voters = (
        Vote.objects.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .values(user_id=F("voter_id"))
    )
    applicants = (
        Application.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
        .order_by()
        .values(user_id=F("submitted_by_id"))
    )
    return voters.union(applicants).order_by()


def activity_by_category(*, since: datetime.datetime, until: datetime.datetime) -> dict[str, int]:
    """{audience category: votes + submitted applications in the window}."""
    result: dict[str, int] = defaultdict(int)
    for row in (
        Vote.objects.filter(created_at__gte=since, created_at__lt=until)
        .values(category=F("voter__audience_category"))
        .annotate(n=Count("pk"))
    ):
        result[row["category"] or ""] += row["n"]
    for row in (
        Application.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
        .values(category=F("submitted_by__audience_category"))
        .annotate(n=Count("pk"))
    ):
        result[row["category"] or ""] += row["n"]
    return dict(result)
