"""Action plans in the API: recommendations with their actions and progress (anonymous:
published only; members of the municipality: all), and writes with a token and the same
permission as the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from aimak.accounts.api_auth import TokenAuth
from aimak.accounts.models import User
from aimak.catalogue.models import Service
from aimak.events.models import Event
from aimak.surveys.models import Round
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Action, ActionStatus, Recommendation
from .selectors import (
    action_get,
    evidence_by_action,
    recommendation_get,
    recommendation_list,
    status_list,
)
from .services import (
    EvidenceIn,
    action_create,
    action_set_status,
    milestone_add,
    recommendation_create,
    status_save,
    verification_add,
)

router = Router(tags=["action plans"])


class OptionalTokenAuth(TokenAuth):
    """A bearer token when one is sent (then it must be valid); anonymous otherwise."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.headers.get("Authorization"):
            return True
        return super().__call__(request)


class StatusOut(Schema):
    key: str
    name: str = Field(description="In the request's language")
    name_ky: str
    name_ru: str
    name_en: str
    default_progress: int = Field(description="Percent, when no milestone gives one")
    is_open: bool = Field(description="Open actions past their deadline are overdue")
    excluded: bool = Field(description="Left out of progress (cancelled)")
    order: int


class EvidenceOut(Schema):
    kind: str = Field(description="photo, document or link")
    title: str
    url: str = Field(description="The link, or the file's address")


class ActionOut(Schema):
    id: int
    title: str
    title_ky: str
    title_ru: str
    title_en: str
    responsible: str
    deadline: datetime.date
    budget: Decimal | None = Field(description="Som")
    funding_source: str
    status: str = Field(description="Status key")
    weight: Decimal | None
    progress: Decimal = Field(description="Percent, computed")
    overdue: bool
    verification: str = Field(description="verified, disputed or empty")
    evidence: list[EvidenceOut]


class RecommendationOut(Schema):
    id: int
    municipality: str = Field(description="SOATE code")
    title: str
    title_ky: str
    title_ru: str
    title_en: str
    text: str
    source: str = Field(description="crc_finding, hearing, focus_group, study or programme")
    round: int | None = Field(description="Report-card round id (crc_finding)")
    service: str | None = Field(description="Service slug (crc_finding)")
    index: str = Field(description="Index (rating question) name (crc_finding)")
    finding_value: str
    event: int | None = Field(description="Event id (hearing, focus_group)")
    reference: str = Field(description="Study or programme (study, programme)")
    priority: str
    published: bool
    progress: Decimal = Field(description="Percent, the weighted mean of its actions")
    actions: list[ActionOut]


class RecommendationIn(Schema):
    title_ky: str = ""
    title_ru: str = ""
    title_en: str = ""
    text_ky: str = ""
    text_ru: str = ""
    text_en: str = ""
    source: str = Field(description="crc_finding, hearing, focus_group, study or programme")
    round: int | None = None
    service: str | None = Field(None, description="Service slug")
    index: str = ""
    finding_value: str = ""
    event: int | None = None
    reference: str = ""
    priority: str = "medium"
    published: bool = False


class ActionIn(Schema):
    title_ky: str = ""
    title_ru: str = ""
    title_en: str = ""
    responsible: str
    responsible_user: str | None = Field(None, description="Username (staff or deputy)")
    deadline: datetime.date
    budget: Decimal | None = None
    funding_source: str = ""
    status: str = Field("planned", description="Status key")
    weight: Decimal | None = None


class StatusChangeIn(Schema):
    status: str = Field(description="Status key")
    note: str = ""


class LinkIn(Schema):
    url: str
    title: str = ""


class MilestoneIn(Schema):
    date: datetime.date
    progress: int = Field(ge=0, le=100)
    note: str = ""
    links: list[LinkIn] = Field(default_factory=list, description="Evidence links")


class MilestoneOut(Schema):
    id: int
    action: ActionOut


class VerificationIn(Schema):
    verdict: str = Field(description="verified or disputed")
    comment: str = ""
    links: list[LinkIn] = Field(default_factory=list, description="Evidence links")


class StatusIn(Schema):
    key: str
    name_ky: str
    name_ru: str
    name_en: str = ""
    default_progress: int = Field(ge=0, le=100)
    is_open: bool
    excluded: bool = False
    order: int = 0


def _evidence(e: Any) -> dict[str, str]:
    return {"kind": e.kind, "title": e.title, "url": e.url or (e.file.url if e.file else "")}


