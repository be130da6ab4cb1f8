#!/usr/bin/env python
"""Legal-acts search at national scale: 100,000 acts on PostgreSQL, p50/p95/p99 of a search.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/legal_search.py

1. Drops and creates its own database (`aimak_bench_legal` on the server of DATABASE_URL),
   migrates it and loads the real acts (data/legal-acts).
2. Generates acts (100,000 by default) from the vocabulary of the real ones: each title and
   text is a random run of real title and text words in the language of a real act
   (Russian or Kyrgyz), with real types, bodies and statuses and dates from 1995 to 2025;
   their search fields are written by the same service as in production (legal_act_index).
3. Latency: one client, one search at a time, cycling through Russian word forms, Kyrgyz
   phrases with and without ң ө ү, and filtered searches; each search runs what the search
   page runs (the count, then the first page of 20 with their highlighted fragments).

Prints a table and writes bench/results/legal_search.json. Target: p95 < 100 ms.
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
TARGET_P95_MS = 100.0
QUERIES = [
    ("бюджета", {}),
    ("местного самоуправления", {}),
    ("органов местного самоуправления", {"status": "in_force"}),
    ("закона о статусе депутатов", {}),
    ("жергиликтүү өз алдынча башкаруу", {}),
    ("жергиликтуу оз алдынча башкаруу", {}),
    ("мыйзамына өзгөртүүлөрдү", {}),
    ("мыйзамына озгортуулорду", {"year": 2013}),
    ("айылдык кеңештин токтому", {}),
    ("тарифтер", {"act_type": "council_resolution"}),
    ("доступ к информации", {"act_type": "law"}),
    ("муниципальной собственности", {}),
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


def _search_once(query: str, filters: dict) -> int:
    from aimak.legal.models import IssuingBody
    from aimak.legal.selectors import LegalActFilters, legal_act_hits, legal_act_search

    body = IssuingBody.objects.get(slug=filters["body"]) if "body" in filters else None
    qs = legal_act_search(
        query=query,
        filters=LegalActFilters(
            act_type=filters.get("act_type"),
            body=body,
            year=filters.get("year"),
            status=filters.get("status"),
        ),
    )
    total = qs.count()
    legal_act_hits(acts=list(qs[:20]), query=query)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acts", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10, help="passes over the queries")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database).")
        return 2
    os.environ["DATABASE_URL"] = _database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aimak.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"Preparing {DB_NAME}: migrate, real acts, {args.acts} generated acts …")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_legal_acts", verbosity=0)
    started = time.perf_counter()
    _generate(args.acts, args.seed)
    generate_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE legal_legalact")

    for query, filters in QUERIES:  # warm-up
        _search_once(query, filters)
    timings: list[float] = []
    per_query: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    for _ in range(args.rounds):
        for query, filters in QUERIES:
            t0 = time.perf_counter()
            totals[query] = _search_once(query, filters)
            ms = (time.perf_counter() - t0) * 1000
            timings.append(ms)
            per_query.setdefault(query, []).append(ms)
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(p * len(timings)))]

    result = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "postgres": connection.pg_version,
        "acts": args.acts + 39,
        "generate_seconds": round(generate_s, 1),
        "searches": len(timings),
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "p99_ms": round(pct(0.99), 1),
        "target_p95_ms": TARGET_P95_MS,
        "per_query_median_ms": {q: round(statistics.median(v), 1) for q, v in per_query.items()},
        "per_query_results": totals,
    }
    print(f"{'query':<40} {'median ms':>10} {'results':>8}")
    for query, values in per_query.items():
        print(f"{query:<40} {statistics.median(values):>10.1f} {totals[query]:>8}")
    print(
        f"\n{result['acts']} acts, {len(timings)} searches: p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms (target p95 < {TARGET_P95_MS} ms)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "legal_search.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    connection.close()
    return 1 if args.strict and result["p95_ms"] >= TARGET_P95_MS else 0


if __name__ == "__main__":
    sys.exit(main())
