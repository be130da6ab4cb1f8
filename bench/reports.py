#!/usr/bin/env python
"""Report benchmark (`make bench-reports`, also run by `make bench`).

The time to produce a round's analytical PDF report, as the background job makes it
(aimak.reports.services.report_build: the results for everyone and every breakdown, the
change since the earlier round, findings, charts drawn with matplotlib, the PDF written by
reportlab, the file saved), for:

1. the demo round of Ак-Коргон (120 interviews, two services, an earlier round to compare
   with, weighted to the demo population);
2. a round of 400 interviews (the demo questionnaire, answers made by aimak.demo.answers).

Each is made `--repeat` times (default 3) in Kyrgyz with the results cache emptied before
each run, so every run computes the results afresh; the median is reported, and the first
run of the process apart (it also imports statsmodels and matplotlib). The other kinds
(DOCX, scorecard, XLSX) are made once each for the 400-interview round, for information.

Production settings, SQLite in a temporary directory. Prints a table and writes
bench/results/reports.json. Target: the analytical PDF in < 10 s.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 10.0
VILLAGES = ["41703204804010"]


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def setup() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="aimak-bench-reports-"))
    for key in ("DATABASE_URL", "CACHE_URL", "DEBUG", "AIMAK_DEMO", "TASKS_BACKEND"):
        os.environ.pop(key, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "AIMAK_VAR_DIR": str(tmp),
            "SECRET_KEY": secrets.token_urlsafe(60),
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    for command in ("migrate", "load_territories", "load_services", "demo_seed"):
        call_command(command, verbosity=0)
    log(f"prepared in {time.perf_counter() - started:.0f} s (data in {tmp})")


def large_round(n: int):
    """A later round of the demo municipality with `n` interviews."""
    from aimak.accounts.models import User
    from aimak.demo.answers import demo_answers
    from aimak.demo.seed import DEMO_ROUND_KEY
    from aimak.surveys.collection import interview_submit, version_checker
    from aimak.surveys.models import Round, RoundStatus
    from aimak.surveys.rounds import round_advance, round_create

    demo = Round.objects.get(key=DEMO_ROUND_KEY)
    monitor = User.objects.get(username="demo-monitor")
    enumerator = User.objects.get(username="demo-enumerator")
    later = round_create(
        municipality=demo.municipality,
        version=demo.version,
        services=list(demo.services.all()),
        start_date=demo.end_date + datetime.timedelta(days=300),
        end_date=demo.end_date + datetime.timedelta(days=330),
        monitors=[monitor],
        enumerators=[enumerator],
        user=monitor,
    )
    later = round_advance(round=later, to_status=RoundStatus.COLLECTING, user=monitor)
    checker = version_checker(later.version)
    rng = random.Random(2026)
    made = 0
    started = time.perf_counter()
    while made < n:
        answers = demo_answers(checker, rng, villages=VILLAGES)
        if answers.get("consent") != "yes":
            continue
        interview_submit(round=later, interview_id=uuid.uuid4(), answers=answers, user=enumerator)
        made += 1
    log(f"round of {n} interviews made in {time.perf_counter() - started:.1f} s")
    return later


def make(round, kind: str, language: str) -> tuple[float, int, int]:
    """Request a report and run its job here; (seconds of the job, bytes, pages or 0)."""
    from django.core.cache import cache

    from aimak.accounts.models import User
    from aimak.reports.models import Report, ReportStatus
    from aimak.reports.services import report_build, report_request

    cache.clear()  # the results are computed afresh, as for a round with new interviews
    Report.objects.filter(round=round, kind=kind, language=language).delete()
    report, _created = report_request(
        round=round, kind=kind, language=language, user=User.objects.get(username="demo-staff")
    )
    started = time.perf_counter()
    report_build(report_id=report.pk)
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    if report.status != ReportStatus.DONE:
        raise SystemExit(f"{kind} failed: {report.get_error_display()}")
    pages = 0
    if report.extension == "pdf":
        from pypdf import PdfReader

        with report.file.open("rb") as f:
            pages = len(PdfReader(f).pages)
    return seconds, report.size, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--interviews", type=int, default=400)
    parser.add_argument("--language", default="ky")
    args = parser.parse_args()
    setup()
    from aimak.demo.seed import DEMO_ROUND_KEY
    from aimak.surveys.models import Interview, Round

    demo = Round.objects.get(key=DEMO_ROUND_KEY)
    rounds = [
        ("demo round", demo),
        (f"{args.interviews}-interview round", large_round(args.interviews)),
    ]
    result: dict = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "language": args.language,
        "repeat": args.repeat,
        "target_seconds": TARGET_SECONDS,
        "rounds": [],
    }
    for name, round in rounds:
        n = Interview.objects.filter(round=round).count()
        times = []
        for _ in range(args.repeat + 1):  # the first run of each round is kept apart
            seconds, size, pages = make(round, "analytical_pdf", args.language)
            times.append(seconds)
        median = statistics.median(times[1:])
        entry = {
            "round": name,
            "interviews": n,
            "first_run_s": round_(times[0]),
            "runs_s": [round_(t) for t in times[1:]],
            "median_s": round_(median),
            "pdf_bytes": size,
            "pdf_pages": pages,
            "met": median < TARGET_SECONDS,
        }
        result["rounds"].append(entry)
        log(
            f"{name} ({n} interviews): analytical PDF median {median:.2f} s, first {times[0]:.2f} s, {pages} pages, {size / 1e3:.0f} kB"
        )
    big = rounds[-1][1]
    result["other_kinds"] = {}
    for kind in ("analytical_docx", "scorecard_pdf", "tables_xlsx"):
        seconds, size, pages = make(big, kind, args.language)
        result["other_kinds"][kind] = {
            "seconds": round_(seconds),
            "bytes": size,
            "pages": pages or None,
        }
        log(f"{kind}: {seconds:.2f} s, {size / 1e3:.0f} kB")

    print()
    print(
        f"{'round':<28}{'interviews':>11}{'median s':>10}{'first s':>9}{'pages':>7}  target < {TARGET_SECONDS:.0f} s"
    )
    for e in result["rounds"]:
        print(
            f"{e['round']:<28}{e['interviews']:>11}{e['median_s']:>10.2f}{e['first_run_s']:>9.2f}"
            f"{e['pdf_pages']:>7}  {'met' if e['met'] else 'NOT MET'}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reports.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    log(f"written {RESULTS / 'reports.json'}")
    return 0 if all(e["met"] for e in result["rounds"]) else 1


def round_(value: float) -> float:
    return round(value, 3)


if __name__ == "__main__":
    sys.exit(main())
