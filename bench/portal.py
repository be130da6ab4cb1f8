#!/usr/bin/env python
"""Portal benchmark: the anonymous home page and the best-practice list vs. a bare view.

Same method as bench/run.py (its helpers): a SQLite database prepared as `make demo`
does, gunicorn with ONE sync worker and production settings, a few client threads and a
new connection per request, the targets taking turns in half-second slices. Measures the
requests/second of /ky/ (the home page: latest news, featured practices, the current
magazine issue, upcoming events, the registry figures), of the practice library
/ky/practices/ and of the news list /ky/news/, against /bench/ok.

Target: each page >= 50% of the bare view. Writes bench/results/portal.json.

    .venv/bin/python bench/portal.py [--seconds 10] [--strict]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    BARE,
    HOST,
    RESULTS,
    Server,
    WorkerCPU,
    bench_env,
    log,
    manage,
    throughput,
)

TARGET_RATIO = 0.5
PAGES = {
    "home": ("/ky/", b"home-news"),
    "practice_list": ("/ky/practices/", b"<h1"),
    "news_list": ("/ky/news/", b"news-cards"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--warmup", type=float, default=2.0, help="per measurement")
    parser.add_argument("--threads", type=int, default=2, help="client threads")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="aimak-bench-portal-") as tmp:
        env = bench_env(tmp)
        log(f"preparing a SQLite database in {tmp} (migrate, registry, services, demo)")
        started = time.perf_counter()
        # The same files, with the development settings: the demo's e-mails go to the
        # console rather than to a mail server the benchmark machine does not run.
        prepare_env = {**env, "DJANGO_SETTINGS_MODULE": "aimak.settings.dev", "DEBUG": "0"}
        for command in ("migrate", "load_territories", "load_services", "demo_seed"):
            manage(prepare_env, command)
        manage(env, "collectstatic", "--noinput")
        log(f"prepared in {time.perf_counter() - started:.0f} s")
        server = Server(env, tmp, "--workers", "1", "--worker-class", "sync")
        try:
            cpu = WorkerCPU(server.process.pid)
            targets = {**PAGES, "bare_view": (BARE, b"ok")}
            throughput(server.port, targets, seconds=args.warmup, threads=args.threads, cpu=cpu)
            results = throughput(
                server.port, targets, seconds=args.seconds, threads=args.threads, cpu=cpu
            )
        finally:
            server.stop()

    bare = results["bare_view"]["rps"]
    ratios = {
        f"{name}_vs_bare": {
            "value": round(results[name]["rps"] / bare, 3),
            "target": f">= {TARGET_RATIO}",
            "met": results[name]["rps"] / bare >= TARGET_RATIO,
        }
        for name in PAGES
    }
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
            "database": "SQLite file (WAL), demo data",
            "client_threads": args.threads,
            "keep_alive": False,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "host": HOST,
        },
        "throughput": results,
        "targets": ratios,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "portal.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{'page':<36} {'req/s':>10}  {'vs bare':>8}  server CPU ms/req")
    for name, row in results.items():
        ratio = row["rps"] / bare
        mark = "" if name == "bare_view" else ("ok" if ratio >= TARGET_RATIO else "MISSED")
        print(
            f"{name + ' ' + row['path']:<36} {row['rps']:>10}  {ratio:>7.0%}  "
            f"{row['server_cpu_ms_per_request']} {mark}"
        )
    print(f"written: {out}")
    return 1 if args.strict and not all(t["met"] for t in ratios.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
