#!/usr/bin/env python
"""Round dashboard latency (`make bench-dashboard`, also run by `make bench`).

1. Prepares a SQLite database in a temporary directory as `make demo` does (migrate,
   load_territories, load_services, demo_seed, collectstatic), then fills the demo round
   up to 400 interviews with plausible made-up answers (aimak.demo.answers) through the
   same service as the phone form. The demo's population structure weights it.
2. Starts gunicorn (gunicorn.conf.py, ONE sync worker) with the production settings
   (bench.settings), as bench/run.py does, and signs in as the demo's municipal staff.
3. Uncached: the first GET of the round's dashboard in a fresh worker (the statistics
   library loads and the results are computed), then the first GET of each other
   breakdown (computed anew, the library loaded).
4. As users get it: one client, one request at a time, for `--seconds`, cycling through
   the breakdowns (results now read from the cache, the page rendered each time), on a
   new connection per request; p50/p95/p99. Also the published round's public page for an
   anonymous visitor (the page cache).

Prints a table and writes bench/results/dashboard.json. Target: p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import HOST, ROOT, Server, WorkerCPU, bench_env, log, manage, percentile

RESULTS = ROOT / "bench" / "results"
INTERVIEWS = 400
TARGET_P95_MS = 150.0
BREAKDOWNS = [
    "",  # by sex, the default
    "?by=village",
    "?by=age_group",
    "?by=vulnerable",
    "?by=users",
    "?by=sex&by2=age_group",
    "?by=village&by2=sex",
]
FILL = """
import datetime, random, uuid
from aimak.demo.answers import demo_answers
from aimak.demo.seed import DEMO_ROUND_KEY
from aimak.surveys.collection import interview_submit, version_checker
from aimak.surveys.models import Round
from aimak.surveys.selectors import plan_villages
round = Round.objects.get(key=DEMO_ROUND_KEY)
enumerator = round.members.get(role="enumerator").user
checker = version_checker(round.version)
rows = [r for r in plan_villages(plan=round.plan) if r.sample]
codes, weights = [r.village.code for r in rows], [r.sample for r in rows]
rng = random.Random(400)
made = round.interviews.count()
while made < {n}:
    village = rng.choices(codes, weights=weights)[0]
    answers = demo_answers(checker, rng, villages=[village])
    if answers.get("consent") != "yes":
        continue
    answers["village"] = village
    interview_submit(round=round, interview_id=uuid.uuid4(), answers=answers, user=enumerator)
    made += 1
