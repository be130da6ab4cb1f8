#!/usr/bin/env python
"""Interview storage benchmarks (`make bench-interviews`, also run by `make bench`).

For each database (SQLite in a temporary directory; PostgreSQL at $BENCH_POSTGRES_URL,
default postgresql://postgres@127.0.0.1:5432/postgres, in a fresh database of its own, when
it answers), in one run:

1. **Import**: a CSV of `--rows` interviews (default 100,000) × 60 questions of a report
   card on five services, made from 1,000 distinct plausible interviews (aimak.demo.answers)
   each with its own `_uuid`, imported by `manage.py crc_import` in a child process: wall
   time and the child's peak memory (ru_maxrss).
   On PostgreSQL, the same file loaded with `COPY … FROM STDIN (FORMAT csv)` into a plain
   table of 61 text columns, before and after the import (the baseline: mean of the two).
2. **Layouts**: the chosen layout (one row per interview, answers as one JSON document)
   against one row per answer (interview, question, value): the space both take for the
   same interviews, the time to write the answer rows with the database's fastest path
   (COPY / executemany), and the time to read a whole round into memory (the analysis
   access pattern): answers by question for every interview.
3. **Saving under load**: gunicorn (gunicorn.conf.py, its default workers) with the
   production settings, 20 client threads, each an enumerator with its own token, each
   sending interviews to POST /api/v1/rounds/{id}/interviews as fast as answers come back,
   one in ten sent twice (the phone resending after a lost answer): p50/p95/p99 of one
   save; every id must be stored exactly once.
4. **Page weight**: the interview form's first load (HTML + the JS and CSS it links), as
   sent (bytes) and gzipped.

Prints a table and writes bench/results/interviews.json. Targets: import >= 20% of COPY's
rows/s on PostgreSQL; peak memory < 1 GB; interview form <= 100 KB.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import itertools
import json
import os
import platform
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import Server, bench_env  # noqa: E402

RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "aimak_bench_interviews"
SERVICES = ["drinking-water", "solid-waste", "street-lighting", "local-roads", "irrigation"]
QUESTIONS = 60
DISTINCT = 1000
CONCURRENT = 20
TARGET_RATIO = 0.20
TARGET_MEMORY_MB = 1024
TARGET_PAGE_KB = 100


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_postgres() -> str:
    import psycopg
    from psycopg import sql

    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + BENCH_DB


# --- The worker: one database, everything in one process (plus its children) -------------


def worker(database: str, rows: int, out: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"aimak-bench-{database}-"))
    env = bench_env(tmp)
    if database == "postgresql":
        env["DATABASE_URL"] = fresh_postgres()
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    result: dict = {"database": database, "rows": rows}
    started = time.perf_counter()
    for command in ("migrate", "load_territories", "load_services", "demo_seed"):
        call_command(command, verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    log(f"{database}: prepared in {time.perf_counter() - started:.0f} s")
    round_pk, header = prepare_round()
    csv_path = tmp / "interviews.csv"
    make_csv(round_pk, header, rows, csv_path)
    result["csv_mb"] = round(csv_path.stat().st_size / 1e6, 1)
    result["questions"] = len(header) - 1

    if database == "postgresql":
        first = copy_baseline(csv_path, len(header))
    result["import"] = run_import(env, round_pk, csv_path)
    log(
        f"{database}: import {rows:,} rows in {result['import']['seconds']} s "
        f"({result['import']['rows_per_s']:,} rows/s), peak {result['import']['peak_mb']} MB"
    )
    startup = startup_seconds(env)
    result["import"]["startup_s"] = round(startup, 2)
    table_runs = [copy_interviews_baseline(database, round_pk, tmp) for _ in range(2)]
    table_seconds = sum(table_runs) / len(table_runs)
    result["copy_table"] = {
        "how": "COPY FROM STDIN" if database == "postgresql" else "executemany INSERT",
        "seconds": round(table_seconds, 2),
        "runs": [round(x, 2) for x in table_runs],
        "rows_per_s": round(rows / table_seconds),
    }
    result["import_vs_copy_table"] = round(
        result["import"]["rows_per_s"] / result["copy_table"]["rows_per_s"], 3
    )
    log(
        f"{database}: the same interview rows loaded raw: {result['copy_table']['rows_per_s']:,} rows/s; "
        f"import / raw {result['import_vs_copy_table']:.0%}"
    )
    if database == "postgresql":
        second = copy_baseline(csv_path, len(header))
        copy_seconds = (first + second) / 2
        result["copy"] = {
            "seconds": round(copy_seconds, 2),
            "runs": [round(first, 2), round(second, 2)],
            "rows_per_s": round(rows / copy_seconds),
        }
        result["import_vs_copy"] = round(
            result["import"]["rows_per_s"] / result["copy"]["rows_per_s"], 3
        )
        log(
            f"{database}: COPY of the CSV into text columns {result['copy']['rows_per_s']:,} rows/s; "
            f"import / COPY {result['import_vs_copy']:.0%}"
        )
    result["layouts"] = layouts(database, round_pk, tmp)
    result["saving"] = saving_under_load(env, round_pk, tmp)
    result["page"] = page_weight(env, round_pk, tmp)
    from aimak.demo.seed import DEMO_ROUND_KEY
    from aimak.surveys.models import Round

    result["page_demo"] = page_weight(env, Round.objects.get(key=DEMO_ROUND_KEY).pk, tmp)
    out.write_text(json.dumps(result))
    shutil.rmtree(tmp, ignore_errors=True)


def prepare_round() -> tuple[int, list[str]]:
    """A published report card on five services and a collecting round that uses it."""
    from aimak.accounts.models import User
    from aimak.catalogue.models import Service
    from aimak.surveys.collection import version_checker
    from aimak.surveys.models import Round, RoundStatus
    from aimak.surveys.rounds import round_advance, round_create
    from aimak.surveys.services import questionnaire_create_from_templates, version_publish
    from aimak.territories.models import Territory

    municipality = Territory.objects.get(code="41703204804000")
    staff = User.objects.get(username="demo-staff")
    services = list(Service.objects.filter(slug__in=SERVICES))
    questionnaire = questionnaire_create_from_templates(
        municipality=municipality, services=services, user=staff
    )
    version = version_publish(version=questionnaire.versions.get(number=1), user=staff)
    round = round_create(
        municipality=municipality,
        version=version,
        services=services,
        start_date=datetime.date(2026, 5, 4),
        end_date=datetime.date(2026, 5, 29),
        monitors=[User.objects.get(username="demo-monitor")],
        enumerators=[User.objects.get(username="demo-enumerator")],
        user=staff,
    )
    round = round_advance(round=round, to_status=RoundStatus.COLLECTING, user=staff)
    names = list(version_checker(Round.objects.get(pk=round.pk).version).questions)
    if len(names) < QUESTIONS:
        raise SystemExit(f"the questionnaire has {len(names)} questions, fewer than {QUESTIONS}")
    return round.pk, ["_uuid", *names[:QUESTIONS]]


def make_csv(round_pk: int, header: list[str], rows: int, path: Path) -> None:
    import random

    from aimak.demo.answers import demo_answers
    from aimak.surveys.collection import version_checker
    from aimak.surveys.models import Round

    round = Round.objects.select_related("version").get(pk=round_pk)
    checker = version_checker(round.version)
    villages = [c for c in checker.questions["village"].choices.values() if c != "other"]
    rng = random.Random(7)
    distinct: list[list[str]] = []
    names = header[1:]
    while len(distinct) < DISTINCT:
        answers = demo_answers(checker, rng, villages=villages)
        if answers.get("consent") != "yes":
            continue
        # Only the first 60 questions are in the file: drop answers to the rest and keep
        # what the form still accepts (skip conditions only look backwards).
        kept = {n: answers[n] for n in names if n in answers}
        clean, problems = checker.clean(kept)
        if problems:
            continue
        distinct.append([_cell(clean.get(n)) for n in names])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i in range(rows):
            writer.writerow(
                [str(uuid.UUID(int=rng.getrandbits(128), version=4)), *distinct[i % DISTINCT]]
            )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


def copy_baseline(csv_path: Path, columns: int) -> float:
    """Seconds to COPY the CSV into a plain table of text columns (fresh each time)."""
    from django.db import connection

    cols = ", ".join(f"c{i} text" for i in range(columns))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(f"CREATE TABLE bench_copy ({cols})")
    connection.commit() if not connection.get_autocommit() else None
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        csv_path.open("rb") as handle,
    ):
        while chunk := handle.read(1 << 20):
            copy.write(chunk)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_copy")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy")
    assert copied > 0
    return seconds


def run_import(env: dict, round_pk: int, csv_path: Path) -> dict:
    from aimak.surveys.models import Interview

    before = Interview.objects.filter(round_id=round_pk).count()
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "crc_import",
            str(round_pk),
            str(csv_path),
            "--user",
            "demo-monitor",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(
            f"crc_import failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    added = Interview.objects.filter(round_id=round_pk).count() - before
    rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
    assert added == rows, f"{added} interviews added for {rows} rows"
    return {
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "peak_mb": round(peak_kb / 1024),
        "output_tail": completed.stdout.strip().splitlines()[-3:],
    }


def startup_seconds(env: dict) -> float:
    """What starting Django costs a command (included in the import's wall time)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); import aimak.surveys.importing"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return time.perf_counter() - started


INTERVIEW_COLUMNS = (
    "round_id, version_id, uuid, source, enumerator_id, village_id, sex, answers, "
    "started_at, completed_at, received_at, received_by_id, batch_id"
)


def copy_interviews_baseline(database: str, round_pk: int, tmp: Path) -> float:
    """Seconds to load the imported interviews, as stored, into an empty copy of the
    interview table (same columns, indexes and unique constraint, no foreign keys) with the
    database's fastest path: the raw cost of writing these rows, with no reading of a
    spreadsheet and no checking."""
    from django.db import connection, transaction

    dump = tmp / "interviews.copy"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_interview")
        if database == "postgresql":
            cursor.execute("CREATE TABLE bench_interview (LIKE surveys_interview INCLUDING ALL)")
            with (
                dump.open("wb") as handle,
                cursor.cursor.copy(
                    f"COPY (SELECT {INTERVIEW_COLUMNS} FROM surveys_interview "  # noqa: S608
                    f"WHERE round_id = {int(round_pk)}) TO STDOUT"
                ) as copy,
            ):
                for chunk in copy:
                    handle.write(chunk)
        else:
            cursor.execute(
                "CREATE TABLE bench_interview AS SELECT * FROM surveys_interview WHERE 0"
            )
            cursor.execute(
                "CREATE UNIQUE INDEX bench_interview_once ON bench_interview (round_id, uuid)"
            )
            cursor.execute(
                "CREATE INDEX bench_interview_quota ON bench_interview (round_id, village_id, sex)"
            )
            cursor.execute(
                f"SELECT {INTERVIEW_COLUMNS} FROM surveys_interview WHERE round_id = %s",  # noqa: S608
                [round_pk],
            )
            rows = cursor.fetchall()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if database == "postgresql":
            with (
                cursor.cursor.copy(
                    f"COPY bench_interview ({INTERVIEW_COLUMNS}) FROM STDIN"
                ) as copy,
                dump.open("rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        else:
            placeholders = ", ".join(["%s"] * 13)
            for start in range(0, len(rows), 2000):
                cursor.executemany(
                    f"INSERT INTO bench_interview ({INTERVIEW_COLUMNS}) VALUES ({placeholders})",  # noqa: S608
                    rows[start : start + 2000],
                )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_interview")
    return seconds


# --- Layouts ------------------------------------------------------------------------------


def _size(database: str, tables: list[str], tmp: Path) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if database == "postgresql":
            total = 0
            for table in tables:
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                total += cursor.fetchone()[0]
            return total
        try:
            placeholders = ",".join("%s" for _ in tables)
            cursor.execute(
                "SELECT sum(pgsize) FROM dbstat WHERE name IN "  # noqa: S608 - placeholders only
                f"(SELECT name FROM sqlite_master WHERE tbl_name IN ({placeholders}))",
                tables,
            )
            return int(cursor.fetchone()[0] or 0)
        except Exception:
            return -1


def layouts(database: str, round_pk: int, tmp: Path) -> dict:
    """The stored round as JSON documents vs the same answers as one row per answer."""
    from django.db import connection, transaction

    from aimak.surveys.models import Interview

    # Read a whole round the way analysis does: every interview's answers, by question.
    started = time.perf_counter()
    columns: dict[str, list] = {}
    count = 0
    for answers in (
        Interview.objects.filter(round_id=round_pk)
        .values_list("answers", flat=True)
        .iterator(chunk_size=5000)
    ):
        count += 1
        for name, value in answers.items():
            columns.setdefault(name, []).append(value)
    json_read = time.perf_counter() - started
    answer_count = sum(len(v) for v in columns.values())
    json_size = _size(database, ["surveys_interview"], tmp)

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_answer")
        cursor.execute(
            "CREATE TABLE bench_answer (interview_id bigint NOT NULL, question varchar(80) NOT NULL, value text NOT NULL)"
        )
    # The answer rows, written out first (COPY cannot share its connection with the
    # cursor that reads the interviews); the timing is of loading them, as for COPY above.
    rows_file = tmp / "answers.tsv"
    pairs = Interview.objects.filter(round_id=round_pk).values_list("pk", "answers")
    with rows_file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL)
        for pk, answers in pairs.iterator(chunk_size=5000):
            for name, value in answers.items():
                writer.writerow((pk, name, json.dumps(value, ensure_ascii=False)))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if database == "postgresql":
            with (
                cursor.cursor.copy(
                    "COPY bench_answer (interview_id, question, value) FROM STDIN "
                    "WITH (FORMAT csv, DELIMITER E'\\t')"
                ) as copy,
                rows_file.open("rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        else:
            with rows_file.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle, delimiter="\t")
                while batch := list(itertools.islice(reader, 50_000)):
                    cursor.executemany("INSERT INTO bench_answer VALUES (%s, %s, %s)", batch)
        cursor.execute(
            "CREATE INDEX bench_answer_interview ON bench_answer (interview_id, question)"
        )
    eav_write = time.perf_counter() - started
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE bench_answer")
    started = time.perf_counter()
    eav_columns: dict[str, list] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.question, a.value FROM bench_answer a JOIN surveys_interview i "
            "ON i.id = a.interview_id WHERE i.round_id = %s ORDER BY a.interview_id",
            [round_pk],
        )
        while chunk := cursor.fetchmany(20_000):
            for name, value in chunk:
                eav_columns.setdefault(name, []).append(json.loads(value))
    eav_read = time.perf_counter() - started
    assert sum(len(v) for v in eav_columns.values()) == answer_count
    eav_size = _size(database, ["bench_answer"], tmp)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_answer")
    national = 160_000_000
    return {
        "interviews": count,
        "answers": answer_count,
        "json": {
            "bytes": json_size,
            "bytes_per_answer": round(json_size / answer_count, 1) if json_size > 0 else None,
            "read_round_s": round(json_read, 2),
            "national_gb": round(json_size / answer_count * national / 1e9, 1)
            if json_size > 0
            else None,
        },
        "rows_per_answer": {
            "bytes": eav_size,
            "bytes_per_answer": round(eav_size / answer_count, 1) if eav_size > 0 else None,
            "write_s": round(eav_write, 2),
            "read_round_s": round(eav_read, 2),
            "national_gb": round(eav_size / answer_count * national / 1e9, 1)
            if eav_size > 0
            else None,
        },
    }


# --- Saving under load --------------------------------------------------------------------


def saving_under_load(env: dict, round_pk: int, tmp: Path, per_client: int = 40) -> dict:
    import random

    from aimak.accounts.models import Role, User
    from aimak.accounts.services import api_token_create, membership_grant
    from aimak.demo.answers import demo_answers
    from aimak.surveys.collection import version_checker
    from aimak.surveys.models import Interview, Round, RoundMember

    rnd = Round.objects.select_related("version", "municipality").get(pk=round_pk)
    checker = version_checker(rnd.version)
    villages = [c for c in checker.questions["village"].choices.values() if c != "other"]
    rng = random.Random(11)
    bodies: list[dict] = []
    while len(bodies) < 200:
        answers = demo_answers(checker, rng, villages=villages)
        if answers.get("consent") == "yes":
            bodies.append(answers)
    tokens = []
    for i in range(CONCURRENT):
        user = User.objects.create_user(
            username=f"bench-enumerator-{i}",
            email=f"bench-enumerator-{i}@bench.aimak.local",
            password=secrets.token_urlsafe(12),
        )
        membership_grant(
            user=user,
            role=Role.ENUMERATOR,
            municipality=rnd.municipality,
            granted_by=None,
            note="bench",
        )
        RoundMember.objects.create(round=rnd, user=user, role=Role.ENUMERATOR)
        tokens.append(api_token_create(user=user, name="bench")[1])
    before = Interview.objects.filter(round=rnd).count()
    server = Server(env, tmp)
    port = server.port
    url = f"http://{HOST}:{port}/api/v1/rounds/{round_pk}/interviews"
    timings: list[float] = []
    statuses: dict[int, int] = {}
    sent_ids: set[str] = set()
    lock = threading.Lock()

    def post(token: str, body: dict) -> tuple[int, float]:
        data = json.dumps(body).encode()
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, (time.perf_counter() - started) * 1000

    def client(index: int) -> None:
        local_rng = random.Random(index)
        for n in range(per_client):
            body = {"id": str(uuid.uuid4()), "answers": local_rng.choice(bodies), "source": "phone"}
            times = 2 if n % 10 == 9 else 1  # one in ten sent twice
            for _ in range(times):
                status, ms = post(tokens[index], body)
                with lock:
                    timings.append(ms)
                    statuses[status] = statuses.get(status, 0) + 1
                    sent_ids.add(body["id"])

    try:
        post(tokens[0], {"id": str(uuid.uuid4()), "answers": bodies[0]})  # warm up
        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(CONCURRENT)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    stored = Interview.objects.filter(round=rnd).count() - before - 1
    return {
        "clients": CONCURRENT,
        "requests": len(timings),
        "distinct_interviews": len(sent_ids),
        "stored": stored,
        "statuses": statuses,
        "p50_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "saves_per_s": round(len(timings) / elapsed, 1),
        "workers": os.environ.get("WEB_CONCURRENCY")
        or f"{(os.cpu_count() or 1) * 2 + 1} (2 × cores + 1)",
    }


# --- Page weight --------------------------------------------------------------------------


def page_weight(env: dict, round_pk: int, tmp: Path) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from aimak.accounts.models import User

    user = User.objects.get(username="demo-enumerator")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if "ModelBackend" in b
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    server = Server(env, tmp)
    port = server.port
    try:

        def fetch(path: str) -> bytes:
            request = urllib.request.Request(
                f"http://{HOST}:{port}{path}", headers={"Cookie": cookie}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.read()

        page = f"/ru/surveys/rounds/{round_pk}/collect/"
        html = fetch(page)
        assets = (
            re.findall(rb'<script[^>]+src="([^"]+)"', html)
            + re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
            + re.findall(rb'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', html)
        )
        parts = {page: html}
        for asset in dict.fromkeys(assets):
            parts[asset.decode()] = fetch(asset.decode())
    finally:
        server.stop()
    raw = sum(len(b) for b in parts.values())
    zipped = sum(len(gzip.compress(b)) for b in parts.values())
    return {
        "page": page,
        "files": {name: len(body) for name, body in parts.items()},
        "bytes": raw,
        "gzip_bytes": zipped,
    }


# --- The parent: one worker per database, then the table ----------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.rows, Path(args.out))
        return 0

    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    if "postgresql" in databases and not postgres_answers():
        log(f"PostgreSQL does not answer at {POSTGRES_URL}: SQLite only")
        databases.remove("postgresql")
    load_before = [round(x, 2) for x in os.getloadavg()]
    results = {}
    for database in databases:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = Path(handle.name)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--worker",
                database,
                "--rows",
                str(args.rows),
                "--out",
                str(out),
            ],
            cwd=ROOT,
            check=True,
        )
        results[database] = json.loads(out.read_text())
        out.unlink()

    targets = {}
    if "postgresql" in results:
        ratio = results["postgresql"]["import_vs_copy_table"]
        targets["import_vs_copy_of_the_interview_rows_postgresql"] = {
            "value": ratio,
            "target": f">= {TARGET_RATIO}",
            "met": ratio >= TARGET_RATIO,
        }
        ratio = results["postgresql"]["import_vs_copy"]
        targets["import_vs_copy_of_the_csv_into_text_columns_postgresql"] = {
            "value": ratio,
            "target": f">= {TARGET_RATIO}",
            "met": ratio >= TARGET_RATIO,
        }
    peak = max(r["import"]["peak_mb"] for r in results.values())
    targets["import_peak_mb"] = {
        "value": peak,
        "target": f"< {TARGET_MEMORY_MB}",
        "met": peak < TARGET_MEMORY_MB,
    }
    weight = max(r["page"]["bytes"] for r in results.values())
    targets["interview_form_bytes"] = {
        "value": weight,
        "target": f"<= {TARGET_PAGE_KB * 1000}",
        "met": weight <= TARGET_PAGE_KB * 1000,
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
        "results": results,
        "targets": targets,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "interviews.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )

    print()
    for database, r in results.items():
        imp = r["import"]
        print(
            f"== {database}: {r['rows']:,} interviews × {r['questions']} questions, CSV {r['csv_mb']} MB"
        )
        print(
            f"  import (crc_import)          {imp['seconds']:>8} s  {imp['rows_per_s']:>9,} rows/s  peak {imp['peak_mb']} MB"
        )
        print(f"  (of which starting Django    {imp['startup_s']:>8} s)")
        table = r["copy_table"]
        print(
            f"  the same rows, raw ({table['how']}) {table['seconds']:>6} s  {table['rows_per_s']:>9,} rows/s"
            f"  import / raw {r['import_vs_copy_table']:.0%}"
        )
        if "copy" in r:
            print(
                f"  COPY into text columns       {r['copy']['seconds']:>8} s  {r['copy']['rows_per_s']:>9,} rows/s"
            )
            print(
                f"  import / COPY                {r['import_vs_copy']:>8.0%}  (target >= {TARGET_RATIO:.0%})"
            )
        lay = r["layouts"]
        js, eav = lay["json"], lay["rows_per_answer"]
        print(
            f"  layout, {lay['answers']:,} answers: JSON per interview {js['bytes_per_answer']} B/answer, read round {js['read_round_s']} s; "
            f"row per answer {eav['bytes_per_answer']} B/answer, write {eav['write_s']} s, read round {eav['read_round_s']} s"
        )
        print(f"  160 million answers: JSON {js['national_gb']} GB, rows {eav['national_gb']} GB")
        s = r["saving"]
        print(
            f"  save one interview, {s['clients']} enumerators at once: p50 {s['p50_ms']} / p95 {s['p95_ms']} / p99 {s['p99_ms']} ms, "
            f"{s['saves_per_s']} saves/s, {s['distinct_interviews']} ids sent, {s['stored']} stored, statuses {s['statuses']}"
        )
        print(
            f"  interview form first load    {r['page']['bytes']:,} B ({r['page']['gzip_bytes']:,} B gzipped), "
            f"{r['questions']}+ questions on 5 services; demo round (2 services) "
            f"{r['page_demo']['bytes']:,} B ({r['page_demo']['gzip_bytes']:,} B gzipped)"
        )
    print(
        f"\nload average before / after: {load_before} / {report['machine']['load_average_after']}"
    )
    print(f"written: {RESULTS / 'interviews.json'}")
    missed = [name for name, t in targets.items() if t.get("met") is False]
    if missed:
        print("MISSED: " + ", ".join(missed))
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
