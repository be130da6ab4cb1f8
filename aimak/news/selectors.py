"""Reads of news, articles and the magazine; `article_search` is the one search entry point
for them, and `site_search` groups every section of the portal for the one search box.

Search on PostgreSQL: the stored weighted tsvector (title A, lead and text B) in the
`russian` and `simple` configurations, matched with a `russian` websearch query OR a
`simple` prefix query of the folded Kyrgyz stems, ranked by SearchRank. Any other database
(SQLite): the stored stems (aimak/legal/text.py, shared with the legal-acts search) matched
by prefix, ranked by the number of query words found in the title, then in the text.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.expressions import Expression
from django.utils import timezone
from django.utils.translation import gettext

from aimak.events.models import Event
from aimak.events.selectors import event_list
from aimak.legal.selectors import legal_act_search
from aimak.legal.text import fold, kyrgyz_stem, query_terms, russian_stem
from aimak.practices.selectors import (
    expert_list,
    expert_search,
    featured_practices,
    practice_list,
    practice_search,
)
from aimak.questions.selectors import public_questions
from aimak.territories.selectors import territory_search

from .models import Article, Category, Kind, MagazineIssue, MagazineSection, Status, Tag

MAX_QUERY_WORDS = 10
SITE_SEARCH_LIMIT = 5


# --- public lists ---------------------------------------------------------------------


def article_public_list(
    *,
    kind: str | None = None,
    category: Category | None = None,
    tag: Tag | None = None,
    language: str | None = None,
) -> QuerySet[Article]:
    """Published items (and scheduled ones that are due), newest first."""
    qs = Article.objects.public().select_related("category", "issue", "section")
    qs = qs.filter(kind=kind) if kind else qs.exclude(kind=Kind.MAGAZINE)
    if category is not None:
        qs = qs.filter(category=category)
    if tag is not None:
        qs = qs.filter(tags=tag)
    if language in ("ky", "ru", "en"):
        qs = qs.exclude(**{f"title_{language}__isnull": True}).exclude(**{f"title_{language}": ""})
    return qs.order_by("-publish_at", "-pk")


def article_public_get(*, slug: str) -> Article:
    return (
        Article.objects.public()
        .select_related("category", "issue", "section", "author")
        .prefetch_related("tags")
        .get(slug=slug)
    )


def latest_news(*, limit: int = 6) -> list[Article]:
    return list(article_public_list()[:limit])


def home_practices(*, limit: int = 3) -> list[Any]:
    """Featured best practices for the home page (the practices app's selector)."""
    return featured_practices(limit=limit)


def category_list() -> QuerySet[Category]:
    return Category.objects.annotate(
        n=Count("articles", filter=Q(articles__in=Article.objects.public()))
    ).order_by("position", "slug")


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("slug")


def category_get(*, slug: str) -> Category:
    return Category.objects.get(slug=slug)


def tag_get(*, slug: str) -> Tag:
    return Tag.objects.get(slug=slug)


def next_scheduled_at() -> datetime.datetime | None:
    """When the earliest scheduled item falls (fell) due; None when none waits."""
    return (
        Article.objects.filter(status=Status.SCHEDULED, publish_at__isnull=False)
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )


# --- the magazine ---------------------------------------------------------------------


def issue_list() -> QuerySet[MagazineIssue]:
    return MagazineIssue.objects.filter(published=True).order_by("-date", "-number")


def current_issue() -> MagazineIssue | None:
    return issue_list().first()


def issue_get(*, number: int) -> MagazineIssue:
    return issue_list().get(number=number)


@dataclass
class ContentsSection:
    section: MagazineSection | None
    articles: list[Article] = field(default_factory=list)


def issue_contents(*, issue: MagazineIssue) -> list[ContentsSection]:
    """The issue's table of contents: its sections in order, each with its public articles."""
    articles = list(
        Article.objects.public()
        .filter(issue=issue)
        .select_related("section")
        .order_by("section__position", "position", "pk")
    )
    sections = [ContentsSection(section=s) for s in issue.sections.order_by("position", "pk")]
    by_pk = {c.section.pk: c for c in sections if c.section is not None}
    loose = ContentsSection(section=None)
    for article in articles:
        by_pk.get(article.section_id or 0, loose).articles.append(article)
    return [c for c in sections if c.articles] + ([loose] if loose.articles else [])


# --- content administration (permission news.manage_content checked by the caller) ---


def article_admin_list(*, status: str | None = None, kind: str | None = None) -> QuerySet[Article]:
    qs = Article.objects.select_related("category", "issue", "author").order_by(
        F("publish_at").desc(nulls_first=True), "-updated_at"
    )
    if status == Status.SCHEDULED:
        qs = qs.filter(status=Status.SCHEDULED, publish_at__gt=timezone.now())
    elif status == Status.PUBLISHED:
        qs = qs.filter(
            Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, publish_at__lte=timezone.now())
        )
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def article_admin_counts() -> dict[str, int]:
    now = timezone.now()
    return {
        "draft": Article.objects.filter(status=Status.DRAFT).count(),
        "scheduled": Article.objects.filter(status=Status.SCHEDULED, publish_at__gt=now).count(),
        "published": Article.objects.public().count(),
    }


