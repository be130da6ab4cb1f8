"""Reads of the practice library and the expert directory.

Search works like the legal-acts search and reuses its word normalisation
(aimak/legal/text.py): on PostgreSQL a stored tsvector (`russian` for Russian, `simple`
for folded Kyrgyz, prefix matching), ranked by SearchRank; elsewhere (SQLite) the stored
stems matched by prefix, ranked by words found in the title, then in the text.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, ExtractYear, TruncMonth
from django.utils import timezone

from aimak.accounts.models import Role
from aimak.accounts.predicates import national_role
from aimak.events.models import Event, Participant
from aimak.legal.text import fold, kyrgyz_stem, query_terms, russian_stem

from .models import HOME_COUNTRY, Expert, Practice, PracticeTransition, Status, Theme

MAX_QUERY_WORDS = 10
MONTHLY_TARGET = 4  # seed 004: at least four practices a month, international ones among them
MONTHLY_INTERNATIONAL_TARGET = 1

is_content_admin = national_role(Role.CONTENT_ADMIN)


# --- themes -------------------------------------------------------------------------------


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("position", "slug")


# --- search helpers -----------------------------------------------------------------------


def _word_keys(query: str) -> list[list[str]]:
    keys = []
    for term in query_terms(query, limit=MAX_QUERY_WORDS):
        group = [s for s in dict.fromkeys((russian_stem(term), kyrgyz_stem(term))) if len(s) >= 2]
        if group:
            keys.append(group)
    return keys


def _search_fallback(qs: QuerySet[Any], keys: list[list[str]]) -> QuerySet[Any]:
    score_title: Expression = Value(0, output_field=IntegerField())
    score_text: Expression = Value(0, output_field=IntegerField())
    for group in keys:
        in_title = Q()
        in_text = Q()
        for stem in group:
            in_title |= Q(search_title__contains=f" {stem}")
            in_text |= Q(search_text__contains=f" {stem}")
        qs = qs.filter(in_title | in_text)
        score_title = score_title + Case(When(in_title, then=1), default=0)
        score_text = score_text + Case(When(in_text, then=1), default=0)
    return qs.annotate(rank=score_title * 10 + score_text)


def _tsquery_simple_prefix(keys: list[list[str]]) -> str:
    parts = []
    for group in keys:
        alts = [a for a in (re.sub(r"[^\w]", "", s) for s in group) if a]
        if alts:
            parts.append("(" + " | ".join(f"{a}:*" for a in alts) + ")")
    return " & ".join(parts)


def _search_postgres(qs: QuerySet[Any], query: str, keys: list[list[str]]) -> QuerySet[Any]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    russian = SearchQuery(fold(query), config="russian", search_type="websearch")
    folded = SearchQuery(_tsquery_simple_prefix(keys), config="simple", search_type="raw")
    tsquery = russian | folded
    return qs.filter(search_vector=tsquery).annotate(
        rank=SearchRank(F("search_vector"), tsquery, weights=[0.1, 0.2, 0.4, 1.0])
    )


def _search(qs: QuerySet[Any], query: str) -> tuple[QuerySet[Any], bool]:
    """`qs` narrowed to `query` with a `rank` annotation; False when the query has no words."""
    keys = _word_keys(query)
    if not keys:
        return qs, False
    if connection.vendor == "postgresql":
        return _search_postgres(qs, query, keys), True
    return _search_fallback(qs, keys), True


# --- practices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeFilters:
    theme: Theme | None = None
    region: Any = None  # a Territory (oblast)
    municipality: Any = None  # a Territory
    international: bool | None = None
    year: int | None = None


def published_practices() -> QuerySet[Practice]:
    return (
        Practice.objects.filter(status=Status.PUBLISHED)
        .select_related("municipality", "region")
        .prefetch_related("themes")
    )


def _practice_year() -> Coalesce:
    return Coalesce(ExtractYear("period_start"), ExtractYear("published_at"))


def practice_list(*, query: str = "", filters: PracticeFilters | None = None) -> QuerySet[Practice]:
    """Published practices under the filters; with words, the matching ones best first."""
    filters = filters or PracticeFilters()
    qs: QuerySet[Any] = published_practices()
    if filters.theme is not None:
        qs = qs.filter(themes=filters.theme)
    if filters.municipality is not None:
        qs = qs.filter(municipality=filters.municipality)
    if filters.region is not None:
        qs = qs.filter(region=filters.region)
    if filters.international is True:
        qs = qs.exclude(country=HOME_COUNTRY)
    elif filters.international is False:
        qs = qs.filter(country=HOME_COUNTRY)
    if filters.year:
        qs = qs.annotate(year=_practice_year()).filter(year=filters.year)
    qs, ranked = _search(qs, query)
    if ranked:
        return qs.order_by("-rank", "-published_at", "pk")
    return qs.order_by("-published_at", "pk")


def practice_search(*, query: str, limit: int = 20) -> list[Practice]:
    """Published practices matching `query`, best first (for the site search)."""
    if not _word_keys(query):
        return []
    return list(practice_list(query=query)[:limit])


def featured_practices(*, limit: int = 3) -> list[Practice]:
    """Published practices for the home page: those marked featured first, then the newest."""
    return list(published_practices().order_by("-featured", "-published_at", "pk")[:limit])


def practice_years() -> list[int]:
    years = (
        Practice.objects.filter(status=Status.PUBLISHED)
        .annotate(y=_practice_year())
        .values_list("y", flat=True)
    )
    return sorted({y for y in years if y}, reverse=True)


def practice_regions() -> list[Any]:
    """Regions that have published practices."""
    Territory = apps.get_model("territories", "Territory")
    ids = Practice.objects.filter(status=Status.PUBLISHED, region__isnull=False).values("region")
    return list(Territory.objects.filter(pk__in=ids).order_by("code"))


def regions_all() -> list[Any]:
    """Every current region (oblast), for the expert form."""
    Territory = apps.get_model("territories", "Territory")
    return list(Territory.objects.filter(level="oblast", valid_to__isnull=True).order_by("code"))


def practices_visible(*, user: Any) -> QuerySet[Practice]:
    """Every practice `user` may open: published ones, their own, and all for moderators.
    Paired with the rule `practices.view_practice`."""
    qs = Practice.objects.select_related("municipality", "region", "author")
    if is_content_admin(user):
        return qs
    if getattr(user, "is_authenticated", False):
        return qs.filter(Q(status=Status.PUBLISHED) | Q(author=user))
    return qs.filter(status=Status.PUBLISHED)


def practice_get(*, slug: str, user: Any) -> Practice:
    """Raises Practice.DoesNotExist when there is none or `user` may not see it."""
    return practices_visible(user=user).prefetch_related("themes").get(slug=slug)


def my_practices(*, user: Any) -> QuerySet[Practice]:
    return Practice.objects.filter(author=user).order_by("-updated_at")


def moderation_queue() -> QuerySet[Practice]:
    """Practices waiting for the content administrator, oldest submission first."""
    return (
        Practice.objects.filter(status__in=[Status.SUBMITTED, Status.UNDER_REVIEW])
        .select_related("author", "municipality")
        .order_by("submitted_at", "pk")
    )


def practice_transitions(*, practice: Practice) -> QuerySet[PracticeTransition]:
    return practice.transitions.select_related("by").order_by("at", "pk")


def practice_history(*, practice: Practice) -> QuerySet[Any]:
    return practice.history.select_related("history_user").order_by("-history_date")  # type: ignore[attr-defined]


@dataclass
class MonthTarget:
    month: datetime.date
    published: int
    international: int

    @property
    def met(self) -> bool:
        return (
            self.published >= MONTHLY_TARGET and self.international >= MONTHLY_INTERNATIONAL_TARGET
        )


def monthly_target(*, months: int = 12, today: datetime.date | None = None) -> list[MonthTarget]:
    """Published and international counts per month of publication, the last `months`
    months (this one included), newest first; whether the target is met is computed."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    starts = [first]
    for _ in range(months - 1):
        prev = starts[-1] - datetime.timedelta(days=1)
        starts.append(prev.replace(day=1))
    since = datetime.datetime.combine(starts[-1], datetime.time.min)
    rows = (
        Practice.objects.filter(
            status=Status.PUBLISHED,
            published_at__gte=timezone.make_aware(since) if timezone.is_naive(since) else since,
        )
        .annotate(month=TruncMonth("published_at"))
        .order_by()
        .values("month")
        .annotate(
            n=Count("pk"),
            intl=Count("pk", filter=~Q(country=HOME_COUNTRY)),
        )
    )
    counts: dict[datetime.date, tuple[int, int]] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        counts[month.replace(day=1)] = (row["n"], row["intl"])
    return [MonthTarget(m, *counts.get(m, (0, 0))) for m in starts]