def _action(a: Action, evidence: dict[int, list[Any]]) -> dict[str, Any]:
    return {
        "id": a.pk,
        "title": a.title,
        "title_ky": a.title_ky or "",
        "title_ru": a.title_ru or "",
        "title_en": a.title_en or "",
        "responsible": a.responsible,
        "deadline": a.deadline,
        "budget": a.budget,
        "funding_source": a.funding_source,
        "status": a.status.key,
        "weight": a.weight,
        "progress": a.progress,
        "overdue": a.is_overdue(),
        "verification": a.verification,
        "evidence": [_evidence(e) for e in evidence.get(a.pk, [])],
    }


def _recommendations(recs: list[Recommendation], code: str) -> list[dict[str, Any]]:
    actions = {r.pk: list(r.actions.all()) for r in recs}
    evidence = evidence_by_action(action_ids=[a.pk for acts in actions.values() for a in acts])
    return [
        {
            "id": r.pk,
            "municipality": code,
            "title": r.title,
            "title_ky": r.title_ky or "",
            "title_ru": r.title_ru or "",
            "title_en": r.title_en or "",
            "text": r.text,
            "source": r.source,
            "round": r.round_id,
            "service": r.service.slug if r.service else None,
            "index": r.index,
            "finding_value": r.finding_value,
            "event": r.event_id,
            "reference": r.reference,
            "priority": r.priority,
            "published": r.published,
            "progress": r.progress,
            "actions": [_action(a, evidence) for a in actions[r.pk]],
        }
        for r in recs
    ]


def _one(pk: int) -> dict[str, Any]:
    rec = recommendation_get(pk=pk)
    recs = list(
        recommendation_list(municipality=rec.municipality, published_only=False).filter(pk=pk)
    )
    return _recommendations(recs, rec.municipality.code)[0]


def _municipality(code: str) -> Territory:
    return get_object_or_404(Territory, code=code, level__in=MUNICIPAL_LEVELS)


def _check_edit(request: HttpRequest, municipality: Territory) -> None:
    if not request.user.has_perm("plans.edit_plan", municipality):
        raise PermissionDenied(_("You may not change the action plan of this municipality."))


def _status(key: str) -> ActionStatus:
    found = status_list().filter(key=key).first()
    if found is None:
        raise ValidationError(_("Unknown status “%(key)s”.") % {"key": key})
    return found


@router.get(
    "/municipalities/{code}/recommendations",
    response=list[RecommendationOut],
    auth=OptionalTokenAuth(),
    summary="A municipality's recommendations with their actions and progress",
    description="Anyone: the published ones. Members of the municipality and national "
    "programme roles (with a token): all of them.",
)
def list_recommendations(request: HttpRequest, code: str) -> Any:
    municipality = _municipality(code)
    members = request.user.has_perm("plans.view_plan", municipality)
    recs = list(recommendation_list(municipality=municipality, published_only=not members))
    return _recommendations(recs, code)


@router.get(
    "/recommendations/{pk}",
    response=RecommendationOut,
    auth=OptionalTokenAuth(),
    summary="One recommendation with its actions, progress, evidence and verdicts",
)
def get_recommendation(request: HttpRequest, pk: int) -> Any:
    try:
        rec = recommendation_get(pk=pk)
    except Recommendation.DoesNotExist:
        raise Http404 from None
    if not rec.published and not request.user.has_perm("plans.view_plan", rec.municipality):
        raise Http404
    return _one(pk)


@router.post(
    "/municipalities/{code}/recommendations",
    auth=TokenAuth(),
    response={201: RecommendationOut},
    summary="Create a recommendation (staff of the municipality)",
)
def create_recommendation(request: HttpRequest, code: str, data: RecommendationIn) -> Any:
    municipality = _municipality(code)
    _check_edit(request, municipality)
    values = data.model_dump()
    round_pk, service_slug, event_pk = (
        values.pop("round"),
        values.pop("service"),
        values.pop("event"),
    )
    round = Round.objects.filter(pk=round_pk).first() if round_pk else None
    service = Service.objects.filter(slug=service_slug).first() if service_slug else None
    event = Event.objects.filter(pk=event_pk).first() if event_pk else None
    if round_pk and round is None:
        raise ValidationError(_("No such round."))
    if service_slug and service is None:
        raise ValidationError(_("Unknown service."))
    if event_pk and event is None:
        raise ValidationError(_("No such event."))
    rec = recommendation_create(
        municipality=municipality,
        user=request.user,
        round=round,
        service=service,
        event=event,
        **values,
    )
    return Status(201, _one(rec.pk))


