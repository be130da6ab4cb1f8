"""Reads of audience monitoring and of the portal indicators.

Every figure comes from Aimak's own tables (no third-party tracker) and is counted with
aggregate queries: one query per figure and source, whatever the number of users, answers,
articles or news items. The other portal apps (questions, contests, learning, mentoring,
communities) give their activity through two functions of their `selectors` module
(`active_user_ids`, `activity_by_category`; see docs/audience.md); a source whose module or
function is missing is listed as "not available" instead of breaking the dashboard.
"""

from __future__ import annotations

import calendar
import datetime
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aimak.accounts.models import AudienceCategory, User
from aimak.events.models import Participant
from aimak.news.models import Article, Kind, MagazineIssue
from aimak.news.models import Status as ArticleStatus
from aimak.practices.models import PracticeTransition
from aimak.practices.models import Status as PracticeStatus
from aimak.practices.selectors import (
    MONTHLY_INTERNATIONAL_TARGET,
    MONTHLY_TARGET,
    MonthTarget,
    monthly_target,
)

from .models import (
    RATING_MAX,
    RATING_MIN,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackSurvey,
    QuestionRole,
)

logger = logging.getLogger(__name__)

CATEGORIES = list(AudienceCategory)
ISSUE_ARTICLES_TARGET = 2  # seed 004: "не менее 2 статей … для Журнала" in each issue
RESPONSE_TARGET_SHARE = 1.0  # seed 004: a response within 24 hours to every question
INDICATOR_MONTHS = 12


