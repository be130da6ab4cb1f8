#!/usr/bin/env python
"""Seed-002 indicator page latency on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/inclusion_indicators.py [--small]

1. Drops and creates its own database (`aimak_bench_inclusion` on the server of
   DATABASE_URL), migrates, loads the real registry, then generates (bulk inserts) for up to
   500 real municipalities (the registry holds 484 ayil aimaks and cities, so all of them): 20,000 events of every kind over 2022–2026, each in one to three
   municipalities, with an attendance row per municipality (women, men, not stated), and
   ~500 council resolutions (a gender-policy decision in most, some repealed). `--small`:
   50 municipalities, 2,000 events, 50 resolutions.
2. Counts the queries of one page render (the number must not depend on the data: the same
   page is also counted on an almost empty database by the tests).
3. Starts gunicorn with ONE worker (production settings, bench.settings) and requests the
   public indicator page ≥ 200 times as an anonymous visitor, cycling through several
   periods and regions (whole country, oblasts, rayons); every URL carries a unique extra
   parameter, so each request misses the page cache and computes the indicators.

Prints p50/p95/p99 and writes bench/results/inclusion_indicators.json. Target: p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import ROOT, Server, bench_env, get, log, percentile

RESULTS = ROOT / "bench" / "results"
DB_NAME = "aimak_bench_inclusion"
TARGET_P95_MS = 300.0
SCOPES = [
    "start=2025-01-01&end=2025-12-31",
    "start=2024-01-01&end=2026-12-31",
    "start=2025-01-01&end=2025-12-31&region=41703000000000",
    "start=2023-01-01&end=2025-12-31&region=41704000000000",
    "start=2025-04-01&end=2025-06-30&region=41703204000000",
    "start=2022-01-01&end=2026-12-31&region=41706000000000",
    "start=2026-01-01&end=2026-12-31&region=41708000000000",
    "start=2025-01-01&end=2025-12-31&region=41702000000000",
]

GENERATE = """
import datetime, random
from django.db import connection, transaction
from django.utils import timezone
from aimak.council.models import Decision, Resolution
from aimak.events.models import Attendance, Event, EventKind
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

rng = random.Random(2026)
municipalities = list(Territory.objects.filter(level__in=MUNICIPAL_LEVELS).order_by("code")[:{m}])
kinds = [k.value for k in EventKind]
start = datetime.datetime(2022, 1, 1, tzinfo=datetime.UTC)
span = 5 * 365 * 24 * 3600
with transaction.atomic():
    events = Event.objects.bulk_create(
        Event(title=f"Bench event {{i}}", kind=rng.choice(kinds),
              starts_at=start + datetime.timedelta(seconds=rng.randrange(span)))
        for i in range({e})
    )
    through = Event.municipalities.through
    links, rows = [], []
    for event in events:
        for m in rng.sample(municipalities, rng.choice([1, 1, 1, 2, 3])):
            links.append(through(event_id=event.pk, territory_id=m.pk))
            rows.append(Attendance(event_id=event.pk, municipality_id=m.pk, source="sheet",
                                   women=rng.randrange(40), men=rng.randrange(40),
                                   sex_not_stated=rng.randrange(5)))
    through.objects.bulk_create(links, batch_size=5000)
    Attendance.objects.bulk_create(rows, batch_size=5000)
    resolutions = Resolution.objects.bulk_create(
        Resolution(municipality=rng.choice(municipalities), number=str(i),
                   date=datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2400)),
                   title=f"Bench resolution {{i}}")
        for i in range({r})
    )
    for r in resolutions:
        if rng.random() < 0.15:
            r.repealed_on = r.date + datetime.timedelta(days=rng.randrange(30, 900))
    Resolution.objects.bulk_update(resolutions, ["repealed_on"])
    Decision.objects.bulk_create(
        Decision(resolution=r, kind="gender_policy" if rng.random() < 0.8 else "budget")
        for r in resolutions
    )
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(len(municipalities), len(events), len(links), len(resolutions))
"""

COUNT = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
counts = []
for i, scope in enumerate({scopes!r}):
    with CaptureQueriesContext(connection) as ctx:
        response = Client(HTTP_HOST="127.0.0.1").get(f"/ky/inclusion/indicators/?{{scope}}&q={{i}}")
    assert response.status_code == 200, response.status_code
    counts.append(len(ctx.captured_queries))
print("QUERIES", counts)
"""


def _database(url: str) -> str:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return urlunsplit(parts._replace(path=f"/{DB_NAME}"))


def _manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="50 municipalities, 2,000 events")
    parser.add_argument("--requests", type=int, default=240)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL server (the benchmark makes its own database).")
        return 2
    sizes = (50, 2_000, 50) if args.small else (500, 20_000, 500)
    with tempfile.TemporaryDirectory(prefix="aimak-bench-inclusion-") as var_dir:
        env = bench_env(var_dir)
        env["DATABASE_URL"] = _database(url)
        env["WEB_CONCURRENCY"] = "1"
        log(f"Preparing {DB_NAME}: migrate, registry, {sizes[1]} events …")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "load_territories", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
        started = time.perf_counter()
        made = _manage(
            env, "shell", stdin=GENERATE.format(m=sizes[0], e=sizes[1], r=sizes[2])
        ).split()[-4:]
        generate_s = time.perf_counter() - started
        log(
            f"municipalities, events, municipality links, resolutions: {made} in {generate_s:.1f} s"
        )
        out = _manage(env, "shell", stdin=COUNT.format(scopes=SCOPES))
        queries = json.loads(out.split("QUERIES", 1)[1].strip().splitlines()[0])
        server = Server(env, var_dir, "--workers", "1")
        try:
            for scope in SCOPES:  # warm-up: imports, templates, connections
                get(server.port, f"/ky/inclusion/indicators/?{scope}&warm=1")
            timings: list[float] = []
            per_scope: dict[str, list[float]] = {s: [] for s in SCOPES}
            for i in range(args.requests):
                scope = SCOPES[i % len(SCOPES)]
                t0 = time.perf_counter()
                status, _body = get(server.port, f"/ky/inclusion/indicators/?{scope}&n={i}")
                ms = (time.perf_counter() - t0) * 1000
                if status != 200:
                    raise SystemExit(f"HTTP {status} for {scope}")
                timings.append(ms)
                per_scope[scope].append(ms)
        finally:
            server.stop()
    timings.sort()
    result = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "database": "PostgreSQL",
        "municipalities": int(made[0]),
        "events": sizes[1],
        "event_municipality_links_and_attendance_rows": int(made[2]),
        "resolutions": sizes[2],
        "generate_seconds": round(generate_s, 1),
        "requests": len(timings),
        "uncached": True,
        "gunicorn_workers": 1,
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "target_p95_ms": TARGET_P95_MS,
        "queries_per_page": queries,
        "per_scope_median_ms": {
            s: round(sorted(v)[len(v) // 2], 1) for s, v in per_scope.items() if v
        },
    }
    print(f"{'scope':<62} {'median ms':>10}")
    for scope, ms in result["per_scope_median_ms"].items():
        print(f"{scope:<62} {ms:>10.1f}")
    print(
        f"\n{len(timings)} uncached requests: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} "
        f"ms, p99 {result['p99_ms']} ms (target p95 < {TARGET_P95_MS} ms); queries per page "
        f"{queries}"
    )
    if not args.small:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "inclusion_indicators.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
