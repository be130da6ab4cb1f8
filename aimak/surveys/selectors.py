"""Reads of questionnaires, filtered the way the permissions in rules.py decide."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from aimak.accounts.models import Role
from aimak.accounts.predicates import active_roles, national_role
from aimak.accounts.selectors import municipalities_with_role
from aimak.catalogue.models import Service
from aimak.territories.models import Level, Territory

from .models import (
    Interview,
    InterviewImport,
    PlanVillage,
    Questionnaire,
    QuestionnaireVersion,
    Round,
    RoundMember,
    RoundTransition,
    RouteAssignment,
    SamplePlan,
    VersionStatus,
)
from .standard import SERVICES, template_key

MEMBER_ROLES = frozenset({Role.STAFF, Role.DEPUTY, Role.MONITOR, Role.ENUMERATOR, Role.FACILITATOR})
DRAFT_NATIONAL = frozenset({Role.SYSADMIN, Role.PROGRAMME_MANAGER})


def editor_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Where `user` may edit questionnaires (pairs with surveys.edit_questionnaires)."""
    return municipalities_with_role(
        user=user, roles={Role.STAFF, Role.MONITOR}, national={Role.SYSADMIN}
    )


def draft_viewer_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Where `user` may see drafts (pairs with surveys.view_drafts)."""
    return municipalities_with_role(user=user, roles=MEMBER_ROLES, national=DRAFT_NATIONAL)


def _sees_all_drafts(user: Any) -> bool:
    return national_role(*DRAFT_NATIONAL)(user)


def _draft_filter(user: Any) -> Q:
    """Questionnaires `user` may see: published ones, plus every one of their municipalities."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if _sees_all_drafts(user):
        return Q()
    # The same roles as draft_viewer_municipalities, read from the roles already cached.
    ids = {m for r, m in active_roles(user) if r in MEMBER_ROLES and m is not None}
    return Q(has_published=True) | Q(municipality_id__in=ids)


def _with_status(qs: QuerySet[Questionnaire]) -> QuerySet[Questionnaire]:
    published = QuestionnaireVersion.objects.filter(
        questionnaire=OuterRef("pk"), status=VersionStatus.PUBLISHED
    )
    draft = QuestionnaireVersion.objects.filter(
        questionnaire=OuterRef("pk"), status=VersionStatus.DRAFT
    )
    return qs.annotate(
        has_published=Exists(published),
        has_draft=Exists(draft),
        latest_number=Max("versions__number"),
    )


def questionnaire_list(*, user: Any, municipality: Territory | None) -> QuerySet[Questionnaire]:
    """A municipality's questionnaires (templates when None) that `user` may see."""
    qs = _with_status(Questionnaire.objects.filter(municipality=municipality))
    return qs.filter(_draft_filter(user)).prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("order"))
    )


def questionnaire_visible(*, user: Any) -> QuerySet[Questionnaire]:
    """Every questionnaire `user` may see, templates included (for the API)."""
    return (
        _with_status(Questionnaire.objects.select_related("municipality"))
        .filter(_draft_filter(user))
        .prefetch_related(Prefetch("services", queryset=Service.objects.order_by("order")))
    )


def template_list() -> list[Questionnaire]:
    """The standard templates, in the order of the services catalogue."""
    keys = [template_key(spec.slug) for spec in SERVICES]
    by_key = {
        q.key: q
        for q in _with_status(Questionnaire.objects.filter(key__in=keys)).prefetch_related(
            "services"
        )
    }
    return [by_key[k] for k in keys if k in by_key and by_key[k].has_published]  # type: ignore[attr-defined]


def version_list(
    *, questionnaire: Questionnaire, include_drafts: bool
) -> QuerySet[QuestionnaireVersion]:
    qs = (
        QuestionnaireVersion.objects.filter(questionnaire=questionnaire)
        .select_related("created_by", "published_by")
        .order_by("-number")
    )
    return qs if include_drafts else qs.filter(status=VersionStatus.PUBLISHED)


