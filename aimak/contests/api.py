"""API of contests: public reads, token votes and the token user's application."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from aimak.accounts.api_auth import TokenAuth
from aimak.core.ratelimit import check_rate

from . import selectors, services
from .models import Application, AppStatus, Contest, Stage

router = Router(tags=["contests"])


class ContestOut(Schema):
    slug: str
    number: str
    url: str
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    stage: str = Field(description="draft, announced, call, review, voting, closed or results")
    theme: str | None = Field(description="Theme slug")
    call_opens: datetime.datetime
    call_closes: datetime.datetime
    voting_opens: datetime.datetime
    voting_closes: datetime.datetime

    @staticmethod
    def resolve_url(obj: Contest) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_theme(obj: Contest) -> str | None:
        return obj.theme.slug if obj.theme else None


class ApplicationOut(Schema):
    id: int
    registration_number: str
    title: str
    municipality: str = Field(description="SOATE code")
    municipality_name: str
    votes: int | None = Field(description="Counted votes (from the voting stage on)")


class CriterionOut(Schema):
    name_ky: str | None
    name_ru: str | None
    name_en: str | None
    max_score: int
    weight: Decimal


class ContestDetailOut(ContestOut):
    description_ky: str | None = Field(description="Sanitised HTML")
    description_ru: str | None
    description_en: str | None
    regulations_url: str | None
    criteria: list[CriterionOut]
    applications: list[ApplicationOut] = Field(description="Registered applications only")

    @staticmethod
    def resolve_regulations_url(obj: Contest, context) -> str | None:
        if not obj.regulations:
            return None
        return context["request"].build_absolute_uri(f"{obj.get_absolute_url()}regulations/")

    @staticmethod
    def resolve_criteria(obj: Contest) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_applications(obj: Contest) -> list:
        return obj.api_applications  # type: ignore[attr-defined]


class VoteIn(Schema):
    application: int = Field(description="Id of a registered application of the contest")


class VoteOut(Schema):
    application: int
    votes: int = Field(description="Counted votes of the application after yours")


class MyApplicationOut(Schema):
    id: int
    url: str
    title: str
    municipality: str
    status: str
    registration_number: str
    answers: dict
    missing: list[str] = Field(description="Required questions not answered yet")


class ResultOut(Schema):
    rank: int
    application: ApplicationOut
    jury_score: Decimal | None = Field(description="Mean over jury members of Σ score × weight")
    jury_share: Decimal | None = Field(description="Jury score as % of the maximum")
    jury_members: int
    place: int | None
    mention: bool


class ResultsOut(Schema):
    contest: ContestOut
    max_jury_score: Decimal
    results: list[ResultOut]


def _contest(request, slug: str) -> Contest:
    try:
        return selectors.contest_get(slug=slug, user=request.user)
    except Contest.DoesNotExist as exc:
        raise Http404 from exc


def _app_out(app: Application, votes: int | None) -> ApplicationOut:
    return ApplicationOut(
        id=app.pk, registration_number=app.registration_number, title=app.title,
        municipality=app.municipality.code, municipality_name=app.municipality.name, votes=votes,
    )  # fmt: skip


def _shows_votes(contest: Contest) -> bool:
    return contest.stage in (Stage.VOTING, Stage.CLOSED, Stage.RESULTS)


@router.get("/contests", response=list[ContestOut], summary="Contests",
            description="Announced contests, newest first, with their stage.")  # fmt: skip
def list_contests(request):
    return list(selectors.contests_visible(user=request.user).filter(announced_at__isnull=False))


@router.get("/contests/{slug}", response=ContestDetailOut, summary="One contest",
            description="A contest with its criteria and registered applications (and their "
            "counted votes from the voting stage on).")  # fmt: skip
def get_contest(request, slug: str):
    contest = _contest(request, slug)
    counts = selectors.vote_counts(contest=contest) if _shows_votes(contest) else None
    contest.api_applications = [  # type: ignore[attr-defined]
        _app_out(a, counts.get(a.pk, 0) if counts is not None else None)
        for a in selectors.registered_applications(contest=contest)
    ]
    return contest


@router.post("/contests/{slug}/vote", response={201: VoteOut}, auth=TokenAuth(),
             summary="Vote",
             description="One vote per verified user per contest, during the voting window. "
             "422 with the reason when refused (already voted, voting closed); 403 when not "
             "verified; 429 past the rate limit.")  # fmt: skip
def vote(request, slug: str, payload: VoteIn):
    check_rate(request, group="vote")
    contest = _contest(request, slug)
    application = contest.applications.filter(pk=payload.application).first()
    if application is None:
        raise ValidationError(_("You can vote only for a registered application of this contest."))
    services.vote_cast(
        contest=contest, application=application, voter=request.user,
        ip=request.META.get("REMOTE_ADDR", ""),
    )  # fmt: skip
    votes = selectors.vote_counts(contest=contest).get(application.pk, 0)
    return 201, VoteOut(application=application.pk, votes=votes)


@router.get("/contests/{slug}/my-application", response=list[MyApplicationOut], auth=TokenAuth(),
            summary="My municipality's application",
            description="The applications of the municipalities where the token's user is "
            "staff, drafts included.")  # fmt: skip
def my_application(request, slug: str):
    contest = _contest(request, slug)
    return [
        MyApplicationOut(
            id=a.pk,
            url=a.get_absolute_url(),
            title=a.title,
            municipality=a.municipality.code,
            status=a.status,
            registration_number=a.registration_number,
            answers=a.answers,
            missing=services.missing_answers(a) if a.status == AppStatus.DRAFT else [],
        )
        for a in selectors.my_applications(contest=contest, user=request.user)
    ]


@router.get("/contests/{slug}/results", response=ResultsOut, summary="Results",
            description="The published ranking: jury scores, counted votes, winners. 404 "
            "until the results are published.")  # fmt: skip
def results(request, slug: str):
    contest = _contest(request, slug)
    if contest.stage != Stage.RESULTS:
        raise Http404
    criteria, rows = selectors.contest_results(contest=contest)
    return {
        "contest": contest,
        "max_jury_score": selectors.max_total(criteria),
        "results": [
            ResultOut(
                rank=r.rank,
                application=_app_out(r.application, r.votes),
                jury_score=r.jury_total,
                jury_share=r.jury_percent,
                jury_members=r.jury_count,
                place=r.application.place,
                mention=r.application.mention,
            )
            for r in rows
        ],
    }
