"""Interviews in the API: the form a phone caches, sending interviews (idempotent by the
interview id made on the phone), reading them back, and progress against quotas.

The phone form uses these same paths with the session (and its CSRF token); scripts and
other tools use a token.
"""

from __future__ import annotations

import datetime
import uuid as uuid_module
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from aimak.accounts.api_auth import TokenAuth

from .answers import form_tree
from .collection import InterviewRefused, interview_submit
from .models import InterviewSource, Round
from .rules import manages_round
from .selectors import interview_list, quota_progress

router = Router(tags=["interviews"])
AUTH = [TokenAuth(), django_auth]


class FormOut(Schema):
    round: int
    municipality: str = Field(description="SOATE code")
    status: str
    language: str
    questionnaire: int
    version: int
    items: list[dict[str, Any]] = Field(
        description=(
            "Groups and questions in form order, labels in the language asked; `relevant` "
            "and `constraint` are expression trees (see aimak/surveys/expressions.py)"
        )
    )


class InterviewIn(Schema):
    id: uuid_module.UUID = Field(description="Made on the phone before the first answer")
    answers: dict[str, Any] = Field(description="Question name: value (see answers.py)")
    source: str = Field(default="api", description="phone, paper or api")
    started_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None


class InterviewSaved(Schema):
    id: uuid_module.UUID
    created: bool = Field(description="False when this id was already stored")
    received_at: datetime.datetime


class ProblemOut(Schema):
    question: str
    message: str
    value: str


class RefusedOut(Schema):
    detail: str
    problems: list[ProblemOut]


class InterviewOut(Schema):
    id: uuid_module.UUID
    source: str
    enumerator: str | None
    village: str | None = Field(description="SOATE code")
    sex: str
    answers: dict[str, Any]
    version: int
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    received_at: datetime.datetime


class InterviewPage(Schema):
    count: int
    offset: int
    items: list[InterviewOut]


class QuotaOut(Schema):
    village: str | None = Field(description="SOATE code")
    enumerator: str | None
    planned: int
    planned_men: int
    planned_women: int
    done: int
    done_men: int
    done_women: int


class ProgressOut(Schema):
    total: QuotaOut
    villages: list[QuotaOut]
    routes: list[QuotaOut]
    unplaced: int = Field(description="Interviews whose village is not in the plan")


class PageQuery(Schema):
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=1000)


def _round(request, pk: int, perm: str) -> Round:
    round = get_object_or_404(
        Round.objects.select_related("municipality", "version", "version__questionnaire"), pk=pk
    )
    if not request.user.has_perm(perm, round):
        raise PermissionDenied(_("You may not work on this round."))
    return round


@router.get(
    "/rounds/{pk}/form",
    response=FormOut,
    auth=AUTH,
    summary="The round's form as the phone form reads it, in one language",
)
def round_form(request, pk: int, lang: str = "ru"):
    round = _round(request, pk, "surveys.collect")
    language = lang if lang in ("ky", "ru", "en") else "ru"
    return {
        "round": round.pk,
        "municipality": round.municipality.code,
        "status": round.status,
        "language": language,
        "questionnaire": round.version.questionnaire_id,
        "version": round.version.number,
        "items": form_tree(round.version.form, language),
    }


@router.post(
    "/rounds/{pk}/interviews",
    response={200: InterviewSaved, 201: InterviewSaved, 422: RefusedOut},
    auth=AUTH,
    summary="Send one interview; the same id sent again is stored once (200, created false)",
)
def send_interview(request, pk: int, data: InterviewIn):
    round = _round(request, pk, "surveys.collect")
    source = data.source if data.source in InterviewSource.values else InterviewSource.API
    if source == InterviewSource.IMPORT:
        source = InterviewSource.API
    try:
        result = interview_submit(
            round=round,
            interview_id=data.id,
            answers=data.answers,
            user=request.user,
            source=source,
            started_at=data.started_at,
            completed_at=data.completed_at,
        )
    except InterviewRefused as refused:
        return Status(
            422,
            {
                "detail": refused.messages[0],
                "problems": [
                    {"question": p.question, "message": p.message, "value": p.value}
                    for p in refused.problems
                ],
            },
        )
    interview = result.interview
    return Status(
        201 if result.created else 200,
        {"id": interview.uuid, "created": result.created, "received_at": interview.received_at},
    )


@router.get(
    "/rounds/{pk}/interviews",
    response=InterviewPage,
    auth=AUTH,
    summary="A round's interviews (managers see all, an enumerator their own), oldest first",
)
def list_interviews(request, pk: int, page: Query[PageQuery]):
    round = _round(request, pk, "surveys.view_round")
    qs = interview_list(round=round).select_related("version")
    if not manages_round(request.user, round):
        qs = qs.filter(enumerator=request.user)
    count = qs.count()
    items = [
        {
            "id": i.uuid,
            "source": i.source,
            "enumerator": i.enumerator.username if i.enumerator else None,
            "village": i.village.code if i.village else None,
            "sex": i.sex,
            "answers": i.answers,
            "version": i.version.number,
            "started_at": i.started_at,
            "completed_at": i.completed_at,
            "received_at": i.received_at,
        }
        for i in qs.order_by("pk")[page.offset : page.offset + page.limit]
    ]
    return {"count": count, "offset": page.offset, "items": items}


def _quota(row: Any) -> dict[str, Any]:
    return {
        "village": row.village.code if row.village else None,
        "enumerator": row.enumerator.username if row.enumerator else None,
        "planned": row.planned,
        "planned_men": row.planned_men,
        "planned_women": row.planned_women,
        "done": row.done,
        "done_men": row.done_men,
        "done_women": row.done_women,
    }


@router.get(
    "/rounds/{pk}/progress",
    response=ProgressOut,
    auth=AUTH,
    summary="Interviews done against the sample plan's quotas, per village and per route",
)
def round_progress(request, pk: int):
    round = _round(request, pk, "surveys.view_round")
    mine = None if manages_round(request.user, round) else request.user
    progress = quota_progress(round=round, enumerator=mine)
    return {
        "total": _quota(progress.total),
        "villages": [_quota(r) for r in progress.villages],
        "routes": [_quota(r) for r in progress.routes],
        "unplaced": progress.unplaced,
    }