def version_latest(
    *, questionnaire: Questionnaire, include_drafts: bool
) -> QuestionnaireVersion | None:
    return version_list(questionnaire=questionnaire, include_drafts=include_drafts).first()


def services_with_templates() -> QuerySet[Service]:
    """Catalogue services for which a standard template is loaded."""
    keys = [template_key(spec.slug) for spec in SERVICES]
    return Service.objects.filter(is_active=True, questionnaires__key__in=keys).distinct()


# --- Rounds and sample plans -------------------------------------------------------------

ROUND_MANAGERS = frozenset({Role.STAFF, Role.MONITOR})
ROUND_VIEWERS = frozenset({Role.STAFF, Role.MONITOR, Role.ENUMERATOR})


def round_manager_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Where `user` may create and edit rounds and plans (pairs with surveys.manage_rounds)."""
    return municipalities_with_role(user=user, roles=ROUND_MANAGERS, national={Role.SYSADMIN})


def round_viewer_municipalities(*, user: Any) -> QuerySet[Territory]:
    """Whose rounds list `user` may open (pairs with surveys.view_rounds)."""
    return municipalities_with_role(user=user, roles=ROUND_VIEWERS, national={Role.SYSADMIN})


def _manages(user: Any, municipality_id: int) -> bool:
    if national_role(Role.SYSADMIN)(user):
        return True
    return any(r in ROUND_MANAGERS and m == municipality_id for r, m in active_roles(user))


def round_visible(*, user: Any) -> QuerySet[Round]:
    """Every round `user` may see (pairs with surveys.view_round): all rounds of the
    municipalities they manage, and the rounds they are assigned to as an enumerator of
    a municipality where they still hold that role."""
    if not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    qs = Round.objects.select_related(
        "municipality", "version", "version__questionnaire"
    ).prefetch_related(Prefetch("services", queryset=Service.objects.order_by("order")))
    if national_role(Role.SYSADMIN)(user):
        return qs
    managed = {m for r, m in active_roles(user) if r in ROUND_MANAGERS and m is not None}
    enumerating = {m for r, m in active_roles(user) if r == Role.ENUMERATOR and m is not None}
    assigned = RoundMember.objects.filter(round=OuterRef("pk"), user=user, role=Role.ENUMERATOR)
    return qs.filter(
        Q(municipality_id__in=managed) | (Q(municipality_id__in=enumerating) & Exists(assigned))
    )


def round_list(*, user: Any, municipality: Territory) -> QuerySet[Round]:
    """A municipality's rounds that `user` may see, newest first."""
    return round_visible(user=user).filter(municipality=municipality)


def round_members(*, round: Round) -> list[RoundMember]:
    return list(
        RoundMember.objects.filter(round=round)
        .select_related("user")
        .order_by("role", "user__username")
    )


def round_transitions(*, round: Round) -> QuerySet[RoundTransition]:
    return RoundTransition.objects.filter(round=round).select_related("by")


def round_people_eligible(*, municipality: Territory, role: str) -> QuerySet[Any]:
    """People who hold `role` in `municipality` now: the only ones a round may assign."""
    from aimak.accounts.models import Membership, User

    ids = Membership.objects.active().filter(municipality=municipality, role=role).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("username")


def round_versions_available(*, municipality: Territory) -> QuerySet[QuestionnaireVersion]:
    """Published versions of the municipality's questionnaires, which a round may use."""
    return (
        QuestionnaireVersion.objects.filter(
            questionnaire__municipality=municipality, status=VersionStatus.PUBLISHED
        )
        .select_related("questionnaire")
        .order_by("-questionnaire__created_at", "-number")
    )


def municipality_villages(*, municipality: Territory) -> QuerySet[Territory]:
    """The municipality's current villages, by code."""
    return Territory.objects.filter(
        parent=municipality, level=Level.VILLAGE, valid_to__isnull=True
    ).order_by("code")


def plan_get(*, round: Round) -> SamplePlan | None:
    try:
        return SamplePlan.objects.select_related("updated_by").get(round=round)
    except SamplePlan.DoesNotExist:
        return None