print(round.pk, round.interviews.count())
"""


class Client:
    """One GET or POST at a time, a new connection each, keeping the session cookie."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Host": HOST, "Connection": "close", "Accept-Language": "ky"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(value)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, dict(response.headers), content
        finally:
            conn.close()

    def sign_in(self, username: str, password: str) -> None:
        status, _headers, body = self.request("GET", "/ky/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or match is None:
            raise SystemExit(f"login page: HTTP {status}")
        status, headers, _body = self.request(
            "POST",
            "/ky/accounts/login/",
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"sign-in failed: HTTP {status} {headers.get('Location')}")

    def timed(self, path: str, expect: bytes) -> float:
        started = time.perf_counter()
        status, _headers, body = self.request("GET", path)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200 or expect not in body:
            raise SystemExit(f"{path}: HTTP {status}, or the body lacks {expect!r}")
        return elapsed


def steady(client: Client, paths: list[str], expect: bytes, seconds: float) -> dict:
    timings: list[float] = []
    stop = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < stop:
        timings.append(client.timed(paths[i % len(paths)], expect))
        i += 1
    return {
        "requests": len(timings),
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "max_ms": round(max(timings), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--interviews", type=int, default=INTERVIEWS)
    parser.add_argument("--strict", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args()

    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="aimak-bench-dashboard-") as tmp:
        env = bench_env(tmp)
        log(f"preparing a SQLite database in {tmp} (migrate, registry, services, demo)")
        started = time.perf_counter()
        for command in ("migrate", "load_territories", "load_services", "demo_seed"):
            manage(env, command, *(["--noinput"] if command == "migrate" else []))
        manage(env, "collectstatic", "--noinput")
        filled = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", FILL.replace("{n}", str(args.interviews))],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        round_pk, count = int(filled[-2]), int(filled[-1])
        log(
            f"prepared in {time.perf_counter() - started:.0f} s; round {round_pk}: {count} interviews"
        )

        server = Server(env, tmp, "--workers", "1", "--worker-class", "sync", "--timeout", "120")
        try:
            client = Client(server.port)
            cpu = WorkerCPU(server.process.pid)
            client.sign_in("demo-staff", "aimak-demo-2026")
            base = f"/ky/results/rounds/{round_pk}/"
            expect = b'id="dashboard"'
            first = client.timed(base, expect)
            log(f"first view (library loads, results computed): {first:.0f} ms")
            uncached = {
                q or "?by=sex": round(client.timed(base + q, expect), 1) for q in BREAKDOWNS[1:]
            }
            log(f"first view of each other breakdown: {uncached}")
            paths = [base + q for q in BREAKDOWNS]
            steady(client, paths, expect, args.warmup)
            cpu_started = cpu.seconds()
            signed_in = steady(client, paths, expect, args.seconds)
            signed_in["server_cpu_ms_per_request"] = round(
                (cpu.seconds() - cpu_started) * 1000 / signed_in["requests"], 2
            )
            log(f"signed in, cached results: p95 {signed_in['p95_ms']} ms")
            anonymous = Client(server.port)
            status, _h, body = anonymous.request("GET", "/ky/results/rounds/2/")
            public = None
            if status == 200 and expect in body:
                public_paths = ["/ky/results/rounds/2/", "/ky/results/rounds/2/?by=village"]
                steady(anonymous, public_paths, expect, args.warmup)
                public = steady(anonymous, public_paths, expect, args.seconds)
                log(f"public page of the published round: p95 {public['p95_ms']} ms")
        finally:
            server.stop()

    met = signed_in["p95_ms"] < TARGET_P95_MS
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "setup": {
            "server": "gunicorn, 1 sync worker, bench.settings (production)",
            "database": "SQLite file (WAL)",
            "interviews": count,
            "weighted": True,
            "breakdowns": [q or "?by=sex" for q in BREAKDOWNS],
            "keep_alive": False,
            "seconds": args.seconds,
            "warmup": args.warmup,
        },
        "first_view_ms": round(first, 1),
        "first_view_of_other_breakdowns_ms": uncached,
        "signed_in_cached": signed_in,
        "public_page_cached": public,
        "targets": {
            "round_dashboard_p95_ms": {
                "value": signed_in["p95_ms"],
                "target": f"< {TARGET_P95_MS:.0f}",
                "met": met,
            }
        },
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboard.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    print()
    print(f"{'measurement (' + str(count) + ' interviews)':<52} {'result':>18}  target")
    print("-" * 80)
    print(f"{'first view (statistics library loads, computed)':<52} {first:>15.0f} ms")
    for query, ms in uncached.items():
        print(f"{'  first view ' + query:<52} {ms:>15.0f} ms")
    figures = f"{signed_in['p50_ms']} / {signed_in['p95_ms']} / {signed_in['p99_ms']} ms"
    print(
        f"{'signed in, p50 / p95 / p99':<52} {figures:>18}  < {TARGET_P95_MS:.0f} ms "
        f"{'ok' if met else 'MISSED'}"
    )
    print(f"{'  server CPU per request':<52} {signed_in['server_cpu_ms_per_request']:>15} ms")
    if public:
        figures = f"{public['p50_ms']} / {public['p95_ms']} / {public['p99_ms']} ms"
        print(f"{'public page (anonymous, cached), p50 / p95 / p99':<52} {figures:>18}")
    print(
        f"\nload average before / after: {load_before} / {report['machine']['load_average_after']}"
    )
    print(f"written: {RESULTS / 'dashboard.json'}")
    return 1 if (args.strict and not met) else 0


if __name__ == "__main__":
    sys.exit(main())