def article_admin_get(*, pk: int | None = None, slug: str | None = None) -> Article:
    qs = Article.objects.select_related("category", "issue", "section")
    return qs.get(pk=pk) if pk is not None else qs.get(slug=slug)


def issue_admin_list() -> QuerySet[MagazineIssue]:
    return MagazineIssue.objects.prefetch_related(
        Prefetch("sections", queryset=MagazineSection.objects.order_by("position"))
    ).order_by("-date", "-number")


def issue_admin_get(*, pk: int) -> MagazineIssue:
    return MagazineIssue.objects.get(pk=pk)


def section_choices() -> QuerySet[MagazineSection]:
    return MagazineSection.objects.select_related("issue").order_by("-issue__date", "position")


@dataclass
class LogEntry:
    when: datetime.datetime
    who: str
    what: str
    object_label: str
    object_pk: int | None
    kind: str  # "article" or "issue"
    reason: str
    changed: list[str]


def _changed_fields(record: Any) -> list[str]:
    previous = record.prev_record
    if previous is None:
        return []
    try:
        delta = record.diff_against(previous)
    except Exception:  # a model changed since: show the row without its fields
        return []
    return [change.field for change in delta.changes]


def change_log(*, article: Article | None = None, limit: int = 100) -> list[LogEntry]:
    """Who changed what and when, newest first: one article's history or all of them
    (articles and magazine issues)."""
    records: list[tuple[str, Any]] = []
    history = Article.history.select_related("history_user")  # type: ignore[attr-defined]
    if article is not None:
        records = [("article", r) for r in history.filter(id=article.pk)[:limit]]
    else:
        records = [("article", r) for r in history.all()[:limit]]
        issues = MagazineIssue.history.select_related("history_user")  # type: ignore[attr-defined]
        records += [("issue", r) for r in issues.all()[:limit]]
    records.sort(key=lambda kr: kr[1].history_date, reverse=True)
    entries = []
    for kind, record in records[:limit]:
        user = record.history_user
        entries.append(
            LogEntry(
                when=record.history_date,
                who=(user.display_name if user is not None else ""),
                what=record.get_history_type_display(),
                object_label=str(record.title or record.title_ru or record.title_ky or ""),
                object_pk=record.id,
                kind=kind,
                reason=gettext(record.history_change_reason)
                if record.history_change_reason
                else "",
                changed=_changed_fields(record),
            )
        )
    return entries


# --- search ---------------------------------------------------------------------------


def _word_keys(query: str) -> list[list[str]]:
    keys = []
    for term in query_terms(query, limit=MAX_QUERY_WORDS):
        stems = [s for s in dict.fromkeys((russian_stem(term), kyrgyz_stem(term))) if len(s) >= 2]
        if stems:
            keys.append(stems)
    return keys


