"""API of aimak.questions: public answered questions, the monthly 24-hour share, and token
writes (ask, answer, rate) with the same permissions and rate limits as the pages."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from aimak.accounts.api_auth import TokenAuth
from aimak.core.ratelimit import check_rate
from aimak.practices.models import Theme
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

from .models import Language, Question, Visibility
from .selectors import (
    public_questions,
    question_answers,
    question_clock,
    question_get,
    response_share_by_month,
)
from .services import answer_add, question_ask, question_rate

router = Router(tags=["questions and consultations"])


class PlaceOut(Schema):
    code: str
    name_ky: str | None
    name_ru: str | None


class QuestionOut(Schema):
    id: int
    url: str = Field(description="The question's page")
    title: str
    theme: str = Field(description="Theme slug (GET /practice-themes)")
    municipality: PlaceOut | None
    language: str
    visibility: str
    status: str
    asked_at: datetime.datetime
    due_at: datetime.datetime = Field(description="asked_at + 24 hours")
    first_response_at: datetime.datetime | None
    clock: str = Field(description="running, due_soon, overdue, in_time or late")
    rating: int | None

    @staticmethod
    def resolve_url(obj: Question) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_theme(obj: Question) -> str:
        return obj.theme.slug

    @staticmethod
    def resolve_clock(obj: Question) -> str:
        return question_clock(obj).state


class AnswerOut(Schema):
    id: int
    body: str = Field(description="Sanitised HTML")
    expert: str | None = Field(description="The expert's directory address (slug)")
    on_behalf_of: str | None = Field(description="The state body's name")
    published: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_expert(obj) -> str | None:
        return obj.expert.slug if obj.expert_id else None

    @staticmethod
    def resolve_on_behalf_of(obj) -> str | None:
        return obj.body_of.name if obj.body_of_id else None


class QuestionDetailOut(QuestionOut):
    body: str = Field(description="Sanitised HTML")
    rating_comment: str
    answers: list[AnswerOut]

    @staticmethod
    def resolve_answers(obj: Question) -> list:
        return list(question_answers(question=obj))


class QuestionQuery(Schema):
    q: str | None = Field(None, max_length=200, description="Words to find (any case)")
    theme: str | None = Field(None, description="Theme slug")


class QuestionIn(Schema):
    theme: str = Field(description="Theme slug (GET /practice-themes)")
    title: str = Field(min_length=10, max_length=300)
    body: str = Field("", max_length=10_000, description="Plain text or simple HTML (sanitised)")
    municipality: str | None = Field(None, description="SOATE code of the municipality")
    visibility: Visibility = Visibility.PUBLIC
    language: Language = Language.RU


class AnswerIn(Schema):
    body: str = Field(min_length=2, max_length=10_000)
    published: bool = True


class RatingIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=2000)


class MonthShareOut(Schema):
    month: datetime.date = Field(description="First day of the month of asking")
    asked: int
    answered_in_time: int
    share: float | None = Field(description="answered_in_time / asked; null with none asked")


def _theme(slug: str | None) -> Theme | None:
    if not slug:
        return None
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise Http404(f"No theme {slug}")
    return theme


def _question(request, pk: int) -> Question:
    try:
        return question_get(pk=pk, user=request.user)
    except Question.DoesNotExist as exc:
        raise Http404("There is no such question, or it is not public.") from exc


@router.get(
    "/questions",
    response=list[QuestionOut],
    summary="Search or list answered public questions",
    description="Public questions with a published answer, newest answer first.",
)
@paginate(LimitOffsetPagination)
def list_questions(request, filters: Query[QuestionQuery]):
    return public_questions(query=filters.q or "", theme=_theme(filters.theme))


@router.get(
    "/questions/monthly-share",
    response=list[MonthShareOut],
    summary="Share of questions answered within 24 hours, per month",
    description="Per month of asking, newest first: asked, answered within 24 hours, share.",
)
def monthly_share(request, months: int = Query(12, ge=1, le=60)):
    return response_share_by_month(months=months)


@router.get(
    "/questions/{pk}",
    response=QuestionDetailOut,
    summary="One question with its published answers",
    description="An answered public question; with a token also your own questions, those "
    "routed to you, or any for the content administrator.",
    auth=[TokenAuth(), lambda request: True],
)
def get_question(request, pk: int):
    return _question(request, pk)


@router.post(
    "/questions",
    response={201: QuestionDetailOut},
    summary="Ask a question",
    description="Any registered user with a token. The first answer is due within 24 hours.",
    auth=TokenAuth(),
)
def ask_question(request, payload: QuestionIn):
    if not request.user.has_perm("questions.ask"):
        raise PermissionDenied("Sign in to ask a question.")
    theme = _theme(payload.theme)
    municipality = None
    if payload.municipality:
        municipality = Territory.objects.filter(
            code=payload.municipality, level__in=MUNICIPAL_LEVELS
        ).first()
        if municipality is None:
            raise ValidationError("Unknown municipality.")
    check_rate(request, group="question")
    question = question_ask(
        author=request.user,
        theme=theme,
        title=payload.title,
        body=payload.body,
        municipality=municipality,
        visibility=payload.visibility,
        language=payload.language,
    )
    return Status(201, question)


@router.post(
    "/questions/{pk}/answers",
    response={201: AnswerOut},
    summary="Answer a question",
    description="The expert the question is routed to, or the content administrator.",
    auth=TokenAuth(),
)
def answer_question(request, pk: int, payload: AnswerIn):
    question = _question(request, pk)
    if not request.user.has_perm("questions.answer", question):
        raise PermissionDenied("Only the routed expert or the content administrator may answer.")
    check_rate(request, group="answer")
    return Status(
        201,
        answer_add(
            question=question, by=request.user, body=payload.body, published=payload.published
        ),
    )


@router.post(
    "/questions/{pk}/rating",
    response=QuestionDetailOut,
    summary="Rate the answer (the asker only)",
    description="The asker rates the answers 1–5 with an optional comment; anyone else gets "
    "403, a question without an answer 403.",
    auth=TokenAuth(),
)
def rate_question(request, pk: int, payload: RatingIn):
    question = _question(request, pk)
    if question.author_id != request.user.pk:
        raise PermissionDenied("Only the person who asked may rate the answer.")
    check_rate(request, group="vote")
    return question_rate(
        question=question, by=request.user, rating=payload.rating, comment=payload.comment
    )
