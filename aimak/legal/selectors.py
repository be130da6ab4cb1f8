"""Reads of the legal-acts database; `legal_act_search` is the one search entry point.

PostgreSQL: the narrow LegalActSearch rows (docs/legal-search.md), matched with a
`russian` websearch query OR a `simple` prefix query of the folded Kyrgyz stems; acts
whose title matches come first, then those matching in title and text together, then
when nothing matches, the same for the query with misspelt words corrected (pg_trgm on
the titles' words), newest first within each; the count
stops at COUNT_CAP + 1; the page's fragments are highlighted in Python (`highlight`).
Any other database (SQLite): the stored stems (text.py) matched by prefix, ranked by the
number of query words found in the title, then in the text; highlighted in Python.
Both mark matched words with <mark> and escape everything else.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import overload

from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Expression
from django.utils.safestring import SafeString, mark_safe

from .models import IssuingBody, LegalAct, LegalActLink, LegalActSearch
from .text import SIMPLE_MARK, fold, kyrgyz_stem, query_terms, russian_stem, words

MAX_QUERY_WORDS = 10
SNIPPET_CHARS = 240
COUNT_CAP = 300  # searches count exactly up to here, then say "more than 300"
# The `rank` of an act found on PostgreSQL: by its tier (title, title and text, similar).
TIER_RANKS = (1.0, 0.5, 0.1)
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


# One probe of the date index per year (a loose index scan), not a read of every act.
_YEARS_SQL = """
WITH RECURSIVE y(d) AS (
    (SELECT max(date) FROM legal_legalact)
    UNION ALL
    SELECT (SELECT max(date) FROM legal_legalact
            WHERE date < make_date(extract(year FROM y.d)::int, 1, 1))
    FROM y WHERE y.d IS NOT NULL
)
SELECT extract(year FROM d)::int FROM y WHERE d IS NOT NULL
"""


def legal_act_years() -> list[int]:
    """The years that have acts, newest first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_YEARS_SQL)
            return [int(year) for (year,) in cursor.fetchall()]
    return [d.year for d in LegalAct.objects.dates("date", "year", order="DESC")]


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
    keys = tuple(s for group in _word_keys(query) for s in group)
    if not text:
        return mark_safe("")
    spans: list[tuple[int, int]] = []
    # Both stems of a word are prefixes of the folded word (they only drop endings), so a
    # stored stem starts with a key exactly when the folded word does: one test per word.
    for match in re.finditer(r"\w+", text) if keys else ():
        if fold(match.group()).startswith(keys):
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


MIN_PREFIX = 3  # shorter stems ("оз" of «өз») match whole words only, not as prefixes


def _tsquery_simple_prefix(keys: list[list[str]]) -> str:
    """`simple` tsquery of folded Kyrgyz stems, each a marked prefix (SIMPLE_MARK):
    (kyмыйзам:* | ...) & ...
    A stem shorter than MIN_PREFIX matches only itself: as a prefix it would match
    thousands of unrelated words and make the GIN scan slow (docs/legal-search.md)."""
    parts = []
    for group in keys:
        alts = [re.sub(r"[^\w]", "", s) for s in group]
        alts = [SIMPLE_MARK + a + ("" if len(a) < MIN_PREFIX else ":*") for a in alts if a]
        if alts:
            parts.append("(" + " | ".join(alts) + ")")
    return " & ".join(parts)


