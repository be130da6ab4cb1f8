#!/usr/bin/env python
"""The public action-plan page at national scale, on PostgreSQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/action_plans.py [--small]

1. Drops and creates its own database (`aimak_bench_plans` on the server of DATABASE_URL),
   migrates it, loads the real registry (load_territories) and the services catalogue.
2. Generates, with COPY, 500 real municipalities (all the registry's current ones: 484) × 200 published recommendations × 5
   actions (500,000 actions; `--small`: 20 × 200 × 5), with the default statuses, deadlines
   around today (some overdue), weights on a third, milestones with a link as evidence on
   every second action and verdicts on some done ones; progress values as the services
   compute them (the same pure functions, aimak/plans/progress.py).
3. Counts the page's queries in-process (Django's test client) for a municipality with 200
   recommendations and for one with 20: the count must be the same.
4. Starts gunicorn (gunicorn.conf.py, ONE sync worker, production settings: bench.settings)
   and times GET /ru/plans/<code>/ one request at a time, cycling through 20
   municipalities: uncached (a session cookie makes the page cache step aside, so each
   request renders the page: the cost of rendering), then cached (anonymous, as visitors
   get it); p50/p95/p99 over `--requests` (≥ 200) each.

Prints a table and writes bench/results/action_plans.json. Target: uncached p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import HOST, ROOT, Server, WorkerCPU, bench_env, log, manage, percentile

RESULTS = ROOT / "bench" / "results"
DB_NAME = "aimak_bench_plans"
TARGET_P95_MS = 150.0
SAMPLED = 20  # municipalities the timed requests cycle through

GENERATE = r"""
import datetime, random, io
from decimal import Decimal
from django.db import connection
from django.utils import timezone
from aimak.catalogue.models import Service
from aimak.plans.models import Action, ActionStatus, Evidence, Milestone, Recommendation
from aimak.plans.progress import action_progress, mean_progress
from aimak.territories.models import Territory

MUNICIPALITIES, RECS, ACTIONS = {municipalities}, {recs}, {actions}
rng = random.Random(2026)
munis = list(Territory.objects.filter(level__in=("aimak", "city"), valid_to__isnull=True)
             .order_by("code").values_list("pk", flat=True)[:MUNICIPALITIES])
statuses = list(ActionStatus.objects.all())
services = list(Service.objects.values_list("pk", flat=True))
today = timezone.localdate()
now = timezone.now()
SOURCES = ["crc_finding", "hearing", "focus_group", "study", "programme"]


def copy(model, rows):
    cols = [f.column for f in model._meta.concrete_fields]
    raw = connection.cursor().cursor
    with raw.copy("COPY {{}} ({{}}) FROM STDIN".format(
        model._meta.db_table, ", ".join('"%s"' % c for c in cols)
    )) as cp:
        for row in rows:
            cp.write_row([row.get(c) for c in cols])


recs, actions, milestones, evidence = [], [], [], []
rid = aid = mid = 0
made = [0, 0, 0]


def flush():
    copy(Recommendation, recs)
    copy(Action, actions)
    copy(Milestone, milestones)
    copy(Evidence, evidence)
    for i, rows in enumerate((recs, actions, milestones)):
        made[i] += len(rows)
    for rows in (recs, actions, milestones, evidence):
        rows.clear()


for number, m in enumerate(munis, 1):
    if number % 25 == 0:
        flush()
    for r in range(RECS):
        rid += 1
        source = SOURCES[r % 5]
        title = f"Рекомендация {{r + 1}}: улучшить услугу в сёлах (bench)"
        values = []
        for a in range(ACTIONS):
            aid += 1
            status = statuses[rng.randrange(len(statuses))]
            weight = Decimal(rng.randint(1, 3)) if r % 3 == 0 else None
            latest = None
            if aid % 2 == 0:
                mid += 1
                latest = rng.randint(5, 95)
                milestones.append(dict(id=mid, action_id=aid, date=today - datetime.timedelta(days=rng.randint(1, 200)),
                                       progress=latest, note="Сделано (bench)", created_at=now))
                evidence.append(dict(id=mid, milestone_id=mid, kind="link", title="Фотоотчёт",
                                     file="", url=f"https://example.org/bench/{{aid}}", created_at=now))
            progress = action_progress(default=status.default_progress, is_open=status.is_open,
                                       latest_milestone=latest)
            if not status.excluded:
                values.append((progress, weight))
            verdict = ""
            if status.is_done and aid % 3 == 0:
                verdict = "verified" if aid % 2 else "disputed"
            t = f"Действие {{a + 1}} по рекомендации {{r + 1}}"
            actions.append(dict(
                id=aid, recommendation_id=rid, title=t, title_ru=t, title_ky=t + " (ky)", title_en="",
                responsible="Айыл өкмөтү", deadline=today + datetime.timedelta(days=rng.randint(-120, 400)),
                budget=Decimal(rng.randint(0, 500)) * 1000 if a % 2 else None, funding_source="Жергиликтүү бюджет",
                status_id=status.pk, weight=weight, progress=progress, status_changed_at=now,
                done_at=now if status.is_done else None, verification=verdict, order=a, created_at=now,
            ))
        recs.append(dict(
            id=rid, municipality_id=m, title=title, title_ru=title, title_ky=title + " (ky)", title_en="",
            text="", text_ru="", text_ky="", text_en="", source=source,
            service_id=services[r % len(services)] if source == "crc_finding" else None,
            index="", index_label="", finding_value="", reference="Исследование (bench)" if source in ("study", "programme") else "",
            priority="medium", published=True, progress=mean_progress(values), created_at=now,
        ))
