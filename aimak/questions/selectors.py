"""Every read of questions and consultations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from aimak.accounts.models import Membership, Role, User
from aimak.legal.text import FOLD_FROM, FOLD_TO

from .models import (
    OPEN_STATUSES,
    REMIND_BEFORE,
    Answer,
    AnswerTemplate,
    Question,
    RoutingRule,
    Visibility,
)
from .rules import is_content_admin

_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def fold(text: str) -> str:
    """Lower case with ң ө ү ё folded, as stored in Question.search_text."""
    return (text or "").lower().translate(_FOLD)


# --- the clock ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """Where a question stands against its 24 hours, computed on the server.

    state: "running" (time left), "due_soon" (running, ≤ 4 h left), "overdue" (no
    response, past due), "in_time" or "late" (answered); `delta` is the time left, the
    time overdue, or how long the first response took."""

    state: str
    delta: datetime.timedelta

    @property
    def hours(self) -> int:
        return int(self.delta.total_seconds() // 3600)

    @property
    def minutes(self) -> int:
        return int(self.delta.total_seconds() // 60 % 60)

    @property
    def open(self) -> bool:
        return self.state in ("running", "due_soon", "overdue")


def question_clock(question: Question, *, now: datetime.datetime | None = None) -> Clock:
    now = now or timezone.now()
    if question.first_response_at is not None:
        took = question.first_response_at - question.asked_at
        late = question.first_response_at > question.due_at
        return Clock("late" if late else "in_time", took)
    if now >= question.due_at:
        return Clock("overdue", now - question.due_at)
    left = question.due_at - now
    return Clock("due_soon" if left <= REMIND_BEFORE else "running", left)


# --- visibility ---------------------------------------------------------------------------


def _base() -> QuerySet[Question]:
    return Question.objects.select_related(
        "author", "theme", "municipality", "routed_to_expert", "routed_to_body"
    )


def questions_visible(*, user: Any) -> QuerySet[Question]:
    """Questions the user may open (the selector paired with `questions.view_question`)."""
    qs = _base()
    if is_content_admin(user):
        return qs
    public = Q(visibility=Visibility.PUBLIC, first_response_at__isnull=False)
    if not getattr(user, "is_authenticated", False):
        return qs.filter(public)
    return qs.filter(public | Q(author=user) | Q(routed_to_expert__user=user))


def question_get(*, pk: int, user: Any) -> Question:
    """Question.DoesNotExist when it does not exist or the user may not see it."""
    return questions_visible(user=user).get(pk=pk)


def question_answers(*, question: Question, include_drafts: bool = False) -> QuerySet[Answer]:
    qs = question.answers.select_related("author", "expert", "body_of")
    if not include_drafts:
        qs = qs.filter(published=True)
    return qs.order_by("created_at", "pk")


def public_questions(*, query: str = "", theme: Any = None) -> QuerySet[Question]:
    """Answered public questions, newest answer first; `query`'s words must all occur in
    the title, the details or a published answer (any case, ң ө ү folded)."""
    qs = _base().filter(visibility=Visibility.PUBLIC, first_response_at__isnull=False)
    for word in fold(query).split()[:10]:
        qs = qs.filter(search_text__contains=word)
    if theme is not None:
        qs = qs.filter(theme=theme)
    return qs.order_by("-first_response_at", "-pk")


def question_search(*, query: str, limit: int = 20) -> list[Question]:
    """Public answered questions matching `query` (for the site search and other apps)."""
    if not query.strip():
        return []
    return list(public_questions(query=query)[:limit])


def my_questions(*, user: Any) -> QuerySet[Question]:
    return _base().filter(author=user).order_by("-asked_at", "-pk")


# --- queues -------------------------------------------------------------------------------


def admin_queue(*, now: datetime.datetime | None = None) -> dict[str, list[Question]]:
    """Open questions for the content administrator: overdue, not routed, routed."""
    now = now or timezone.now()
    open_qs = _base().filter(status__in=OPEN_STATUSES, first_response_at__isnull=True)
    rows = list(open_qs.order_by("due_at", "pk"))
    return {
        "overdue": [q for q in rows if q.due_at <= now],
        "unrouted": [q for q in rows if q.due_at > now and q.routed_at is None],
        "routed": [q for q in rows if q.due_at > now and q.routed_at is not None],
    }


def expert_queue(*, user: Any) -> QuerySet[Question]:
    """Questions routed to the expert whose account is `user`: open first, by due time."""
    return (
        _base()
        .filter(routed_to_expert__user=user)
        .order_by(F("first_response_at").asc(nulls_first=True), "due_at", "pk")
    )


def breaches(*, now: datetime.datetime | None = None) -> QuerySet[Question]:
    """Questions whose first response came after the due time, or has not come and the due
    time has passed; the most recent due time first."""
    now = now or timezone.now()
    return (
        _base()
        .filter(
            Q(first_response_at__gt=F("due_at"))
            | Q(first_response_at__isnull=True, due_at__lte=now, status__in=OPEN_STATUSES)
        )
        .order_by("-due_at", "-pk")
    )


def routing_rules() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.select_related("theme", "expert", "body").order_by(
        "-active", "theme__position", "pk"
    )


def active_rule_for(*, theme: Any) -> RoutingRule | None:
    return (
        RoutingRule.objects.select_related("expert", "body")
        .filter(theme=theme, active=True)
        .filter(Q(expert__isnull=True) | Q(expert__active=True))
        .first()
    )


def answer_templates(*, active_only: bool = True) -> QuerySet[AnswerTemplate]:
    qs = AnswerTemplate.objects.select_related("theme")
    return qs.filter(active=True) if active_only else qs


def content_admins() -> QuerySet[User]:
    ids = (
        Membership.objects.active()
        .filter(role=Role.CONTENT_ADMIN, municipality__isnull=True)
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True)


def reminders_due(*, now: datetime.datetime) -> QuerySet[Question]:
    """Open questions with at most four hours left, or past due (reminders may be owed)."""
    return (
        Question.objects.select_related("routed_to_expert__user")
        .filter(
            status__in=OPEN_STATUSES,
            first_response_at__isnull=True,
            due_at__lte=now + REMIND_BEFORE,
        )
        .order_by("due_at", "pk")
    )


def expert_answers(*, expert: Any) -> QuerySet[Answer]:
    """An expert directory entry's published answers to public questions, newest first."""
    return (
        Answer.objects.select_related("question", "question__theme")
        .filter(expert=expert, published=True, question__visibility=Visibility.PUBLIC)
        .order_by("-created_at", "-pk")
    )