# --- periods ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days from `since` to `until`, both included, in the portal's time zone."""

    since: datetime.date
    until: datetime.date

    @classmethod
    def last_days(cls, days: int = 30, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - datetime.timedelta(days=days - 1), today)

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.since, datetime.time.min))

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the period."""
        day = self.until + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- the other apps' contracts ------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    available: bool


def _contract(app: str, name: str) -> Callable[..., Any] | None:
    """`aimak.<app>.selectors.<name>`, or None while that app does not provide it."""
    try:
        module = importlib.import_module(f"aimak.{app}.selectors")
    except ImportError:
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None


# Apps that give their activity through the contract, with what an action is in each.
CONTRACT_APPS: tuple[tuple[str, Any], ...] = (
    ("questions", _("Questions asked")),
    ("contests", _("Contest votes and applications")),
    ("learning", _("Lessons completed")),
    ("mentoring", _("Mentoring requests and offers")),
    ("communities", _("Community posts")),
)
# Counted here from the models of apps that were built before the contract.
LOCAL_SOURCES: tuple[tuple[str, Any], ...] = (
    ("practices", _("Practices submitted")),
    ("events", _("Event registrations")),
    ("feedback", _("Survey responses")),
)


def _practice_submissions(period: Period) -> QuerySet[Any]:
    return PracticeTransition.objects.filter(
        to_status=PracticeStatus.SUBMITTED, at__gte=period.start, at__lt=period.end
    )


def _event_registrations(period: Period) -> QuerySet[Any]:
    return Participant.objects.filter(
        registered_at__gte=period.start, registered_at__lt=period.end, user__isnull=False
    )


def _responses(period: Period) -> QuerySet[FeedbackResponse]:
    return FeedbackResponse.objects.filter(created_at__gte=period.start, created_at__lt=period.end)


def _local_user_ids(period: Period) -> list[QuerySet[Any]]:
    return [
        _practice_submissions(period).values(user_id=F("by_id")),
        _event_registrations(period).values("user_id"),
        _responses(period).filter(user__isnull=False).values("user_id"),
    ]


def _local_activity(period: Period) -> dict[str, dict[str, int]]:
    def by_category(qs: QuerySet[Any], path: str) -> dict[str, int]:
        rows = qs.order_by().values(audience=F(path)).annotate(n=Count("pk"))
        return {row["audience"]: row["n"] for row in rows}

    return {
        "practices": by_category(_practice_submissions(period), "by__audience_category"),
        "events": by_category(_event_registrations(period), "user__audience_category"),
        "feedback": by_category(_responses(period), "category"),
    }


# --- the per-category figures -------------------------------------------------------------


@dataclass
class CategoryRow:
    category: str
    label: Any
    registered: int = 0
    new: int = 0
    active: int = 0
    actions: dict[str, int | None] = field(default_factory=dict)
    responses: int = 0
    ratings: dict[int, int] = field(default_factory=dict)  # mark → how many

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def satisfaction(self) -> float | None:
        n = self.rated
        return sum(mark * k for mark, k in self.ratings.items()) / n if n else None

    @property
    def action_cells(self) -> list[int | None]:
        return list(self.actions.values())

    @property
    def distribution(self) -> list[tuple[int, int]]:
        return [(mark, self.ratings.get(mark, 0)) for mark in range(RATING_MIN, RATING_MAX + 1)]


@dataclass
class NeedRow:
    key: str
    label: str
    total: int
    by_category: dict[str, int]

    @property
    def cells(self) -> list[int]:
        return [self.by_category.get(c, 0) for c in CATEGORIES]


@dataclass
class AudienceReport:
    period: Period
    sources: list[Source]
    rows: list[CategoryRow]
    total: CategoryRow
    needs: list[NeedRow]
    needs_base: dict[str, int]  # category → respondents who answered a needs question
    unavailable: list[Source]

    @property
    def total_needs_base(self) -> int:
        return sum(self.needs_base.values())

    @property
    def needs_base_cells(self) -> list[int]:
        return [self.needs_base.get(c, 0) for c in CATEGORIES]


def _active_users(period: Period, extra: list[QuerySet[Any]]) -> dict[str, int]:
    condition = Q()
    for ids in [*_local_user_ids(period), *extra]:
        condition |= Q(pk__in=ids)
    rows = (
        User.objects.filter(condition)
        .order_by()
        .values("audience_category")
        .annotate(n=Count("pk"))
    )
    return {row["audience_category"]: row["n"] for row in rows}


def _need_labels(period: Period) -> dict[str, str]:
    """Each needs choice's label in the current language, from the newest survey using it."""
    labels: dict[str, str] = {}
    questions = (
        FeedbackQuestion.objects.filter(
            role=QuestionRole.NEEDS, survey__responses__created_at__gte=period.start
        )
        .distinct()
        .order_by("survey__opens_on", "pk")
    )
    for question in questions:  # one per survey: a handful
        for choice in question.choices or []:
            labels[choice["key"]] = question.choice_label(choice["key"])
    return labels