def plan_villages(*, plan: SamplePlan) -> list[PlanVillage]:
    """The plan's villages with their enumerators' shares."""
    return list(
        PlanVillage.objects.filter(plan=plan)
        .select_related("village")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=RouteAssignment.objects.select_related("enumerator").order_by(
                    "enumerator__username"
                ),
            )
        )
        .order_by("village__code")
    )


def route_sheet(*, round: Round, enumerator: Any) -> list[RouteAssignment]:
    """One enumerator's villages in a round, with their quotas."""
    return list(
        RouteAssignment.objects.filter(
            village__plan__round=round, village__plan__allocated=True, enumerator=enumerator
        )
        .select_related("village", "village__village")
        .order_by("village__village__code")
    )


# --- Interviews --------------------------------------------------------------------------


@dataclass
class QuotaRow:
    """Planned and done interviews of one village (and one enumerator, on a route)."""

    village: Territory | None
    enumerator: Any = None
    planned: int = 0
    planned_men: int = 0
    planned_women: int = 0
    done: int = 0
    done_men: int = 0
    done_women: int = 0

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.planned)) if self.planned else 0

    @property
    def left(self) -> int:
        return max(0, self.planned - self.done)


@dataclass
class QuotaProgress:
    villages: list[QuotaRow] = field(default_factory=list)
    routes: list[QuotaRow] = field(default_factory=list)
    total: QuotaRow = field(default_factory=lambda: QuotaRow(village=None))
    unplaced: int = 0  # interviews without a village of the plan


def quota_progress(*, round: Round, enumerator: Any = None) -> QuotaProgress:
    """Interviews done against the plan's quotas, per village and per enumerator's route
    (only `enumerator`'s own when given). Two queries whatever the size of the round."""
    counts = Interview.objects.filter(round=round)
    if enumerator is not None:
        counts = counts.filter(enumerator=enumerator)
    done: dict[tuple[int | None, int | None], dict[str, int]] = {}
    for count in counts.values("village_id", "enumerator_id", "sex").annotate(n=Count("pk")):
        bucket = done.setdefault((count["village_id"], count["enumerator_id"]), {})
        bucket[count["sex"]] = bucket.get(count["sex"], 0) + count["n"]
    progress = QuotaProgress()
    plan = plan_get(round=round)
    villages = [v for v in plan_villages(plan=plan) if not v.excluded] if plan else []
    placed: set[int] = set()
    for village in villages:
        placed.add(village.village_id)
        row = QuotaRow(
            village=village.village,
            planned=village.sample or 0,
            planned_men=village.men or 0,
            planned_women=village.women or 0,
        )
        for (village_id, _enumerator_id), by_sex in done.items():
            if village_id == village.village_id:
                _add_done(row, by_sex)
        progress.villages.append(row)
        for share in village.assignments.all():
            if enumerator is not None and share.enumerator_id != enumerator.pk:
                continue
            route = QuotaRow(
                village=village.village,
                enumerator=share.enumerator,
                planned=share.interviews,
                planned_men=share.men,
                planned_women=share.women,
            )
            _add_done(route, done.get((village.village_id, share.enumerator_id), {}))
            progress.routes.append(route)
    for (village_id, _enumerator_id), by_sex in done.items():
        if village_id not in placed:
            progress.unplaced += sum(by_sex.values())
    total = progress.total
    for village_row in progress.villages:
        total.planned += village_row.planned
        total.planned_men += village_row.planned_men
        total.planned_women += village_row.planned_women
    for by_sex in done.values():
        _add_done(total, by_sex)
    return progress


def _add_done(row: QuotaRow, by_sex: dict[str, int]) -> None:
    row.done += sum(by_sex.values())
    row.done_men += by_sex.get("male", 0)
    row.done_women += by_sex.get("female", 0)


def interview_list(*, round: Round) -> QuerySet[Interview]:
    return Interview.objects.filter(round=round).select_related("enumerator", "village")


def interview_count(*, round: Round) -> int:
    return Interview.objects.filter(round=round).count()


def import_list(*, round: Round) -> QuerySet[InterviewImport]:
    return InterviewImport.objects.filter(round=round).select_related("created_by")