# --- the monthly report and the audience contracts ---------------------------------------


@dataclass
class MonthShare:
    month: datetime.date  # first day
    asked: int
    answered_in_time: int
    share: float | None  # answered_in_time / asked


def _month_starts(months: int, today: datetime.date) -> list[datetime.date]:
    starts = [today.replace(day=1)]
    for _ in range(months - 1):
        prev = starts[-1] - datetime.timedelta(days=1)
        starts.append(prev.replace(day=1))
    return starts


def response_share_by_month(
    *, months: int = 12, today: datetime.date | None = None
) -> list[MonthShare]:
    """Per month of asking (Asia/Bishkek), newest first: questions asked, those whose first
    response came within 24 hours, and the share (None for a month with no question).
    Questions of the running month still within their 24 hours count as asked and not (yet)
    answered in time."""
    today = today or timezone.localdate()
    starts = _month_starts(months, today)
    since = timezone.make_aware(datetime.datetime.combine(starts[-1], datetime.time.min))
    end = starts[0].replace(day=28) + datetime.timedelta(days=4)
    until = timezone.make_aware(datetime.datetime.combine(end.replace(day=1), datetime.time.min))
    rows = (
        Question.objects.filter(asked_at__gte=since, asked_at__lt=until)
        .annotate(month=TruncMonth("asked_at"))
        .order_by()
        .values("month")
        .annotate(
            n=Count("pk"),
            in_time=Count("pk", filter=Q(first_response_at__lte=F("due_at"))),
        )
    )
    counts: dict[datetime.date, tuple[int, int]] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counts[month.replace(day=1)] = (row["n"], row["in_time"])
    out = []
    for start in starts:
        asked, in_time = counts.get(start, (0, 0))
        out.append(MonthShare(start, asked, in_time, in_time / asked if asked else None))
    return out


def active_user_ids(*, since: datetime.datetime, until: datetime.datetime) -> QuerySet:
    """Ids (column `user_id`) of users who asked, answered or rated in [since, until)."""
    asked = (
        Question.objects.filter(asked_at__gte=since, asked_at__lt=until)
        .order_by()
        .values(user_id=F("author_id"))
    )
    rated = (
        Question.objects.filter(rated_at__gte=since, rated_at__lt=until)
        .order_by()
        .values(user_id=F("author_id"))
    )
    answered = (
        Answer.objects.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .values(user_id=F("author_id"))
    )
    return asked.union(rated, answered).order_by()


def activity_by_category(*, since: datetime.datetime, until: datetime.datetime) -> dict[str, int]:
    """{audience category: questions asked in [since, until)}."""
    rows = (
        Question.objects.filter(asked_at__gte=since, asked_at__lt=until)
        .order_by()
        .values("author__audience_category")
        .annotate(n=Count("pk"))
    )
    return {row["author__audience_category"]: row["n"] for row in rows}
