"""Reads of questionnaires, filtered the way the permissions in rules.py decide."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet

from aimak.accounts.models import Role
from aimak.accounts.predicates import active_roles, national_role
from aimak.accounts.selectors import municipalities_with_role
from aimak.catalogue.models import Service
from aimak.territories.models import Territory

from .models import Questionnaire, QuestionnaireVersion, VersionStatus
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