flush()
with connection.cursor() as cur:
    for table in ("plans_recommendation", "plans_action", "plans_milestone", "plans_evidence"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{{table}}', 'id'), (SELECT max(id) FROM {{table}}))")
        cur.execute(f"ANALYZE {{table}}")
print(*made)
"""

COUNT = r"""
import json
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from aimak.plans.models import Recommendation
from aimak.territories.models import Territory

codes = list(Territory.objects.filter(recommendations__isnull=False).distinct()
             .order_by("code").values_list("code", flat=True))
full, small = codes[0], codes[-1]
# The second municipality shows 20 published recommendations: hide 180, then restore.
hidden = list(Recommendation.objects.filter(municipality__code=small)
              .values_list("pk", flat=True)[20:])
client = Client(HTTP_HOST="127.0.0.1")
out = {{}}
for label, code in (("200", full), ("20", small)):
    if label == "20":
        Recommendation.objects.filter(pk__in=hidden).update(published=False)
    cache.clear()
    client.get(f"/ru/plans/{{code}}/")
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/ru/plans/{{code}}/")
    out[label] = {{"queries": len(ctx), "bytes": len(response.content), "status": response.status_code}}
Recommendation.objects.filter(pk__in=hidden).update(published=True)
print("COUNT" + json.dumps(out))
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


def _shell(env: dict, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def _time(port: int, paths: list[str], n: int, cookie: str | None) -> dict:
    timings: list[float] = []
    errors = 0
    sizes: list[int] = []
    for i in range(n):
        path = paths[i % len(paths)]
        headers = {"Host": HOST, "Connection": "close"}
        if cookie:
            headers["Cookie"] = cookie
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        if response.status != 200:
            errors += 1
            if errors == 1:
                log(f"HTTP {response.status} for {path}: {body[:300]!r}")
            continue
        timings.append(elapsed)
        sizes.append(len(body))
    if not timings:
        raise SystemExit(f"every request failed ({path})")
    return {
        "requests": len(timings),
        "errors": errors,
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "max_ms": round(max(timings), 1),
        "page_bytes": max(sizes),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="20 municipalities, a quick check")
    parser.add_argument("--municipalities", type=int, default=500)
    parser.add_argument("--recommendations", type=int, default=200)
    parser.add_argument("--actions", type=int, default=5)
    parser.add_argument("--requests", type=int, default=240)
    args = parser.parse_args()
    if args.small:
        args.municipalities = 20
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    started_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="aimak-bench-plans-") as var_dir:
        env = bench_env(var_dir)
        env["DATABASE_URL"] = _database(url)
        log(f"database {DB_NAME}: migrate, load_territories, load_services")
        manage(env, "migrate", "-v0")
        manage(env, "load_territories", "-v0")
        manage(env, "load_services", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        log(f"generating {args.municipalities} × {args.recommendations} × {args.actions} with COPY")
        started = time.perf_counter()
        made = (
            _shell(
                env,
                GENERATE.format(
                    municipalities=args.municipalities,
                    recs=args.recommendations,
                    actions=args.actions,
                ),
            )
            .strip()
            .splitlines()[-1]
            .split()
        )
        generate_s = time.perf_counter() - started
        log(
            f"  {made[0]} recommendations, {made[1]} actions, {made[2]} milestones "
            f"in {generate_s:.0f} s"
        )
        counts = json.loads(_shell(env, COUNT.format()).split("COUNT", 1)[1])
        log(f"queries per page: {counts}")
        codes = (
            _shell(
                env,
                "from aimak.territories.models import Territory\n"
                "print(' '.join(Territory.objects.filter(recommendations__isnull=False)"
                f".distinct().order_by('code').values_list('code', flat=True)[:{SAMPLED}]))",
            )
            .strip()
            .splitlines()[-1]
            .split()
        )
        paths = [f"/ru/plans/{code}/" for code in codes]
        server = Server(env, var_dir, "--workers", "1")
        try:
            cpu = WorkerCPU(server.process.pid)
            for path in paths[:3]:  # warm the worker up (imports, templates)
                _time(server.port, [path], 2, "sessionid=bench")
            log(f"uncached: {args.requests} requests over {len(paths)} municipalities")
            cpu_before = cpu.seconds()
            uncached = _time(server.port, paths, args.requests, "sessionid=bench")
            uncached["server_cpu_ms_per_request"] = round(
                (cpu.seconds() - cpu_before) * 1000 / max(uncached["requests"], 1), 1
            )
            for path in paths:
                _time(server.port, [path], 1, None)  # fill the page cache
            log(f"cached: {args.requests} requests")
            cached = _time(server.port, paths, args.requests, None)
        finally:
            server.stop()
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "database": "PostgreSQL",
        "municipalities": int(made[0]) // args.recommendations,  # the registry has 484
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "recommendations_per_municipality": args.recommendations,
        "actions_per_recommendation": args.actions,
        "generate_s": round(generate_s, 1),
        "queries": counts,
        "uncached": uncached,
        "cached": cached,
        "target_p95_ms": TARGET_P95_MS,
        "met": uncached["p95_ms"] < TARGET_P95_MS,
        "total_s": round(time.perf_counter() - started_all, 1),
    }
    print(json.dumps(result, indent=2))
    name = "action_plans_small.json" if args.small else "action_plans.json"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