# --- experts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpertFilters:
    theme: Theme | None = None
    language: str | None = None
    region: Any = None


def expert_list(*, query: str = "", filters: ExpertFilters | None = None) -> QuerySet[Expert]:
    """Listed experts under the filters; with words, the matching ones best first."""
    filters = filters or ExpertFilters()
    qs: QuerySet[Any] = Expert.objects.filter(active=True).prefetch_related("themes", "regions")
    if filters.theme is not None:
        qs = qs.filter(themes=filters.theme)
    if filters.region is not None:
        qs = qs.filter(regions=filters.region)
    if filters.language:
        # JSON "contains" is not available on SQLite: the list is stored as ["ky", "ru"].
        qs = qs.filter(languages__icontains=f'"{filters.language}"')
    qs, ranked = _search(qs, query)
    if ranked:
        return qs.order_by("-rank", "name", "pk")
    return qs.order_by("name", "pk")


def expert_search(*, query: str, limit: int = 20) -> list[Expert]:
    """Listed experts matching `query`, best first (for the site search)."""
    if not _word_keys(query):
        return []
    return list(expert_list(query=query)[:limit])


def expert_get(*, slug: str, include_unlisted: bool = False) -> Expert:
    qs = Expert.objects.prefetch_related("themes", "regions")
    if not include_unlisted:
        qs = qs.filter(active=True)
    return qs.get(slug=slug)


def expert_all() -> QuerySet[Expert]:
    return Expert.objects.order_by("name", "pk")


def expert_regions() -> list[Any]:
    Territory = apps.get_model("territories", "Territory")
    through: Any = Expert.regions.through
    ids = through.objects.filter(expert__active=True).values("territory_id")
    return list(Territory.objects.filter(pk__in=ids).order_by("code"))


def expert_history(*, expert: Expert) -> QuerySet[Any]:
    return expert.history.select_related("history_user").order_by("-history_date")  # type: ignore[attr-defined]


def expert_events(*, expert: Expert, limit: int = 20) -> list[Event]:
    """Events the expert's user account took part in (registered or attended), newest first."""
    if expert.user_id is None:
        return []
    took_part = Participant.objects.filter(event=OuterRef("pk"), user_id=expert.user_id)
    return list(Event.objects.filter(Exists(took_part)).order_by("-starts_at", "pk")[:limit])