class LegalActResults:
    """Search results as a lazy sequence for `Paginator` and the API's limit/offset: the
    count is exact up to COUNT_CAP (then `more` is true and the count is COUNT_CAP + 1),
    and a slice runs only the queries that page needs."""

    def __init__(
        self,
        *,
        count: Callable[[int | None], int],
        fetch: Callable[[int, int], list[LegalAct]],
        cap: int | None,
    ) -> None:
        self._count_fn = count
        self._fetch = fetch
        self._cap = cap
        self._count: int | None = None
        # The query as corrected for spelling when nothing matched it as typed (PostgreSQL).
        self.corrected = ""

    def count(self) -> int:
        if self._count is None:
            self._count = self._count_fn(None if self._cap is None else self._cap + 1)
        return self._count

    @property
    def cap(self) -> int | None:
        """Where the count stops (None: it is exact)."""
        return self._cap

    @property
    def more(self) -> bool:
        """True when more acts match than were counted (the count is a lower bound)."""
        return self._cap is not None and self.count() > self._cap

    def __len__(self) -> int:
        return self.count()

    def select_related(self, *fields: str) -> LegalActResults:
        """For callers written against a QuerySet: every act already carries its body."""
        return self

    @overload
    def __getitem__(self, item: int) -> LegalAct: ...

    @overload
    def __getitem__(self, item: slice) -> list[LegalAct]: ...

    def __getitem__(self, item: int | slice) -> LegalAct | list[LegalAct]:
        if isinstance(item, int):
            found = self._fetch(item, 1)
            if not found:
                raise IndexError(item)
            return found[0]
        start, stop, step = item.indices(self.count())
        if step != 1:
            raise ValueError("LegalActResults supports only contiguous slices")
        return self._fetch(start, max(0, stop - start)) if stop > start else []

    def __iter__(self) -> Iterator[LegalAct]:
        return iter(self[0 : self.count()])


def _queryset_results(qs: QuerySet[LegalAct], *, cap: int | None) -> LegalActResults:
    def count(limit: int | None) -> int:
        return (qs if limit is None else qs.order_by()[:limit]).count()

    def fetch(offset: int, limit: int) -> list[LegalAct]:
        return list(qs[offset : offset + limit])

    return LegalActResults(count=count, fetch=fetch, cap=cap)


# The most similar title word to each query word (pg_trgm on LegalWord); a word found as
# it is comes back unchanged (distance 0), a word with nothing similar enough comes back null.
_CORRECTION_SQL = """
SELECT c.word FROM unnest(%s::text[]) WITH ORDINALITY AS q(w, i)
LEFT JOIN LATERAL (
    SELECT word FROM legal_legalword
    WHERE word %% q.w AND similarity(word, q.w) >= %s
    ORDER BY word <-> q.w, word LIMIT 1
) c ON true
ORDER BY q.i
"""
SIMILARITY = 0.5  # «водопользованеи» → «водопользовании» (0.6); «пастбищезавр» finds nothing
MIN_CORRECTED = 4  # shorter words are left as they are


def spelling_correction(query: str) -> str:
    """PostgreSQL: the query with each word that no title has replaced by the most similar
    title word, or "" when no word changed (or a changed word has nothing similar)."""
    folded = [fold(w) for w in words(query)[:MAX_QUERY_WORDS]]
    check = [w for w in folded if len(w) >= MIN_CORRECTED]
    if not check:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(_CORRECTION_SQL, [check, SIMILARITY])
        found = dict(zip(check, (row[0] for row in cursor.fetchall()), strict=True))
    if any(better is None for better in found.values()):
        return ""
    corrected = [found.get(w, w) for w in folded]
    return " ".join(corrected) if corrected != folded else ""