def audience_report(*, period: Period) -> AudienceReport:
    """Registered, new and active users, actions per app, survey responses, satisfaction
    and needs, per audience category, for the period."""
    start, end = period.start, period.end
    rows = {c.value: CategoryRow(category=c.value, label=c.label) for c in CATEGORIES}

    registered = (
        User.objects.filter(is_active=True)
        .order_by()
        .values("audience_category")
        .annotate(
            total=Count("pk"),
            new=Count("pk", filter=Q(date_joined__gte=start, date_joined__lt=end)),
        )
    )
    for item in registered:
        row = rows.get(item["audience_category"])
        if row is not None:
            row.registered, row.new = item["total"], item["new"]

    sources: list[Source] = []
    extra_ids: list[QuerySet[Any]] = []
    activity: dict[str, dict[str, int] | None] = {}
    for app, label in CONTRACT_APPS:
        ids = _contract(app, "active_user_ids")
        by_category = _contract(app, "activity_by_category")
        counts = None
        if ids is not None and by_category is not None:
            try:
                extra_ids.append(ids(since=start, until=end))
                counts = by_category(since=start, until=end)
            except Exception:  # a source that fails must not take the dashboard down
                logger.exception("audience: the %s source failed", app)
                counts = None
        sources.append(Source(app, label, counts is not None))
        activity[app] = counts
    local = _local_activity(period)
    for key, label in LOCAL_SOURCES:
        sources.append(Source(key, label, True))
        activity[key] = local[key]
    for source in sources:
        counts = activity[source.key]
        for category, row in rows.items():
            row.actions[source.key] = None if counts is None else counts.get(category, 0)

    for category, n in _active_users(period, extra_ids).items():
        if category in rows:
            rows[category].active = n
    for category, n in local["feedback"].items():
        if category in rows:
            rows[category].responses = n

    ratings = (
        FeedbackAnswer.objects.filter(
            question__role=QuestionRole.SATISFACTION,
            rating__isnull=False,
            response__created_at__gte=start,
            response__created_at__lt=end,
        )
        .order_by()
        .values("response__category", "rating")
        .annotate(n=Count("pk"))
    )
    for given in ratings:
        row = rows.get(given["response__category"])
        if row is not None and given["rating"] is not None:
            row.ratings[given["rating"]] = given["n"]

    needs_rows = (
        FeedbackAnswer.objects.filter(
            question__role=QuestionRole.NEEDS,
            response__created_at__gte=start,
            response__created_at__lt=end,
        )
        .exclude(choice="")
        .order_by()
        .values("choice", "response__category")
        .annotate(n=Count("response", distinct=True))
    )
    needs: dict[str, dict[str, int]] = {}
    for chosen in needs_rows:
        needs.setdefault(chosen["choice"], {})[chosen["response__category"]] = chosen["n"]
    base_rows = (
        FeedbackAnswer.objects.filter(
            question__role=QuestionRole.NEEDS,
            response__created_at__gte=start,
            response__created_at__lt=end,
        )
        .order_by()
        .values("response__category")
        .annotate(n=Count("response", distinct=True))
    )
    needs_base = {item["response__category"]: item["n"] for item in base_rows}
    labels = _need_labels(period) if needs else {}
    need_list = sorted(
        (NeedRow(key, labels.get(key, key), sum(per.values()), per) for key, per in needs.items()),
        key=lambda r: (-r.total, r.label),
    )

    ordered = [rows[c.value] for c in CATEGORIES]
    total = CategoryRow(category="", label=_("All categories"))
    for row in ordered:
        total.registered += row.registered
        total.new += row.new
        total.active += row.active
        total.responses += row.responses
        for mark, n in row.ratings.items():
            total.ratings[mark] = total.ratings.get(mark, 0) + n
    for source in sources:
        values = [row.actions[source.key] for row in ordered]
        total.actions[source.key] = None if None in values else sum(v or 0 for v in values)
    return AudienceReport(
        period=period,
        sources=sources,
        rows=ordered,
        total=total,
        needs=need_list,
        needs_base=needs_base,
        unavailable=[s for s in sources if not s.available],
    )


# --- the client base ----------------------------------------------------------------------


def client_base(*, category: str = "", query: str = "") -> QuerySet[User]:
    """Active user accounts, newest first, for the client-base administrator."""
    qs = User.objects.filter(is_active=True)
    if category:
        qs = qs.filter(audience_category=category)
    if query:
        words = query.split()[:5]
        for word in words:
            qs = qs.filter(
                Q(full_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__icontains=word)
            )
    return qs.order_by("-date_joined", "-pk").only(
        "username",
        "full_name",
        "email",
        "audience_category",
        "organisation",
        "preferred_language",
        "date_joined",
        "last_login",
    )


# --- surveys ------------------------------------------------------------------------------


def _open_q(today: datetime.date) -> Q:
    return Q(active=True, opens_on__lte=today) & (
        Q(closes_on__isnull=True) | Q(closes_on__gte=today)
    )


def _for_category_q(category: str) -> Q:
    # The list is stored as JSON text ["lsg", "state"]: "contains" is not on SQLite.
    return Q(for_all=True) | Q(categories__icontains=f'"{category}"')


def surveys_open_for(*, user: Any, today: datetime.date | None = None) -> QuerySet[FeedbackSurvey]:
    """Open surveys meant for the user's audience category, newest first."""
    today = today or timezone.localdate()
    return (
        FeedbackSurvey.objects.filter(_open_q(today))
        .filter(_for_category_q(user.audience_category))
        .order_by("-opens_on", "-pk")
    )


