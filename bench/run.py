#!/usr/bin/env python
"""Aimak benchmarks (`make bench`): one run, one gunicorn sync worker, production settings.

1. Prepares a SQLite database in a temporary directory exactly as `make demo` does
   (migrate, load_territories, load_services, demo_seed) and runs collectstatic.
2. Starts gunicorn (gunicorn.conf.py, but ONE sync worker) on 127.0.0.1 with
   bench.settings: the production settings plus a bare view, /bench/ok.
3. Throughput: requests/second of the registry list page /ky/territories/ and of
   /bench/ok, each for a fixed time after a warm-up, taking turns in half-second slices
   (so background load weighs on both alike), with a few client threads and a new
   connection per request (no keep-alive), so both see the same client cost.
4. Latency: one client, one request at a time, cycling through realistic queries (Kyrgyz,
   Russian, Latin, partial names, codes) on the HTML search and on the API; p50/p95/p99.

Prints a table, writes bench/results/latest.json. Targets: list page >= 25% of the bare
view; search p95 < 50 ms. `--strict` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"

LIST_PAGE = "/ky/territories/"
BARE = "/bench/ok"
SEARCH_QUERIES = [
    # Kyrgyz (with ң ө ү), Russian, Latin, partial names, SOATE codes.
    "Ак-Коргон",
    "Көк-Серек",
    "Ысык-Көл",
    "Кара-Суу айыл аймагы",
    "Жалал-Абад",
    "Кара-Суу",
    "Иссык-Кульская",
    "Токмок",
    "город Ош",
    "Кочкор",
    "kara-suu",
    "kok-serek",
    "bishkek",
    "naryn",
    "issyk-kul",
    "кара",
    "кош",
    "ak-",
    "tal",
    "ы",
    "41703",
    "417032048",
    "41711",
    "03204804",
]
HTML_SEARCH = "/ky/territories/search/?q={}"
API_SEARCH = "/api/v1/territories?q={}"

TARGET_RATIO = 0.25
TARGET_P95_MS = 50.0


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class WorkerCPU:
    """CPU seconds used by gunicorn's worker process(es), from /proc (Linux)."""

    def __init__(self, master_pid: int) -> None:
        self.master_pid = master_pid
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        total = 0
        try:
            children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
            for pid in children.read_text().split():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, IndexError, ValueError):
            return float("nan")
        return total / self.tick


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """One GET on a fresh connection, closed afterwards (no keep-alive)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(
            "GET", path, headers={"Host": HOST, "Connection": "close", "Accept-Language": "ky"}
        )
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def throughput(
    port: int,
    targets: dict[str, tuple[str, bytes]],
    *,
    seconds: float,
    threads: int,
    cpu: WorkerCPU,
    slice_seconds: float = 0.5,
) -> dict[str, dict]:
    """Requests/second of each target with `threads` clients, each request on a new socket.

    The targets take turns in short slices for `seconds` each, so a change in the
    machine's background load during the run weighs on all of them alike.
    """
    results = {
        name: {"path": path, "seconds": 0.0, "requests": 0, "errors": 0, "cpu": 0.0}
        for name, (path, _expect) in targets.items()
    }
    for path, expect in targets.values():  # the page is what we think it is
        status, body = get(port, path)
        if status != 200 or expect not in body:
            raise SystemExit(f"{path}: HTTP {status}, or the body lacks {expect!r}")
    lock = threading.Lock()
    rounds = max(1, round(seconds / slice_seconds))
    for _ in range(rounds):
        for name, (path, _expect) in targets.items():
            stop = time.perf_counter() + slice_seconds

            def client(name: str = name, path: str = path, stop: float = stop) -> None:
                ok = bad = 0
                while time.perf_counter() < stop:
                    if get(port, path)[0] == 200:
                        ok += 1
                    else:
                        bad += 1
                with lock:
                    results[name]["requests"] += ok
                    results[name]["errors"] += bad

            started, cpu_started = time.perf_counter(), cpu.seconds()
            workers = [threading.Thread(target=client) for _ in range(threads)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            results[name]["seconds"] += time.perf_counter() - started
            results[name]["cpu"] += cpu.seconds() - cpu_started
    for row in results.values():
        row["rps"] = round(row["requests"] / row["seconds"], 1)
        row["seconds"] = round(row["seconds"], 2)
        # Server CPU per request: what the worker spent, whatever else the machine did.
        row["server_cpu_ms_per_request"] = round(row.pop("cpu") * 1000 / row["requests"], 2)
    return results


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def latency(port: int, template: str, *, seconds: float, cpu: WorkerCPU) -> dict:
    """One request at a time for `seconds`, cycling through SEARCH_QUERIES."""
    paths = [template.format(urllib.parse.quote(q)) for q in SEARCH_QUERIES]
    per_query: dict[str, list[float]] = {q: [] for q in SEARCH_QUERIES}
    timings: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    cpu_started = cpu.seconds()
    i = 0
    while time.perf_counter() < stop:
        query, path = SEARCH_QUERIES[i % len(paths)], paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        status, _body = get(port, path)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if status != 200:
            errors += 1
            continue
        timings.append(elapsed_ms)
        per_query[query].append(elapsed_ms)
    cpu_used = cpu.seconds() - cpu_started
    slowest = max(per_query, key=lambda q: statistics.median(per_query[q] or [0]))
    return {
        "path": template.format("…"),
        "requests": len(timings),
        "errors": errors,
        "queries": len(SEARCH_QUERIES),
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "max_ms": round(max(timings), 1),
        "server_cpu_ms_per_request": round(cpu_used * 1000 / len(timings), 2),
        "slowest_query": slowest,
        "slowest_query_median_ms": round(statistics.median(per_query[slowest]), 1),
    }


def bench_env(var_dir: str | Path) -> dict[str, str]:
    """The environment of a benchmark's server and commands: production settings (plus the
    bench-only view) over their own files in `var_dir`, plain HTTP on the loopback."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "DEBUG", "AIMAK_DEMO"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "AIMAK_VAR_DIR": str(var_dir),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": HOST,
            # Plain HTTP on the loopback: no redirect to HTTPS, cookies without Secure.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