def _search_postgres(
    filters: LegalActFilters, query: str, keys: list[list[str]], *, correct: bool = True
) -> LegalActResults:
    """Tiers over the narrow LegalActSearch rows, newest first within each:
    1. acts whose title matches every word (the small title vector);
    2. acts whose title and text together match (the stripped vector);
    3. only when nothing matches exactly: the same two tiers for the query with its
       misspelt words corrected (`spelling_correction`: the most similar title words,
       pg_trgm on the small LegalWord table), ranked as similar; `corrected` says so.
    Each tier is read only as far as the page needs, through the date index (a common
    word: the newest rows match at once), the type's or body's date index (a filter), or
    the GIN index (a rare word), whichever the planner finds cheaper; the count stops at
    COUNT_CAP + 1. Nothing ranks or reads every matching act, and the wide acts table is
    read for the page's acts only."""
    from django.contrib.postgres.search import SearchQuery

    # Folded like the indexed Kyrgyz (ң ө ү → н о у); Russian words are unchanged by it.
    russian = SearchQuery(fold(query), config="russian", search_type="websearch")
    folded = SearchQuery(_tsquery_simple_prefix(keys), config="simple", search_type="raw")
    tsquery = russian | folded
    rows = LegalActSearch.objects.all()
    if filters.act_type:
        rows = rows.filter(act_type=filters.act_type)
    if filters.body is not None:
        rows = rows.filter(body=filters.body)
    if filters.year:
        rows = rows.filter(date__year=filters.year)
    if filters.status:
        rows = rows.filter(status=filters.status)
    in_title = Q(title_vector=tsquery)
    in_text = Q(vector=tsquery)
    tiers: list[tuple[float, QuerySet[LegalActSearch]]] = [
        (TIER_RANKS[0], rows.filter(in_title)),
        (TIER_RANKS[1], rows.filter(in_text).exclude(in_title)),
    ]
    tiers = [(rank, tier.order_by("-date", "-act_id")) for rank, tier in tiers]
    matches = rows.filter(in_text).order_by()
    # Known after the count (or the first page): whether anything matches exactly, and
    # the results of the corrected query when nothing does.
    state: dict[str, bool] = {}
    other: list[LegalActResults] = []

    def corrected() -> LegalActResults | None:
        if "corrected" not in state:
            state["corrected"] = False
            better = spelling_correction(query) if correct else ""
            if better:
                other.append(_search_postgres(filters, better, _word_keys(better), correct=False))
                results.corrected = better
                state["corrected"] = True
        return other[0] if other else None

    def count(limit: int | None) -> int:
        found = (matches if limit is None else matches[:limit]).count()
        state["exact"] = found > 0
        if not found and (similar := corrected()) is not None:
            return similar.count()
        return found

    def fetch(offset: int, limit: int) -> list[LegalAct]:
        if "exact" not in state:
            state["exact"] = matches.exists()
        if not state["exact"]:
            similar = corrected()
            page = similar[offset : offset + limit] if similar is not None else []
            for act in page:
                act.rank = TIER_RANKS[2]  # type: ignore[attr-defined]
            return page
        ranked: list[tuple[int, float]] = []
        skip = offset  # acts of the earlier tiers still to pass over
        for rank, tier in tiers:
            want = limit - len(ranked)
            ids = list(tier.values_list("act_id", flat=True)[skip : skip + want])
            ranked.extend((pk, rank) for pk in ids)
            if len(ranked) >= limit:
                break
            # This tier ended inside or before the page: how many of it lay before it.
            passed = skip + len(ids) if ids else tier.order_by()[:skip].count()
            skip = max(0, skip - passed)
        if not ranked:
            return []
        acts = {
            act.pk: act
            for act in LegalAct.objects.select_related("body")
            .filter(pk__in=[pk for pk, _rank in ranked])
            .defer("search_text")
            .order_by()
        }
        page = []
        for pk, rank in ranked:
            act = acts[pk]
            act.rank = rank  # type: ignore[attr-defined]
            page.append(act)
        return page

    results = LegalActResults(count=count, fetch=fetch, cap=COUNT_CAP)
    return results


def legal_act_search(*, query: str, filters: LegalActFilters | None = None) -> LegalActResults:
    """Acts matching `query` under the filters, best first (all acts, newest first, when
    the query has no words), as a lazy sequence: count it, slice a page of it. Each act
    carries `rank`; turn a page of them into hits with `legal_act_hits`. With words, the
    count is exact up to COUNT_CAP (see `more`)."""
    qs = _filtered(filters or LegalActFilters())
    keys = _word_keys(query)
    if not keys:
        return _queryset_results(qs.order_by("-date", "number"), cap=None)
    if connection.vendor == "postgresql":
        return _search_postgres(filters or LegalActFilters(), query, keys)
    return _queryset_results(_search_fallback(qs, keys), cap=COUNT_CAP)


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