def survey_pending_for(*, user: Any, today: datetime.date | None = None) -> FeedbackSurvey | None:
    """The newest open survey meant for the user that they have not answered (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        surveys_open_for(user=user, today=today)
        .exclude(responses__user=user)
        .only("pk", "title_ky", "title_ru", "title_en")
        .first()
    )


def survey_get(*, pk: int) -> FeedbackSurvey:
    return FeedbackSurvey.objects.get(pk=pk)


def survey_questions(*, survey: FeedbackSurvey) -> list[FeedbackQuestion]:
    return list(survey.questions.order_by("position", "pk"))


def question_in_survey(*, survey: FeedbackSurvey, pk: int) -> FeedbackQuestion | None:
    return survey.questions.filter(pk=pk).first()


def response_of(*, survey: FeedbackSurvey, user: Any) -> FeedbackResponse | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return FeedbackResponse.objects.filter(survey=survey, user=user).first()


def answered_survey_ids(*, user: Any, surveys: list[FeedbackSurvey]) -> set[int]:
    return set(
        FeedbackResponse.objects.filter(user=user, survey__in=surveys).values_list(
            "survey_id", flat=True
        )
    )


def survey_admin_list() -> QuerySet[FeedbackSurvey]:
    return FeedbackSurvey.objects.annotate(
        n_responses=Count("responses", distinct=True),
        n_questions=Count("questions", distinct=True),
    ).order_by("-opens_on", "-pk")


@dataclass
class QuestionResult:
    question: FeedbackQuestion
    n: int
    counts: list[tuple[str, str, int]]  # (key or mark, label, how many)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)


def survey_results(*, survey: FeedbackSurvey, texts: int = 20) -> list[QuestionResult]:
    """Counts per rating mark and per choice of each question; the latest texts."""
    questions = survey_questions(survey=survey)
    rows = (
        FeedbackAnswer.objects.filter(question__survey=survey, text="")
        .order_by()
        .values("question_id", "rating", "choice")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[Any, int]] = {}
    for row in rows:
        key = row["rating"] if row["rating"] is not None else row["choice"]
        counts.setdefault(row["question_id"], {})[key] = row["n"]
    answered = dict(
        FeedbackAnswer.objects.filter(question__survey=survey)
        .order_by()
        .values("question_id")
        .annotate(n=Count("response", distinct=True))
        .values_list("question_id", "n")
    )
    results = []
    for question in questions:
        per = counts.get(question.pk, {})
        result = QuestionResult(question=question, n=answered.get(question.pk, 0), counts=[])
        if question.kind == "rating":
            result.counts = [
                (str(m), str(m), per.get(m, 0)) for m in range(RATING_MIN, RATING_MAX + 1)
            ]
            rated = sum(per.values())
            result.mean = sum(m * k for m, k in per.items()) / rated if rated else None
        elif question.kind in ("choice", "multiple"):
            result.counts = [
                (key, question.choice_label(key), per.get(key, 0)) for key in question.choice_keys()
            ]
        else:
            result.texts = list(
                FeedbackAnswer.objects.filter(question=question)
                .exclude(text="")
                .order_by("-pk")
                .values_list("text", flat=True)[:texts]
            )
        results.append(result)
    return results


# --- portal indicators --------------------------------------------------------------------


def _month_starts(months: int, today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = [first]
    for _i in range(months - 1):
        starts.append((starts[-1] - datetime.timedelta(days=1)).replace(day=1))
    return starts


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date()
    return value


@dataclass
class NewsMonth:
    month: datetime.date
    days_with_news: int
    days: int  # days of the month so far (the whole month once it is over)

    @property
    def share(self) -> float:
        return self.days_with_news / self.days if self.days else 0.0

    @property
    def percent(self) -> float:
        return self.share * 100

    @property
    def met(self) -> bool:
        return self.days > 0 and self.days_with_news >= self.days


@dataclass
class IssueArticles:
    number: int
    overall_number: int
    date: datetime.date
    title: str
    url: str
    articles: int

    @property
    def met(self) -> bool:
        return self.articles >= ISSUE_ARTICLES_TARGET


@dataclass
class ResponseMonth:
    month: datetime.date
    asked: int
    answered_in_time: int
    share: float | None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else self.share * 100

    @property
    def met(self) -> bool | None:
        if self.share is None:
            return None
        return self.share >= RESPONSE_TARGET_SHARE


@dataclass
class PortalIndicators:
    today: datetime.date
    practices: list[MonthTarget]
    responses: list[ResponseMonth] | None  # None: the questions app does not give it yet
    issues: list[IssueArticles]
    news: list[NewsMonth]
    practices_target: int = MONTHLY_TARGET
    practices_international_target: int = MONTHLY_INTERNATIONAL_TARGET
    issue_target: int = ISSUE_ARTICLES_TARGET
    response_target: float = RESPONSE_TARGET_SHARE

    @property
    def response_target_percent(self) -> float:
        return self.response_target * 100


def news_days(
    *, months: int = INDICATOR_MONTHS, today: datetime.date | None = None
) -> list[NewsMonth]:
    """Per month, newest first: the days with at least one published news item."""
    today = today or timezone.localdate()
    starts = _month_starts(months, today)
    since = timezone.make_aware(datetime.datetime.combine(starts[-1], datetime.time.min))
    rows = (
        Article.objects.filter(
            kind=Kind.NEWS,
            status__in=[ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED],
            publish_at__gte=since,
            publish_at__lte=timezone.now(),
        )
        .annotate(month=TruncMonth("publish_at"))
        .order_by()
        .values("month")
        .annotate(days=Count(TruncDate("publish_at"), distinct=True))
    )
    counts = {_as_date(row["month"]).replace(day=1): row["days"] for row in rows}
    result = []
    for month in starts:
        if month == today.replace(day=1):
            days = today.day
        else:
            days = calendar.monthrange(month.year, month.month)[1]
        result.append(NewsMonth(month, counts.get(month, 0), days))
    return result


def issue_articles(
    *, months: int = INDICATOR_MONTHS, today: datetime.date | None = None
) -> list[IssueArticles]:
    """Published magazine issues dated in the last `months` months, newest first, with
    their published articles counted."""
    today = today or timezone.localdate()
    since = _month_starts(months, today)[-1]
    issues = (
        MagazineIssue.objects.filter(published=True, date__gte=since, date__lte=today)
        .annotate(
            n=Count(
                "articles",
                filter=Q(
                    articles__kind=Kind.MAGAZINE,
                    articles__status__in=[ArticleStatus.PUBLISHED, ArticleStatus.SCHEDULED],
                    articles__publish_at__lte=timezone.now(),
                ),
            )
        )
        .order_by("-date", "-number")
    )
    return [
        IssueArticles(i.number, i.overall_number, i.date, i.title, i.get_absolute_url(), i.n)
        for i in issues
    ]


def response_months(
    *, months: int = INDICATOR_MONTHS, today: datetime.date | None = None
) -> list[ResponseMonth] | None:
    share_by_month = _contract("questions", "response_share_by_month")
    if share_by_month is None:
        return None
    try:
        rows = share_by_month(months=months, today=today)
    except Exception:
        logger.exception("audience: questions.response_share_by_month failed")
        return None
    return [ResponseMonth(r.month, r.asked, r.answered_in_time, r.share) for r in rows]


def portal_indicators(*, today: datetime.date | None = None) -> PortalIndicators:
    """The development plan's targets for the last 12 months (seed 004)."""
    today = today or timezone.localdate()
    return PortalIndicators(
        today=today,
        practices=monthly_target(months=INDICATOR_MONTHS, today=today),
        responses=response_months(today=today),
        issues=issue_articles(today=today),
        news=news_days(today=today),
    )