class Server:
    """gunicorn (gunicorn.conf.py, no worker recycling) on a free loopback port, started
    and waited for until /healthz answers; `extra` adds or overrides gunicorn options.
    Subclasses on busy machines raise the patience (STARTUP_S in all, PROBE_S per try)."""

    STARTUP_S = 30.0
    PROBE_S = 2.0
    PAUSE_S = 0.2

    def __init__(self, env: dict[str, str], var_dir: str | Path, *extra: str) -> None:
        self.port = free_port()
        self.log_path = Path(var_dir) / "gunicorn.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "--max-requests",  # no recycling mid-measurement
                "0",
                *extra,
                "--bind",
                f"{HOST}:{self.port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.perf_counter() + self.STARTUP_S
        while True:
            try:
                if get(self.port, "/healthz", timeout=self.PROBE_S)[0] == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.perf_counter() > deadline:
                self._log.flush()
                print(self.log_path.read_text()[-3000:])
                self.stop()
                raise SystemExit("gunicorn did not start")
            time.sleep(self.PAUSE_S)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--warmup", type=float, default=2.0, help="per measurement")
    parser.add_argument("--threads", type=int, default=2, help="client threads (throughput)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()

    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="aimak-bench-") as tmp:
        env = bench_env(tmp)
        log(f"preparing a SQLite database in {tmp} (migrate, registry, services, demo)")
        started = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "load_territories")
        manage(env, "load_services")
        manage(env, "demo_seed")
        manage(env, "collectstatic", "--noinput")
        log(f"prepared in {time.perf_counter() - started:.0f} s")

        server = Server(env, tmp, "--workers", "1", "--worker-class", "sync")
        port = server.port
        try:
            log(
                f"gunicorn (1 sync worker) on {HOST}:{port}; {args.seconds:.0f} s per "
                f"measurement after {args.warmup:.0f} s warm-up"
            )

            cpu = WorkerCPU(server.process.pid)
            targets = {"list_page": (LIST_PAGE, b"<table"), "bare_view": (BARE, b"ok")}
            throughput(port, targets, seconds=args.warmup, threads=args.threads, cpu=cpu)
            results: dict = {"latency": {}}
            results["throughput"] = throughput(
                port, targets, seconds=args.seconds, threads=args.threads, cpu=cpu
            )
            for row in results["throughput"].values():
                log(f"{row['path']}: {row['rps']} req/s")
            for name, template in (("html_search", HTML_SEARCH), ("api_search", API_SEARCH)):
                latency(port, template, seconds=args.warmup, cpu=cpu)
                results["latency"][name] = latency(port, template, seconds=args.seconds, cpu=cpu)
                log(f"{template.format('…')}: p95 {results['latency'][name]['p95_ms']} ms")
        finally:
            server.stop()

    ratio = results["throughput"]["list_page"]["rps"] / results["throughput"]["bare_view"]["rps"]
    tp = results["throughput"]
    cpu_ratio = (
        tp["bare_view"]["server_cpu_ms_per_request"] / tp["list_page"]["server_cpu_ms_per_request"]
    )
    p95_worst = max(r["p95_ms"] for r in results["latency"].values())
    targets = {
        "list_page_vs_bare": {
            "value": round(ratio, 3),
            "target": f">= {TARGET_RATIO}",
            "met": ratio >= TARGET_RATIO,
        },
        "list_page_vs_bare_by_server_cpu": {"value": round(cpu_ratio, 3)},
        "search_p95_ms": {
            "value": p95_worst,
            "target": f"< {TARGET_P95_MS}",
            "met": p95_worst < TARGET_P95_MS,
        },
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
            "database": "SQLite file (WAL)",
            "client_threads": args.threads,
            "keep_alive": False,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "queries": SEARCH_QUERIES,
        },
        **results,
        "targets": targets,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

    print()
    print(f"{'measurement':<44} {'result':>14}  target")
    print("-" * 72)
    for name, row in results["throughput"].items():
        print(
            f"{name + ' ' + row['path']:<44} {row['rps']:>14} req/s  "
            f"server CPU {row['server_cpu_ms_per_request']} ms/req, errors {row['errors']}"
        )
    print(
        f"{'list page / bare view':<44} {ratio:>20.0%}  >= {TARGET_RATIO:.0%} "
        f"{'ok' if targets['list_page_vs_bare']['met'] else 'MISSED'}"
    )
    print(f"{'  same ratio by server CPU per request':<44} {cpu_ratio:>20.0%}")
    for name, row in results["latency"].items():
        figures = f"{row['p50_ms']} / {row['p95_ms']} / {row['p99_ms']} ms"
        print(
            f"{name + ' p50 / p95 / p99':<44} {figures:>20}  < {TARGET_P95_MS:.0f} ms "
            f"{'ok' if row['p95_ms'] < TARGET_P95_MS else 'MISSED'}"
        )
        print(f"{'  server CPU per request':<44} {row['server_cpu_ms_per_request']:>17} ms")
        print(
            f"{'  slowest query (median)':<44} {row['slowest_query']!r} "
            f"{row['slowest_query_median_ms']} ms"
        )
    print(
        f"\nload average before / after: {load_before} / {report['machine']['load_average_after']}"
    )
    print(f"written: {RESULTS / 'latest.json'}")
    missed = [name for name, t in targets.items() if t.get("met") is False]
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
