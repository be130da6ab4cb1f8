"""Reads of the legal-acts database; `legal_act_search` is the one search entry point.

PostgreSQL: the stored weighted tsvector (title A, text B) in the `russian` and `simple`
configurations, matched with a `russian` websearch query OR a `simple` prefix query of the
folded Kyrgyz stems, OR pg_trgm word similarity on the folded text (spelling variants);
ranked by SearchRank; the Russian fragment highlighted by SearchHeadline.
Any other database (SQLite): the stored stems (text.py) matched by prefix, ranked by the
number of query words found in the title, then in the text; highlighted in Python.
Both mark matched words with <mark> and escape everything else.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import ExtractYear
from django.utils.safestring import SafeString, mark_safe

from .models import IssuingBody, LegalAct, LegalActLink
from .text import fold, kyrgyz_stem, query_terms, russian_stem, words

MAX_QUERY_WORDS = 10
SNIPPET_CHARS = 240
_START, _STOP = "\x02", "\x03"  # SearchHeadline delimiters, replaced after escaping


@dataclass(frozen=True)
class LegalActFilters:
    act_type: str | None = None
    body: IssuingBody | None = None
    year: int | None = None
    status: str | None = None


@dataclass
class SearchHit:
    act: LegalAct
    snippet: SafeString
    matched_in_title: bool
    rank: float = 0.0


def _filtered(filters: LegalActFilters) -> QuerySet[LegalAct]:
    qs = LegalAct.objects.select_related("body")
    if filters.act_type:
        qs = qs.filter(act_type=filters.act_type)
    if filters.body is not None:
        qs = qs.filter(body=filters.body)
    if filters.year:
        qs = qs.filter(date__year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def legal_act_list(*, filters: LegalActFilters | None = None) -> QuerySet[LegalAct]:
    return _filtered(filters or LegalActFilters()).order_by("-date", "number")


def legal_act_years() -> list[int]:
    years = LegalAct.objects.annotate(y=ExtractYear("date")).values_list("y", flat=True)
    return sorted(set(years), reverse=True)


def issuing_body_list() -> QuerySet[IssuingBody]:
    return IssuingBody.objects.order_by("slug")


def legal_act_get(*, key: str) -> LegalAct:
    return LegalAct.objects.select_related("body").get(key=key)


def legal_act_links(*, act: LegalAct) -> tuple[list[LegalActLink], list[LegalActLink]]:
    """Links from this act to others, and from others to this act."""
    out = list(act.links_out.select_related("target").order_by("target__date"))
    into = list(act.links_in.select_related("source").order_by("source__date"))
    return out, into


# --- search -------------------------------------------------------------------------------


def _stems(term: str) -> list[str]:
    return [s for s in dict.fromkeys((russian_stem(term), kyrgyz_stem(term))) if len(s) >= 2]


def _word_keys(query: str) -> list[list[str]]:
    """Each query word as the list of its stems (a word matches if any stem does)."""
    keys = [_stems(t) for t in query_terms(query, limit=MAX_QUERY_WORDS)]
    return [k for k in keys if k]


def highlight(text: str, query: str, *, limit: int = SNIPPET_CHARS) -> SafeString:
    """A fragment of `text` around the first matched word, every matched word in <mark>,
    everything else escaped. Without a match: the opening of the text."""
    keys = [s for group in _word_keys(query) for s in group]
    if not text:
        return mark_safe("")
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"\w+", text):
        word = match.group()
        forms = (russian_stem(word), kyrgyz_stem(word), fold(word))
        if any(form.startswith(key) for key in keys for form in forms):
            spans.append(match.span())
    start = 0
    if spans:
        start = max(0, spans[0][0] - limit // 3)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + limit)
    while end < len(text) and not text[end - 1].isspace():
        end += 1
    out = ["… " if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[cursor:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        cursor = e
    out.append(html.escape(text[cursor:end]))
    out.append(" …" if end < len(text) else "")
    return mark_safe("".join(out))


def _headline_to_html(headline: str) -> SafeString:
    escaped = html.escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(escaped)


def _snippet(act: LegalAct, query: str, headline: str | None) -> SafeString:
    if headline and _START in headline:
        return _headline_to_html(headline)
    for text in (act.text_ru, act.text_ky, act.title or ""):
        snippet = highlight(text, query)
        if "<mark>" in snippet:
            return snippet
    return highlight(act.text_ru or act.text_ky, query)


def _title_matches(act: LegalAct, keys: list[list[str]]) -> bool:
    return any(f" {s}" in act.search_title for group in keys for s in group)


def _search_fallback(qs: QuerySet[LegalAct], keys: list[list[str]]) -> QuerySet[LegalAct]:
    """Any database: every query word must match a stem of the title or the text."""
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
    return qs.annotate(
        score_title=score_title,
        score_text=score_text,
        rank=F("score_title") * 10 + F("score_text"),
    ).order_by("-score_title", "-score_text", "-date", "pk")


def _tsquery_simple_prefix(keys: list[list[str]]) -> str:
    """`simple` tsquery of folded Kyrgyz stems, each a prefix: (мыйзам:* | ...) & ..."""
    parts = []
    for group in keys:
        alts = [re.sub(r"[^\w]", "", s) for s in group]
        alts = [a for a in alts if a]
        if alts:
            parts.append("(" + " | ".join(f"{a}:*" for a in alts) + ")")
    return " & ".join(parts)


def _search_postgres(
    qs: QuerySet[LegalAct], query: str, keys: list[list[str]]
) -> QuerySet[LegalAct]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    # Folded like the indexed Kyrgyz (ң ө ү → н о у); Russian words are unchanged by it.
    russian = SearchQuery(fold(query), config="russian", search_type="websearch")
    folded = SearchQuery(_tsquery_simple_prefix(keys), config="simple", search_type="raw")
    tsquery = russian | folded
    folded_query = " ".join(fold(w) for w in words(query)[:MAX_QUERY_WORDS])
    # pg_trgm: the folded query is similar to a run of words of the folded titles
    # (a misspelt or differently spelt word); uses the GIN trigram index. Titles only:
    # word similarity over whole texts costs too much at 100,000 acts (bench/legal_search.py).
    similar = RawSQL(
        '%s <%% "legal_legalact"."search_folded"', (folded_query,), output_field=BooleanField()
    )
    weights = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A: a title match outranks a text match
    return (
        qs.filter(Q(search_vector=tsquery) | Q(similar))
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery, weights=weights),
            headline=SearchHeadline(
                "text_ru",
                russian,
                config="russian",
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
                max_fragments=1,
            ),
        )
        .order_by("-rank", "-date", "pk")
    )


def legal_act_search(*, query: str, filters: LegalActFilters | None = None) -> QuerySet[LegalAct]:
    """Acts matching `query` under the filters, best first (all acts, newest first, when
    the query has no words). Each act carries `rank`, and on PostgreSQL `headline`; turn a
    page of them into hits with `legal_act_hits`."""
    qs = _filtered(filters or LegalActFilters())
    keys = _word_keys(query)
    if not keys:
        return qs.order_by("-date", "number")
    if connection.vendor == "postgresql":
        return _search_postgres(qs, query, keys)
    return _search_fallback(qs, keys)


def legal_act_hits(*, acts: list[LegalAct], query: str) -> list[SearchHit]:
    """One page of search results with their highlighted fragments (no queries)."""
    keys = _word_keys(query)
    return [
        SearchHit(
            act=act,
            snippet=_snippet(act, query, getattr(act, "headline", None)),
            matched_in_title=_title_matches(act, keys),
            rank=float(getattr(act, "rank", 0.0) or 0.0),
        )
        for act in acts
    ]