def _search_fallback(qs: QuerySet[Article], keys: list[list[str]]) -> QuerySet[Article]:
    score_title: Expression = Value(0, output_field=IntegerField())
    score_text: Expression = Value(0, output_field=IntegerField())
    for group in keys:
        in_title, in_text = Q(), Q()
        for stem in group:
            in_title |= Q(search_title__contains=f" {stem}")
            in_text |= Q(search_text__contains=f" {stem}")
        qs = qs.filter(in_title | in_text)
        score_title = score_title + Case(When(in_title, then=1), default=0)
        score_text = score_text + Case(When(in_text, then=1), default=0)
    return qs.annotate(rank=score_title * 10 + score_text).order_by("-rank", "-publish_at", "pk")


def _search_postgres(qs: QuerySet[Article], query: str, keys: list[list[str]]) -> QuerySet[Article]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    russian = SearchQuery(fold(query), config="russian", search_type="websearch")
    parts = []
    for group in keys:
        alts = [re.sub(r"[^\w]", "", s) for s in group]
        alts = [a for a in alts if a]
        if alts:
            parts.append("(" + " | ".join(f"{a}:*" for a in alts) + ")")
    tsquery = russian
    if parts:
        tsquery = russian | SearchQuery(" & ".join(parts), config="simple", search_type="raw")
    return (
        qs.filter(search_vector=tsquery)
        .annotate(rank=SearchRank(F("search_vector"), tsquery, weights=[0.1, 0.2, 0.4, 1.0]))
        .order_by("-rank", "-publish_at", "pk")
    )


def article_search(*, query: str, kind: str | None = None) -> QuerySet[Article]:
    """Public items matching `query`, best first (kind: news/article/magazine, or None for
    every kind). Without words: every public item, newest first."""
    qs = Article.objects.public().select_related("category", "issue")
    if kind == "news":
        qs = qs.filter(kind__in=[Kind.NEWS, Kind.ARTICLE])
    elif kind:
        qs = qs.filter(kind=kind)
    keys = _word_keys(query)
    if not keys:
        return qs.order_by("-publish_at", "-pk")
    if connection.vendor == "postgresql":
        return _search_postgres(qs, query, keys)
    return _search_fallback(qs, keys)


# --- the home page and the one search box ---------------------------------------------


def upcoming_events(*, limit: int = 4) -> list[Event]:
    """The next events of every municipality, soonest first (the events app's selector)."""
    return list(event_list(when="upcoming")[:limit])


# Places are counted up to this many (the registry's own search pages the rest).
PLACES_LIMIT = 50


@dataclass
class SearchGroup:
    key: str
    count: int
    items: list[Any]


def site_search(*, query: str, limit: int = SITE_SEARCH_LIMIT) -> list[SearchGroup]:
    """The one search box over everything the portal holds: places of the registry, news
        and articles, magazine articles, best practices, experts, answered public questions and
    legal acts, each group with its count and its
        first few items, best first (the page links each group to its section's own search)."""
    if not _word_keys(query):
        return []
    news = article_search(query=query, kind="news")
    magazine = article_search(query=query, kind=Kind.MAGAZINE)
    practices = practice_list(query=query)
    experts = expert_list(query=query)
    acts = legal_act_search(query=query)
    questions = public_questions(query=query)
    places = territory_search(query=query, limit=PLACES_LIMIT)
    return [
        SearchGroup("places", len(places), places[:limit]),
        SearchGroup("news", news.count(), list(news[:limit])),
        SearchGroup("magazine", magazine.count(), list(magazine[:limit])),
        SearchGroup("practices", practices.count(), practice_search(query=query, limit=limit)),
        SearchGroup("experts", experts.count(), expert_search(query=query, limit=limit)),
        SearchGroup("questions", questions.count(), list(questions[:limit])),
        SearchGroup("legal", acts.count(), list(acts.select_related("body")[:limit])),
    ]
