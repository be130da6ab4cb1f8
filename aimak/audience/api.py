"""API of aimak.audience: the portal indicators (public), the per-category figures (token,
dashboard viewers), and the surveys a user may answer (token)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from aimak.accounts.api_auth import TokenAuth
from aimak.core.ratelimit import check_rate

from .forms import MAX_PERIOD_DAYS
from .models import FeedbackSurvey
from .selectors import (
    Period,
    answered_survey_ids,
    audience_report,
    portal_indicators,
    survey_get,
    survey_questions,
    surveys_open_for,
)
from .services import response_submit

router = Router(tags=["audience monitoring and portal indicators"])


# --- portal indicators --------------------------------------------------------------------


class PracticeMonthOut(Schema):
    month: datetime.date = Field(description="First day of the month")
    published: int
    international: int
    met: bool


class ResponseMonthOut(Schema):
    month: datetime.date
    asked: int
    answered_in_time: int = Field(description="First answer within 24 hours")
    share: float | None = Field(description="answered_in_time / asked; null when none asked")
    met: bool | None


class IssueOut(Schema):
    number: int
    overall_number: int
    date: datetime.date
    url: str
    articles: int = Field(description="Published articles of the issue")
    met: bool


class NewsMonthOut(Schema):
    month: datetime.date
    days_with_news: int = Field(description="Days with at least one published news item")
    days: int = Field(description="Days of the month (so far, for the current month)")
    share: float
    met: bool


class IndicatorsOut(Schema):
    as_of: datetime.date
    practices_target: int = Field(description="Practices to publish each month")
    practices_international_target: int
    practices: list[PracticeMonthOut] = Field(description="Newest month first")
    response_target_share: float
    responses: list[ResponseMonthOut] | None = Field(
        description="null while the questions service does not give this figure"
    )
    issue_articles_target: int
    issues: list[IssueOut]
    news: list[NewsMonthOut]


@router.get(
    "/audience/indicators",
    response=IndicatorsOut,
    summary="Portal indicators (development plan targets)",
    description="The last 12 months, newest first: practices published per month, the share "
    "of questions answered within 24 hours, articles per magazine issue and days with news. "
    "Public; no personal data.",
)
def indicators(request):
    data = portal_indicators()
    return {
        "as_of": data.today,
        "practices_target": data.practices_target,
        "practices_international_target": data.practices_international_target,
        "practices": [
            {"month": m.month, "published": m.published, "international": m.international,
             "met": m.met}
            for m in data.practices
        ],
        "response_target_share": data.response_target,
        "responses": None
        if data.responses is None
        else [
            {"month": m.month, "asked": m.asked, "answered_in_time": m.answered_in_time,
             "share": m.share, "met": m.met}
            for m in data.responses
        ],
        "issue_articles_target": data.issue_target,
        "issues": [
            {"number": i.number, "overall_number": i.overall_number, "date": i.date,
             "url": i.url, "articles": i.articles, "met": i.met}
            for i in data.issues
        ],
        "news": [
            {"month": m.month, "days_with_news": m.days_with_news, "days": m.days,
             "share": m.share, "met": m.met}
            for m in data.news
        ],
    }  # fmt: skip


# --- per-category figures -----------------------------------------------------------------


class PeriodQuery(Schema):
    since: datetime.date | None = Field(None, description="First day (default: 30 days ago)")
    until: datetime.date | None = Field(None, description="Last day, included (default: today)")


class CategoryOut(Schema):
    category: str = Field(description="Audience category key; empty for the total")
    label: str
    registered: int
    new: int = Field(description="Joined in the period")
    active: int = Field(description="Did at least one counted action in the period")
    actions: dict[str, int | None] = Field(description="Per source; null: not available")
    responses: int
    satisfaction_mean: float | None
    satisfaction_n: int
    satisfaction_marks: dict[str, int] = Field(description="How many gave each mark 1–5")


class NeedOut(Schema):
    key: str
    label: str
    total: int
    by_category: dict[str, int]


class SourceOut(Schema):
    key: str
    label: str
    available: bool


class AudienceOut(Schema):
    since: datetime.date
    until: datetime.date
    sources: list[SourceOut]
    categories: list[CategoryOut]
    total: CategoryOut
    needs: list[NeedOut]


def _category(row: Any) -> dict[str, Any]:
    return {
        "category": row.category,
        "label": str(row.label),
        "registered": row.registered,
        "new": row.new,
        "active": row.active,
        "actions": row.actions,
        "responses": row.responses,
        "satisfaction_mean": None if row.satisfaction is None else round(row.satisfaction, 3),
        "satisfaction_n": row.rated,
        "satisfaction_marks": {str(mark): n for mark, n in row.distribution},
    }


@router.get(
    "/audience/categories",
    response=AudienceOut,
    summary="Audience figures per category",
    description="Registered, new and active users, actions per source, survey responses, "
    "satisfaction and needs per audience category over a period. For the client-base "
    "administrator, the content administrator and programme managers.",
    auth=TokenAuth(),
)
def categories(request, period: Query[PeriodQuery]):
    if not request.user.has_perm("audience.view_dashboard"):
        raise PermissionDenied(_("This page is for the client-base administrator."))
    default = Period.last_days(30)
    since, until = period.since or default.since, period.until or default.until
    if until < since:
        raise ValidationError(_("The end of the period is before its start."))
    if (until - since).days > MAX_PERIOD_DAYS:
        raise ValidationError(_("Choose a period of at most five years."))
    report = audience_report(period=Period(since, until))
    return {
        "since": since,
        "until": until,
        "sources": [
            {"key": s.key, "label": str(s.label), "available": s.available} for s in report.sources
        ],
        "categories": [_category(r) for r in report.rows],
        "total": _category(report.total),
        "needs": [
            {"key": n.key, "label": n.label, "total": n.total, "by_category": n.by_category}
            for n in report.needs
        ],
    }


# --- surveys ------------------------------------------------------------------------------


class ChoiceOut(Schema):
    key: str
    ky: str
    ru: str
    en: str


class QuestionOut(Schema):
    id: int
    kind: str = Field(description="rating (1–5), choice, multiple or text")
    measures: str = Field(description="satisfaction, needs or other")
    label_ky: str | None
    label_ru: str | None
    label_en: str | None
    required: bool
    choices: list[ChoiceOut]


class SurveyOut(Schema):
    id: int
    url: str
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    intro_ky: str | None
    intro_ru: str | None
    intro_en: str | None
    opens_on: datetime.date
    closes_on: datetime.date | None
    answered: bool = Field(description="True when the token's user has answered it")
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(
        description="Question id → a mark 1–5 (rating), a choice key (choice), a list of "
        "choice keys (multiple) or text"
    )


class ResponseOut(Schema):
    id: int
    survey: int
    created_at: datetime.datetime


def _survey_out(survey: FeedbackSurvey, answered: bool) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "url": survey.get_absolute_url(),
        **{f"{n}_{lang}": getattr(survey, f"{n}_{lang}") for n in ("title", "intro")
           for lang in ("ky", "ru", "en")},
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
        "answered": answered,
        "questions": [
            {"id": q.pk, "kind": q.kind, "measures": q.role, "label_ky": q.label_ky,
             "label_ru": q.label_ru, "label_en": q.label_en, "required": q.required,
             "choices": [{"key": c["key"], "ky": c.get("ky", ""), "ru": c.get("ru", ""),
                          "en": c.get("en", "")} for c in q.choices or []]}
            for q in survey_questions(survey=survey)
        ],
    }  # fmt: skip


@router.get(
    "/audience/surveys",
    response=list[SurveyOut],
    summary="Open surveys for the token's user",
    description="Feedback surveys open now and meant for the user's audience category, with "
    "their questions and whether the user has answered.",
    auth=TokenAuth(),
)
def list_surveys(request):
    surveys = list(surveys_open_for(user=request.user).prefetch_related("questions"))
    answered = answered_survey_ids(user=request.user, surveys=surveys)
    return [_survey_out(s, s.pk in answered) for s in surveys]


@router.post(
    "/audience/surveys/{survey_id}/responses",
    response={201: ResponseOut},
    summary="Answer a survey",
    description="One response per user and survey; answers are checked against the "
    "questions (422 with the problems). Rate-limited (group `feedback`).",
    auth=TokenAuth(),
)
def answer_survey(request, survey_id: int, payload: AnswersIn):
    try:
        survey = survey_get(pk=survey_id)
    except FeedbackSurvey.DoesNotExist as exc:
        raise Http404(_("There is no such survey.")) from exc
    check_rate(request, group="feedback")
    response = response_submit(
        survey=survey, user=request.user, answers=payload.answers, language=get_language()
    )
    return Status(201, {"id": response.pk, "survey": survey.pk, "created_at": response.created_at})