def _recommendation_for_edit(request: HttpRequest, pk: int) -> Recommendation:
    rec: Recommendation = get_object_or_404(
        Recommendation.objects.select_related("municipality"), pk=pk
    )
    _check_edit(request, rec.municipality)
    return rec


def _action_for(request: HttpRequest, pk: int, perm: str) -> Action:
    try:
        action = action_get(pk=pk)
    except Action.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm(perm, action.recommendation.municipality):
        if perm == "plans.verify":
            raise PermissionDenied(
                _("Only monitoring-group members of this municipality may verify its actions.")
            )
        raise PermissionDenied(_("You may not change the action plan of this municipality."))
    return action


@router.post(
    "/recommendations/{pk}/actions",
    auth=TokenAuth(),
    response={201: RecommendationOut},
    summary="Add an action to a recommendation (staff of the municipality)",
)
def create_action(request: HttpRequest, pk: int, data: ActionIn) -> Any:
    rec = _recommendation_for_edit(request, pk)
    values = data.model_dump()
    username = values.pop("responsible_user")
    user = None
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("Unknown people: %(names)s.") % {"names": username})
    action_create(
        recommendation=rec,
        user=request.user,
        responsible_user=user,
        status=_status(values.pop("status")),
        **values,
    )
    return Status(201, _one(rec.pk))


@router.post(
    "/actions/{pk}/status",
    auth=TokenAuth(),
    response=RecommendationOut,
    summary="Change an action's status (staff of the municipality); kept in its history",
)
def change_status(request: HttpRequest, pk: int, data: StatusChangeIn) -> Any:
    action = _action_for(request, pk, "plans.edit_plan")
    action_set_status(action=action, status=_status(data.status), user=request.user, note=data.note)
    return _one(action.recommendation_id)


@router.post(
    "/actions/{pk}/milestones",
    auth=TokenAuth(),
    response={201: RecommendationOut},
    summary="Record progress on an action, with evidence links (staff of the municipality)",
)
def add_milestone(request: HttpRequest, pk: int, data: MilestoneIn) -> Any:
    action = _action_for(request, pk, "plans.edit_plan")
    milestone_add(
        action=action,
        user=request.user,
        date=data.date,
        progress=data.progress,
        note=data.note,
        evidence=[EvidenceIn(url=link.url, title=link.title) for link in data.links],
    )
    return Status(201, _one(action.recommendation_id))


@router.post(
    "/actions/{pk}/verifications",
    auth=TokenAuth(),
    response={201: RecommendationOut},
    summary="Verify or dispute an action reported done (monitoring group of the municipality)",
)
def add_verification(request: HttpRequest, pk: int, data: VerificationIn) -> Any:
    action = _action_for(request, pk, "plans.verify")
    verification_add(
        action=action,
        user=request.user,
        verdict=data.verdict,
        comment=data.comment,
        evidence=[EvidenceIn(url=link.url, title=link.title) for link in data.links],
    )
    return Status(201, _one(action.recommendation_id))


def _status_out(s: ActionStatus) -> dict[str, Any]:
    return {
        "key": s.key,
        "name": s.name,
        "name_ky": s.name_ky or "",
        "name_ru": s.name_ru or "",
        "name_en": s.name_en or "",
        "default_progress": s.default_progress,
        "is_open": s.is_open,
        "excluded": s.excluded,
        "order": s.order,
    }


@router.get(
    "/action-statuses",
    response=list[StatusOut],
    summary="The action statuses: default progress and whether each counts as open",
)
def list_statuses(request: HttpRequest) -> Any:
    return [_status_out(s) for s in status_list()]


@router.put(
    "/action-statuses/{key}",
    auth=TokenAuth(),
    response=StatusOut,
    summary="Create or change a status (system administrator, programme manager)",
    description="Every action in the status gets its progress recomputed.",
)
def put_status(request: HttpRequest, key: str, data: StatusIn) -> Any:
    if not request.user.has_perm("plans.manage_statuses", None):
        raise PermissionDenied(
            _("Only the system administrator or a programme manager may change the statuses.")
        )
    existing = status_list().filter(key=key).first()
    values = data.model_dump()
    values["key"] = key
    return _status_out(status_save(status=existing, user=request.user, **values))
