#!/usr/bin/env python
"""Legal-acts search at national scale: 100,000 acts on PostgreSQL, p50/p95/p99 of a search.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/legal_search.py

1. Drops and creates its own database (`aimak_bench_legal` on the server of DATABASE_URL),
   migrates it and loads the real acts (data/legal-acts).
2. Generates acts (100,000 by default) from the vocabulary of the real ones: each title and
   text is a random run of real title and text words in the language of a real act
   (Russian or Kyrgyz), with real types, bodies and statuses and dates from 1995 to 2025;
   their search fields are written by the same service as in production (legal_act_index).
3. Latency: one client, one search at a time, cycling through query kinds (common words,
   two words, Kyrgyz with and without ң ө ү, filtered, rare, misspelt, no hits, a later
   page); each search runs what the search page runs (the count, then one page of 20 with
   their highlighted fragments).
4. Unless --no-compare: the previous path (0002: one weighted vector with positions in the
   acts table, ts_rank over every match, an exact count) rebuilt in a bench-only column
   and timed on the same acts, for before/after figures from one run.

The database is kept afterwards: `--reuse` times its acts again (after migrating them to
the current code) without the minutes of generating them.

Prints a table and writes bench/results/legal_search.json. Target: p95 < 50 ms.
`--strict` exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DB_NAME = "aimak_bench_legal"
TARGET_P95_MS = 50.0
PAGE = 20
# (kind, query, filters); "page" in the filters asks for that page instead of the first.
QUERIES = [
    ("common", "бюджета", {}),
    ("common", "местного самоуправления", {}),
    ("common", "жергиликтүү өз алдынча башкаруу", {}),
    ("common", "жергиликтуу оз алдынча башкаруу", {}),
    ("two words", "закона о статусе депутатов", {}),
    ("two words", "муниципальной собственности", {}),
    ("kyrgyz", "мыйзамына өзгөртүүлөрдү", {}),
    ("kyrgyz", "айылдык кеңештин токтому", {}),
    ("kyrgyz", "муниципалдык ишканасын", {}),
    ("filters", "органов местного самоуправления", {"status": "in_force"}),
    ("filters", "мыйзамына озгортуулорду", {"year": 2013}),
    ("filters", "тарифтер", {"act_type": "council_resolution"}),
    ("filters", "доступ к информации", {"act_type": "law"}),
    ("filters", "бюджета", {"body": "jogorku-kenesh", "year": 2020}),
    ("rare", "водоотведения", {}),
    ("rare", "реформа мужчин", {}),
    ("rare", "ирригацияны", {}),
    ("misspelt", "самоуправлниея", {}),
    ("no hits", "пастбищезавр", {}),
    ("no hits", "кыргызбалык тоосу", {}),
    ("page 5", "бюджета", {"page": 5}),
]


def _database(url: str) -> str:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def _generate(count: int, seed: int) -> None:
    from django.db import transaction

    from aimak.legal.models import LegalAct
    from aimak.legal.services import legal_act_index
    from aimak.legal.text import words

    rng = random.Random(seed)
    real = list(LegalAct.objects.select_related("body"))
    vocab = {
        "ru": (
            [w for a in real for w in words(a.title_ru or "")],
            [w for a in real for w in words(a.text_ru)],
        ),
        "ky": (
            [w for a in real for w in words(a.title_ky or "")],
            [w for a in real for w in words(a.text_ky)],
        ),
    }
    batch = 2000
    for start in range(0, count, batch):
        acts = []
        for i in range(start, min(count, start + batch)):
            model = rng.choice(real)
            lang = rng.choice(("ru", "ky"))
            titles, texts = vocab[lang]
            title = " ".join(rng.choices(titles, k=rng.randint(5, 14)))
            text = " ".join(rng.choices(texts, k=rng.randint(80, 160)))
            acts.append(
                LegalAct(
                    key=f"bench-{i}",
                    act_type=model.act_type,
                    number=str(rng.randint(1, 999)),
                    date=datetime.date(1995, 1, 1)
                    + datetime.timedelta(days=rng.randint(0, 30 * 365)),
                    body=model.body,
                    title_ru=title if lang == "ru" else "",
                    title_ky=title if lang == "ky" else "",
                    text_ru=text if lang == "ru" else "",
                    text_ky=text if lang == "ky" else "",
                    status=model.status,
                    partial=False,
                )
            )
        with transaction.atomic():
            created = LegalAct.objects.bulk_create(acts)
            legal_act_index(act_ids=[a.pk for a in created])
        print(f"  {start + len(acts):>7} acts", end="\r", flush=True)
    print()


def _filters(filters: dict):
    from aimak.legal.models import IssuingBody
    from aimak.legal.selectors import LegalActFilters

    body = IssuingBody.objects.get(slug=filters["body"]) if "body" in filters else None
    return LegalActFilters(
        act_type=filters.get("act_type"),
        body=body,
        year=filters.get("year"),
        status=filters.get("status"),
    )


def _search_once(query: str, filters: dict) -> int:
    """What the search page runs: the count, then one page with its fragments."""
    from aimak.legal.selectors import legal_act_hits, legal_act_search

    results = legal_act_search(query=query, filters=_filters(filters))
    total = results.count()
    offset = (filters.get("page", 1) - 1) * PAGE
    legal_act_hits(acts=list(results[offset : offset + PAGE]), query=query)
    return total


# --- the previous path (migration 0002), rebuilt in a bench-only column -------------------

_FOLD = "translate(lower(coalesce({0}, '')), 'ңӊөүё', 'нн\u043eуе')"
_OLD_VECTOR = (
    "setweight(to_tsvector('russian', coalesce(title_ru, '') || ' ' || "
    + _FOLD.format("title_ky")
    + "), 'A') || setweight(to_tsvector('simple', search_folded), 'A') || "
    "setweight(to_tsvector('russian', coalesce(text_ru, '')), 'B') || "
    "setweight(to_tsvector('simple', " + _FOLD.format("text_ky") + "), 'B')"
)


def _old_prepare() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE legal_legalact ADD COLUMN bench_old_vector tsvector")
        cursor.execute(f"UPDATE legal_legalact SET bench_old_vector = {_OLD_VECTOR}")  # noqa: S608
        cursor.execute("CREATE INDEX bench_old_gin ON legal_legalact USING gin (bench_old_vector)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE legal_legalact")


def _old_search_once(query: str, filters: dict) -> int:
    """The 0002 selector's SQL: OR of the tsquery and pg_trgm, ts_rank of the weighted
    vector over every match, an exact count, ts_headline in the page query."""
    from django.db import connection

    from aimak.legal.models import LegalAct
    from aimak.legal.selectors import (
        _START,
        _STOP,
        MAX_QUERY_WORDS,
        _word_keys,
        legal_act_hits,
    )
    from aimak.legal.text import fold, words

    keys = _word_keys(query)
    f = _filters(filters)
    where = [
        "(bench_old_vector @@ (websearch_to_tsquery('russian', %(q)s) || "
        "to_tsquery('simple', %(p)s)) OR %(fq)s <%% search_folded)"
    ]
    params: dict = {
        "q": fold(query),
        "p": " & ".join("(" + " | ".join(f"{a}:*" for a in g) + ")" for g in keys),
        "fq": " ".join(fold(w) for w in words(query)[:MAX_QUERY_WORDS]),
        "opts": f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15, MaxFragments=1",
        "offset": (filters.get("page", 1) - 1) * PAGE,
    }
    for name, value in (
        ("act_type", f.act_type),
        ("body_id", f.body.pk if f.body else None),
        ("status", f.status),
    ):
        if value:
            where.append(f"{name} = %({name})s")
            params[name] = value
    if f.year:
        where.append("date BETWEEN %(y0)s AND %(y1)s")
        params["y0"], params["y1"] = f"{f.year}-01-01", f"{f.year}-12-31"
    condition = " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM legal_legalact WHERE {condition}", params)  # noqa: S608
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id, ts_rank('{0.1,0.2,0.4,1.0}', bench_old_vector, "  # noqa: S608
            "websearch_to_tsquery('russian', %(q)s) || to_tsquery('simple', %(p)s)) AS rank, "
            "ts_headline('russian', text_ru, websearch_to_tsquery('russian', %(q)s), %(opts)s) "
            f"FROM legal_legalact WHERE {condition} ORDER BY rank DESC, date DESC, id "
            f"LIMIT {PAGE} OFFSET %(offset)s",
            params,
        )
        rows = cursor.fetchall()
    acts = LegalAct.objects.select_related("body").in_bulk([r[0] for r in rows])
    page = []
    for pk, rank, headline in rows:
        act = acts[pk]
        act.rank, act.headline = rank, headline  # type: ignore[attr-defined]
        page.append(act)
    legal_act_hits(acts=page, query=query)
    return total


def _measure(search, rounds: int) -> dict:
    for _kind, query, filters in QUERIES:  # warm-up
        search(query, filters)
    timings: list[float] = []
    per_query: dict[str, list[float]] = {}
    per_kind: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    for _ in range(rounds):
        for kind, query, filters in QUERIES:
            label = f"{query} {json.dumps(filters, ensure_ascii=False)}" if filters else query
            t0 = time.perf_counter()
            totals[label] = search(query, filters)
            ms = (time.perf_counter() - t0) * 1000
            timings.append(ms)
            per_query.setdefault(label, []).append(ms)
            per_kind.setdefault(kind, []).append(ms)
    return {
        "searches": len(timings),
        **_percentiles(timings),
        "per_kind": {k: _percentiles(v) for k, v in per_kind.items()},
        "per_query_median_ms": {q: round(statistics.median(v), 1) for q, v in per_query.items()},
        "per_query_results": totals,
    }


def _percentiles(values: list[float]) -> dict:
    values = sorted(values)

    def pct(p: float) -> float:
        return round(values[min(len(values) - 1, int(p * len(values)))], 1)

    return {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}


def _print(title: str, run: dict) -> None:
    print(f"\n{title}")
    print(f"{'query':<58} {'median ms':>10} {'results':>8}")
    for label, ms in run["per_query_median_ms"].items():
        print(f"{label:<58} {ms:>10.1f} {run['per_query_results'][label]:>8}")
    for kind, p in run["per_kind"].items():
        print(f"  {kind:<12} p50 {p['p50_ms']:>8} ms   p95 {p['p95_ms']:>8} ms")
    print(
        f"{run['searches']} searches: p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, "
        f"p99 {run['p99_ms']} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10, help="passes over the queries")
    parser.add_argument("--old-rounds", type=int, default=2, help="passes for the old path")
    parser.add_argument("--no-compare", action="store_true", help="skip the old path")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the acts of an earlier run's database (kept) instead of making it again",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database).")
        return 2
    os.environ["DATABASE_URL"] = (
        urlunsplit(urlsplit(url)._replace(path=f"/{DB_NAME}")) if args.reuse else _database(url)
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimak.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    if args.reuse:
        print(f"Reusing {DB_NAME} as an earlier run left it (migrated to the current code) …")
        call_command("migrate", "--noinput", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE legal_legalact DROP COLUMN IF EXISTS bench_old_vector")
            cursor.execute("SELECT count(*) - 39 FROM legal_legalact")
            args.acts = cursor.fetchone()[0]
    else:
        print(f"Preparing {DB_NAME}: migrate, real acts, {args.acts} generated acts …")
        call_command("migrate", "--noinput", verbosity=0)
        call_command("load_legal_acts", verbosity=0)
        _generate(args.acts, args.seed)
    generate_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE legal_legalact")
        cursor.execute("VACUUM ANALYZE legal_legalactsearch")

    new = _measure(_search_once, args.rounds)
    _print("New path (narrow search table, tiers, capped count)", new)
    result = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "postgres": connection.pg_version,
        "acts": args.acts + 39,
        "generate_seconds": round(generate_s, 1),
        "target_p95_ms": TARGET_P95_MS,
        **new,
    }
    if not args.no_compare:
        print("\nRebuilding the previous path's vector for comparison …")
        _old_prepare()
        old = _measure(_old_search_once, args.old_rounds)
        _print(
            "Previous path (0002: weighted vector in the acts table, rank all, exact count)", old
        )
        result["previous_path"] = old
    print(
        f"\n{result['acts']} acts: p95 {result['p95_ms']} ms (target < {TARGET_P95_MS} ms)"
        + (
            f", previous path p95 {result['previous_path']['p95_ms']} ms"
            if "previous_path" in result
            else ""
        )
    )
    result["total_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "legal_search.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    connection.close()
    return 1 if args.strict and result["p95_ms"] >= TARGET_P95_MS else 0


if __name__ == "__main__":
    sys.exit(main())
