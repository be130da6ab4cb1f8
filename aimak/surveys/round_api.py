"""Rounds in the API: read with their sample plan and allocation; create and advance with
a token and the same permission as the pages (surveys.manage_rounds)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from aimak.accounts.api_auth import TokenAuth
from aimak.accounts.models import User
from aimak.catalogue.models import Service
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import QuestionnaireVersion, Round
from .rounds import round_advance, round_create
from .selectors import plan_get, plan_villages, round_list, round_members, round_visible

router = Router(tags=["rounds"])
READ_AUTH = [TokenAuth(), django_auth]


class RoundOut(Schema):
    id: int
    municipality: str = Field(description="SOATE code")
    status: str = Field(description="planning, collecting, closed or published")
    start_date: datetime.date
    end_date: datetime.date
    questionnaire: int = Field(description="Questionnaire id")
    version: int = Field(description="Version number")
    services: list[str] = Field(description="Service slugs")


class MemberOut(Schema):
    username: str
    role: str


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: datetime.datetime
    by: str | None


class ShareOut(Schema):
    enumerator: str
    interviews: int
    men: int
    women: int


class VillageOut(Schema):
    code: str
    name: str
    figure: int | None = Field(description="Population or households, in the plan's unit")
    figure_year: int | None
    figure_source: str
    excluded: bool
    interviews: int | None
    men: int | None
    women: int | None
    enumerators: list[ShareOut]


class PlanOut(Schema):
    margin: float = Field(description="Margin of error, percent")
    confidence: int = Field(description="Confidence level, percent")
    design_effect: float
    proportion: float
    unit: str = Field(description="households or persons")
    household_size: float
    population: int = Field(description="Municipality's population (persons) used")
    population_year: int | None
    population_source: str
    frame_size: int = Field(description="N in the sampling unit")
    sample_size: int
    men_share: float = Field(description="Percent of men in the quotas")
    allocated: bool
    villages: list[VillageOut]


class RoundDetailOut(RoundOut):
    members: list[MemberOut]
    transitions: list[TransitionOut]
    plan: PlanOut | None


class RoundIn(Schema):
    questionnaire: int = Field(description="Questionnaire id (of this municipality)")
    version: int = Field(description="A published version number")
    services: list[str] = Field(description="Service slugs")
    start_date: datetime.date
    end_date: datetime.date
    monitors: list[str] = Field(default_factory=list, description="Usernames")
    enumerators: list[str] = Field(default_factory=list, description="Usernames")


class StatusIn(Schema):
    status: str = Field(description="The next status: collecting, closed or published")


def _summary(round: Round) -> dict:
    return {
        "id": round.pk,
        "municipality": round.municipality.code,
        "status": round.status,
        "start_date": round.start_date,
        "end_date": round.end_date,
        "questionnaire": round.version.questionnaire_id,
        "version": round.version.number,
        "services": [s.slug for s in round.services.all()],
    }


def _detail(round: Round) -> dict:
    plan = plan_get(round=round)
    plan_out = None
    if plan is not None:
        plan_out = {
            "margin": float(plan.margin),
            "confidence": plan.confidence,
            "design_effect": float(plan.design_effect),
            "proportion": float(plan.proportion),
            "unit": plan.unit,
            "household_size": float(plan.household_size),
            "population": plan.population,
            "population_year": plan.population_year,
            "population_source": plan.population_source,
            "frame_size": plan.frame_size,
            "sample_size": plan.sample_size,
            "men_share": float(plan.men_share),
            "allocated": plan.allocated,
            "villages": [
                {
                    "code": v.village.code,
                    "name": v.village.name,
                    "figure": v.figure,
                    "figure_year": v.figure_year,
                    "figure_source": v.figure_source,
                    "excluded": v.excluded,
                    "interviews": v.sample,
                    "men": v.men,
                    "women": v.women,
                    "enumerators": [
                        {
                            "enumerator": a.enumerator.username,
                            "interviews": a.interviews,
                            "men": a.men,
                            "women": a.women,
                        }
                        for a in (v.assignments.all() if plan.allocated else [])
                    ],
                }
                for v in plan_villages(plan=plan)
            ],
        }
    return {
        **_summary(round),
        "members": [
            {"username": m.user.username, "role": m.role} for m in round_members(round=round)
        ],
        "transitions": [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "at": t.at,
                "by": t.by.username if t.by else None,
            }
            for t in round.transitions.select_related("by")
        ],
        "plan": plan_out,
    }


def _municipality(code: str) -> Territory:
    return get_object_or_404(Territory, code=code, level__in=MUNICIPAL_LEVELS)


@router.get(
    "/municipalities/{code}/rounds",
    response=list[RoundOut],
    auth=READ_AUTH,
    summary="A municipality's report-card rounds that you may see",
)
def list_rounds(request, code: str):
    municipality = _municipality(code)
    if not request.user.has_perm("surveys.view_rounds", municipality):
        raise PermissionDenied(_("You may not see the rounds of this municipality."))
    return [_summary(r) for r in round_list(user=request.user, municipality=municipality)]


@router.get(
    "/rounds/{pk}",
    response=RoundDetailOut,
    auth=READ_AUTH,
    summary="One round with its people, status history, sample plan and allocation",
)
def get_round(request, pk: int):
    round = get_object_or_404(Round.objects.select_related("municipality", "version"), pk=pk)
    if not request.user.has_perm("surveys.view_round", round):
        raise PermissionDenied(_("You may not see this round."))
    return _detail(get_object_or_404(round_visible(user=request.user), pk=pk))


def _users(usernames: list[str]) -> list[User]:
    found = {u.username: u for u in User.objects.filter(username__in=usernames)}
    unknown = [name for name in usernames if name not in found]
    if unknown:
        raise ValidationError(_("Unknown people: %(names)s.") % {"names": ", ".join(unknown)})
    return [found[name] for name in usernames]


@router.post(
    "/municipalities/{code}/rounds",
    auth=TokenAuth(),
    response={201: RoundDetailOut},
    summary="Create a round in planning (staff and monitoring group of that municipality)",
)
def create_round(request, code: str, data: RoundIn):
    municipality = _municipality(code)
    if not request.user.has_perm("surveys.manage_rounds", municipality):
        raise PermissionDenied(_("You may not change the rounds of this municipality."))
    version = (
        QuestionnaireVersion.objects.filter(
            questionnaire_id=data.questionnaire, number=data.version
        )
        .select_related("questionnaire")
        .first()
    )
    if version is None:
        raise ValidationError(_("No such questionnaire version."))
    services = list(Service.objects.filter(slug__in=data.services))
    if len(services) != len(set(data.services)):
        raise ValidationError(_("Unknown service."))
    round = round_create(
        municipality=municipality,
        version=version,
        services=services,
        start_date=data.start_date,
        end_date=data.end_date,
        monitors=_users(data.monitors),
        enumerators=_users(data.enumerators),
        user=request.user,
    )
    return Status(201, _detail(round))


@router.post(
    "/rounds/{pk}/status",
    auth=TokenAuth(),
    response=RoundDetailOut,
    summary="Move a round one step forward: planning → collecting → closed → published",
)
def advance_round(request, pk: int, data: StatusIn):
    round = get_object_or_404(Round.objects.select_related("municipality"), pk=pk)
    if not request.user.has_perm("surveys.manage_rounds", round.municipality):
        raise PermissionDenied(_("You may not change the rounds of this municipality."))
    round_advance(round=round, to_status=data.status, user=request.user)
    return _detail(get_object_or_404(round_visible(user=request.user), pk=pk))
