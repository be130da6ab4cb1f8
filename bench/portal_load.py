#!/usr/bin/env python
"""Portal under load: 200 signed-in users browsing, asking and voting at once (issue 7).

    .venv/bin/python bench/portal_load.py                       # 200 users, 2 minutes
    .venv/bin/python bench/portal_load.py --users 20 --time 20s # smoke test

1. Drops and creates its own PostgreSQL database (`aimak_bench_load` on the server of
   DATABASE_URL, default postgresql://postgres@127.0.0.1:5432), migrates it, loads the
   registry, the services and the demo (as conftest.py and `make demo` do), then seeds
   200 voter accounts (one password, verified to vote), a contest in its voting window
   with 10 registered applications, and lists the published content to visit.
2. Starts gunicorn (gunicorn.conf.py: sync workers, as production) with 2 workers on a
   free port of 127.0.0.1, settings aimak.settings.production (DEBUG off, whitenoise,
   hashed static files), CACHE_URL=redis://127.0.0.1:6379/<db> (flushed first) so rate
   limits and cached pages are shared by both workers, as in production.
3. Warms both workers up, then runs locust headless (bench/locust_portal.py,
   FastHttpUser) as a subprocess, `-u 200 -r 50 --stop-timeout 60`: each user signs in
   through the login form; when the last sign-in is answered (the sign-in wave, measured
   on its own: each sign-in is a deliberately slow password hash), every user browses by
   weight with a think time, asks a question now and then and votes once, for exactly
   `--time` (2 minutes); the last user to stop ends locust. `--no-barrier`: plain
   `locust -t 2m`, the sign-in wave inside the 2 minutes.
4. Checks: no failed request and no 5xx (from the clients and from gunicorn's access log);
   p50/p95/p99 of the run, per request kind, and of the sign-in wave; requests/s; votes in
   the database == votes the clients saw confirmed, no voter with two votes, no confirmed
   vote missing; questions in the database == questions the clients saw asked.
5. Prints a markdown table, writes bench/results/portal_load.json and portal_load.md
   (the figures for docs/performance.md), stops gunicorn, drops the database and flushes
   the Redis database, also when something fails.

Target: p95 of the run < 500 ms, no errors, no vote lost or counted twice. `--strict`
exits 1 when one is missed. See docs/load-benchmark.md.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    HOST,
    ROOT,
    Server,
    WorkerCPU,
    bench_env,
    get,
    log,
    manage,
    percentile,
)

RESULTS = ROOT / "bench" / "results"
DB_NAME = "aimak_bench_load"
# --reuse-prepared: a copy of the database after migrate + demo_seed, to skip those
# minutes on the next run (for working on the benchmark; drop it when migrations change).
PREPARED_DB = "aimak_bench_load_prepared"
TARGET_P95_MS = 500.0
PASSWORD = "bench-Load-2026-pass"  # noqa: S105 - a throwaway database's accounts
USERNAME_PREFIX = "bench-voter-"
QUESTION_TITLE = "Нагрузочный тест: как провести сход граждан?"
QUESTION_BODY = (
    "Вопрос из нагрузочного теста (bench): как айыл окмоту провести сход граждан "
    "по бюджету и кого пригласить?"
)
LEGAL_QUERIES = [
    "бюджета",
    "местного самоуправления",
    "жергиликтүү өз алдынча башкаруу",
    "муниципальной собственности",
    "айылдык кеңештин токтому",
    "доступ к информации",
    "тарифтер",
    "водоотведения",
]
# Request kinds by weight, per think-time step (a user signs in first and votes once at a
# random moment in the vote window; those are not drawn by weight).
WEIGHTS = {
    "home": 10,
    "news_list": 6,
    "news_article": 8,
    "practices_list": 6,
    "practice": 8,
    "legal_search": 5,
    "contest": 6,
    "questions_list": 6,
    "question": 8,
    "ask": 2,
}
CLIENT_TIMEOUT = 300  # seconds a client waits for an answer (about a browser's patience)
SIGN_IN_TIMEOUT = 600  # seconds the active run waits for the last sign-in at most
MAX_QUESTIONS = 3  # per user and run: far below the "question" limit of a legitimate user


def duration_seconds(text: str) -> int:
    """'2m' → 120, '20s' → 20, '1h30m' → 5400 (locust's -t syntax)."""
    total = 0
    for number, unit in re.findall(r"(\d+)([hms]?)", text):
        total += int(number) * {"h": 3600, "m": 60, "s": 1, "": 1}[unit]
    if not total:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r}")
    return total


# --- the database -------------------------------------------------------------------------


def _admin(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def create_database(url: str, *, from_prepared: bool = False) -> tuple[str, bool]:
    """Create the bench database, empty or (`from_prepared`, when that copy exists) as a
    copy of PREPARED_DB; returns its URL and whether it is a prepared copy."""
    from psycopg import sql

    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DB_NAME)))
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [PREPARED_DB]
        ).fetchone()
        if from_prepared and exists:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(DB_NAME), sql.Identifier(PREPARED_DB)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return urlunsplit(urlsplit(url)._replace(path=f"/{DB_NAME}")), bool(from_prepared and exists)


def keep_prepared(url: str) -> None:
    """Copy the freshly prepared database (migrated, demo loaded) to PREPARED_DB."""
    from psycopg import sql

    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(PREPARED_DB)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(PREPARED_DB), sql.Identifier(DB_NAME)
            )
        )


def drop_database(url: str) -> None:
    from psycopg import sql

    with _admin(url) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [DB_NAME],
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DB_NAME)))


def flush_redis(cache_url: str) -> None:
    import redis

    redis.Redis.from_url(cache_url).flushdb()


def setup_django(db_url: str, cache_url: str, var_dir: str) -> None:
    """Django in this process, on the bench database (for seeding and checking): the
    development settings (e-mail to the console), debug off."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "aimak.settings.dev",
            "DEBUG": "0",
            "DATABASE_URL": db_url,
            "CACHE_URL": cache_url,
            "LOG_LEVEL": "WARNING",
            "AIMAK_VAR_DIR": var_dir,
        }
    )
    import django

    django.setup()


# --- seeding ------------------------------------------------------------------------------


def _strip_language(url: str) -> str:
    """'/ky/news/x/' → '/news/x/' (the clients put their own language in front)."""
    return re.sub(r"^/(ky|ru|en)/", "/", url)


def seed_accounts(users: int) -> list:
    from django.contrib.auth.hashers import make_password

    from aimak.accounts.models import AudienceCategory, User

    categories = [c.value for c in AudienceCategory]
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(
        [
            User(
                username=f"{USERNAME_PREFIX}{i:03d}",
                email=f"{USERNAME_PREFIX}{i:03d}@bench.example.org",
                full_name=f"Bench Voter {i:03d}",
                audience_category=categories[i % len(categories)],
                preferred_language="ky" if i % 2 else "ru",
                password=hashed,
            )
            for i in range(1, users + 1)
        ]
    )
    return list(User.objects.filter(username__startswith=USERNAME_PREFIX).order_by("username"))


def content_paths() -> dict:
    from django.utils import translation

    from aimak.news.selectors import article_public_list
    from aimak.practices.selectors import published_practices

    with translation.override("ky"):
        news = [_strip_language(a.get_absolute_url()) for a in article_public_list()[:20]]
        practices = [
            _strip_language(p.get_absolute_url())
            for p in published_practices().order_by("-pk")[:20]
        ]
    if not news or not practices:
        raise SystemExit("the demo has no published news or practices to visit")
    return {"news": news, "practices": practices}


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _contest_dates(stage: str) -> dict:
    from django.utils import timezone

    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    starts = {"announced": now + hour, "call": now - hour, "voting": now - 3 * hour}[stage]
    return {
        "call_opens": starts,
        "call_closes": starts + 2 * hour,
        "voting_opens": starts + 2 * hour,
        "voting_closes": starts + 50 * hour,
    }


def seed_contest(voters: list, applications: int = 10) -> dict | None:
    """A contest in its voting window with `applications` registered applications, through
    the contests services as the secretary and municipal staff would do it, and every bench
    account verified to vote by the administrator. None while aimak.contests has no votes."""
    from aimak.contests import models as contests

    if not hasattr(contests, "Vote"):
        return None
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from aimak.accounts.models import Role, User
    from aimak.accounts.services import membership_grant
    from aimak.contests import services
    from aimak.territories.models import MUNICIPAL_LEVELS, Territory

    admin = User.objects.get(username="demo-content")
    title = {
        "ru": "Лучший проект благоустройства (нагрузочный тест, bench)",
        "ky": "Мыкты көрктөндүрүү долбоору (жүктөм сыноосу, bench)",
    }
    description = {"ru": "<p>Конкурс для нагрузочного теста.</p>", "ky": "<p>Жүктөм сыноосу.</p>"}

    def save(stage: str, contest=None):
        data = services.ContestData(
            title=title,
            description=description,
            regulations=None if contest else SimpleUploadedFile("regulations.pdf", PDF),
            **_contest_dates(stage),
        )
        return services.contest_save(by=admin, data=data, contest=contest)

    with translation.override("ru"):
        contest = save("announced")
        field = services.field_add(
            contest=contest,
            by=admin,
            label={"ru": "Описание проекта", "ky": "Долбоордун сүрөттөлүшү"},
            kind="long",
        )
        services.criterion_add(
            contest=contest,
            by=admin,
            name={"ru": "Польза", "ky": "Пайда"},
            max_score=10,
            weight=Decimal(1),
        )
        services.contest_announce(contest=contest, by=admin)
        contest = save("call", contest)
        municipalities = list(
            Territory.objects.filter(level__in=MUNICIPAL_LEVELS, valid_to__isnull=True)
            .exclude(contest_applications__contest=contest)
            .order_by("code")[:applications]
        )
        for number, municipality in enumerate(municipalities, 1):
            staff = User.objects.create_user(
                username=f"bench-staff-{number:02d}",
                email=f"bench-staff-{number:02d}@bench.example.org",
                password=PASSWORD,
                full_name=f"Bench Staff {number:02d}",
            )
            membership_grant(user=staff, role=Role.STAFF, municipality=municipality)
            application = services.application_create(
                contest=contest,
                municipality=municipality,
                by=staff,
                title=f"Проект {number}: освещение улиц ({municipality.name}) (bench)",
            )
            services.application_update(
                application=application,
                by=staff,
                answers={str(field.pk): "Освещение центральной улицы, 40 фонарей (bench)."},
            )
            services.application_submit(application=application, by=staff)
            services.application_register(application=application, by=admin)
        contest = save("voting", contest)
        for voter in voters:
            services.verification_grant(user=voter, by=admin)
    # Voters' accounts are a month old, as most voters' are (new accounts are one of the
    # patterns the contest flags).
    User.objects.filter(pk__in=[v.pk for v in voters]).update(
        date_joined=contest.created_at - datetime.timedelta(days=30)
    )
    contest.refresh_from_db()
    if contest.stage != "voting":
        raise SystemExit(f"the bench contest is at stage {contest.stage}, not voting")
    registered = contest.applications.filter(status="registered").count()
    return {
        "pk": contest.pk,
        "path": _strip_language(contest.get_absolute_url()),
        "vote_form_hint": "/vote/",
        "application_field": "application",
        "success_marker": 'class="msg-success"',
        "applications": registered,
    }


def seed_questions() -> dict | None:
    """The question pages to visit and the ask form. None while aimak.questions has none."""
    from aimak.questions import models as questions

    if not hasattr(questions, "Question"):
        return None
    from django.urls import reverse
    from django.utils import translation

    from aimak.questions.selectors import public_questions

    with translation.override("ky"):
        pages = [_strip_language(q.get_absolute_url()) for q in public_questions()[:20]]
        return {
            "questions_list": _strip_language(reverse("questions:index")),
            "questions": pages,
            "ask_path": _strip_language(reverse("questions:ask")),
            "ask_form_hint": _strip_language(reverse("questions:ask")),
            "ask_fields": {"title": "title", "body": "body", "fixed": {"visibility": "public"}},
            "questions_before": questions.Question.objects.count(),
        }


# --- the run ------------------------------------------------------------------------------


def run_locust(args, plan_path: Path, out_path: Path, port: int, var_dir: str) -> dict:
    locust = Path(sys.executable).with_name("locust")
    csv_prefix = Path(var_dir) / "locust"
    env = {
        **os.environ,
        "BENCH_LOAD_PLAN": str(plan_path),
        "BENCH_LOAD_OUT": str(out_path),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(locust),
        "-f",
        str(ROOT / "bench" / "locust_portal.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        # With the barrier the users end the run themselves, run_seconds after the last
        # sign-in; locust's own limit is only a safety net.
        args.time if args.no_barrier else f"{duration_seconds(args.time) + SIGN_IN_TIMEOUT + 120}s",
        "--stop-timeout",
        "60",
        "--host",
        f"http://{HOST}:{port}",
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    log_path = Path(var_dir) / "locust.log"
    with open(log_path, "wb") as out:
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    text = log_path.read_text(errors="replace")
    if result.returncode != 0 or not out_path.exists():
        print(text[-5000:])
        raise SystemExit(f"locust exited with {result.returncode}")
    errors = [line for line in text.splitlines() if "Traceback" in line or "Error" in line]
    return {"log_tail": text[-3000:], "log_errors": errors[:20]}


class LoadSampler:
    """The machine's 1-minute load average and the gunicorn workers' CPU, sampled."""

    def __init__(self, cpu: WorkerCPU) -> None:
        self.cpu = cpu
        self.loads: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LoadSampler:
        self.cpu_started = self.cpu.seconds()
        self.started = time.perf_counter()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(5):
            self.loads.append(os.getloadavg()[0])

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu_used = self.cpu.seconds() - self.cpu_started
        self.elapsed = time.perf_counter() - self.started


class PatientServer(Server):
    """bench.run.Server with more patience: on a busy machine a worker's first request
    (importing every app) can take tens of seconds, longer than Server's 2 s per try."""

    STARTUP_S = 180.0
    PROBE_S = 60.0
    PAUSE_S = 0.5


def warm_up(port: int, paths: list[str], workers: int) -> None:
    """Each worker imports the apps and compiles the templates on its first requests: ask
    for every page kind from as many clients as there are workers, before measuring."""

    def client() -> None:
        for path in paths:
            with contextlib.suppress(OSError):
                get(port, path, timeout=120)

    threads = [threading.Thread(target=client) for _ in range(workers * 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def page_vote_total(port: int, path: str) -> int | None:
    """The votes the public contest page shows (the sum of its per-application counts)."""
    status, body = get(port, path)
    if status != 200:
        return None
    cells = re.findall(rb'data-votes="\d+">([^<]*)<', body)
    return sum(int(re.sub(rb"\D", b"", c) or b"0") for c in cells)


def access_log_statuses(log_path: Path) -> collections.Counter:
    """HTTP statuses from gunicorn's access log ('... "GET / HTTP/1.1" 200 1234 12ms ...')."""
    statuses: collections.Counter = collections.Counter()
    for line in log_path.read_text(errors="replace").splitlines():
        match = re.search(r'" (\d{3}) ', line)
        if match:
            statuses[int(match.group(1))] += 1
    return statuses


# --- analysis -----------------------------------------------------------------------------


def latency_row(samples: list[tuple], seconds: float | None = None) -> dict:
    ok = [s for s in samples if not s[4]]
    times = [s[2] for s in samples]
    row = {
        "requests": len(samples),
        "failures": len(samples) - len(ok),
        "p50_ms": round(percentile(times, 50), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "p99_ms": round(percentile(times, 99), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
    }
    if seconds:
        row["rps"] = round(len(samples) / seconds, 1)
    return row


def analyse(samples: list[tuple], run_start: float | None) -> dict:
    """Latency figures of the sign-in wave, of the run (every user signed in and active)
    and of everything."""
    samples = [tuple(s) for s in samples]
    if not samples:
        raise SystemExit("locust recorded no requests")
    first = min(s[1] for s in samples)
    last = max(s[1] + s[2] / 1000 for s in samples)
    sign_ins = [s for s in samples if s[0] == "POST sign-in"]
    wave_end = max((s[1] + s[2] / 1000 for s in sign_ins), default=first)
    # The run: from the barrier (every sign-in answered), or without one, from the moment
    # the last sign-in was answered (the wave of deliberately slow password hashes is over).
    start = run_start if run_start is not None else wave_end
    run = [s for s in samples if s[1] >= start]
    wave = [s for s in samples if s[1] < start]
    run_seconds = max(last - start, 1e-9)

    def kinds(rows: list[tuple], seconds: float) -> dict:
        by_kind: dict[str, list] = collections.defaultdict(list)
        for s in rows:
            by_kind[s[0]].append(s)
        return {k: latency_row(v, seconds) for k, v in sorted(by_kind.items())}

    failures: collections.Counter = collections.Counter()
    for s in samples:
        if s[4]:
            failures[f"{s[0]}: {s[4][:120]}"] += 1
    statuses = collections.Counter(s[3] for s in samples)
    return {
        "seconds": round(last - first, 1),
        "overall": latency_row(samples, last - first),
        "sign_in_wave": {
            **latency_row(wave, max(start - first, 1e-9)),
            "seconds": round(start - first, 1),
            "sign_in": latency_row(sign_ins),
        },
        "run": {**latency_row(run, run_seconds), "seconds": round(run_seconds, 1)},
        "run_by_kind": kinds(run, run_seconds),
        "by_kind": kinds(samples, last - first),
        "failures": dict(failures.most_common(20)),
        "client_statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def check_integrity(ledger: dict, contest: dict | None, questions: dict | None) -> dict:
    """What the clients saw confirmed against what the database holds."""
    rows: list[tuple[str, str, str]] = []
    problems: list[str] = []
    signed_in = len(ledger["signed_in"])
    rows.append(("users signed in", f"{signed_in}", "all"))
    if ledger["sign_in_failed"]:
        problems.append(f"sign-in failed: {dict(list(ledger['sign_in_failed'].items())[:5])}")
    votes_ok = questions_ok = None
    if contest is None:
        rows.append(("votes", "not measured: aimak.contests has no votes yet", ""))
    else:
        votes_ok = _check_votes(ledger, contest, rows, problems)
    if questions is None:
        rows.append(("questions", "not measured: aimak.questions has no questions yet", ""))
    else:
        questions_ok = _check_questions(ledger, rows, problems)
    return {"rows": rows, "problems": problems, "votes_ok": votes_ok, "questions_ok": questions_ok}


def _check_votes(ledger: dict, contest: dict, rows: list, problems: list) -> bool:
    from django.db.models import Count

    from aimak.contests.models import Contest, Vote
    from aimak.contests.selectors import vote_counts

    clients: dict[str, list[str]] = ledger["votes"]
    confirmed = sum(len(v) for v in clients.values())
    votes = Vote.objects.filter(contest_id=contest["pk"])
    db = {
        username: str(application)
        for username, application in votes.filter(
            voter__username__startswith=USERNAME_PREFIX
        ).values_list("voter__username", "application_id")
    }
    twice = list(
        votes.values("voter_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("voter_id", flat=True)
    )
    missing = [u for u in clients if u not in db]
    mismatched = [u for u, apps in clients.items() if u in db and db[u] not in apps]
    unseen = [u for u in db if u not in clients]
    unknown = ledger["vote_unknown"]
    unseen_unexplained = [u for u in unseen if u not in unknown]
    counted = sum(vote_counts(contest=Contest.objects.get(pk=contest["pk"])).values())
    shown = contest.get("page_total")
    rows += [
        ("votes the clients saw confirmed", f"{confirmed}", ""),
        ("votes in the database (bench voters)", f"{len(db)}", "= confirmed"),
        ("votes counted by the contest (COUNT)", f"{counted}", "= votes in the database"),
        ("votes shown on the contest page afterwards", f"{shown}", "= votes in the database"),
        ("voters with two votes", f"{len(twice)}", "0"),
        ("confirmed votes missing from the database", f"{len(missing) + len(mismatched)}", "0"),
        (
            "votes in the database no client saw confirmed",
            f"{len(unseen)} ({len(unseen) - len(unseen_unexplained)} had no readable answer)",
            "0",
        ),
        (
            "double-clicks (same vote POSTed twice at once)",
            f"{ledger.get('double_clicks', 0)}: second refused with a message "
            f"{ledger['duplicate_refused']}, both accepted {len(ledger['duplicate_accepted'])}",
            "both accepted 0",
        ),
    ]
    from aimak.contests.models import VoteFlag

    flags = ", ".join(
        f"{reason} {n}"
        for reason, n in VoteFlag.objects.filter(contest_id=contest["pk"])
        .values_list("reason")
        .annotate(n=Count("pk"))
        .values_list("reason", "n")
    )
    rows.append(("vote flags raised (votes still count)", flags or "none", "information"))
    if missing or mismatched:
        problems.append(
            f"confirmed votes missing or for another application: {(missing + mismatched)[:10]}"
        )
    if twice:
        problems.append(f"voters with two votes: {twice[:10]}")
    if unseen:
        problems.append(f"votes no client saw confirmed: {unseen[:10]}")
    if ledger["duplicate_accepted"]:
        problems.append(f"double-clicks accepted twice: {ledger['duplicate_accepted'][:10]}")
    total = votes.count()
    if counted != total or shown != total:
        problems.append(f"counted {counted}, shown {shown}, the database holds {total} votes")
    return (
        not missing
        and not mismatched
        and not twice
        and not unseen
        and not ledger["duplicate_accepted"]
        and confirmed == len(db)
        and counted == total == shown
    )


def _check_questions(ledger: dict, rows: list, problems: list) -> bool:
    from aimak.questions.models import Question

    clients = {title for titles in ledger["questions"].values() for title in titles}
    db = set(
        Question.objects.filter(author__username__startswith=USERNAME_PREFIX).values_list(
            "title", flat=True
        )
    )
    unknown = {t for titles in ledger["question_unknown"].values() for t in titles}
    rows += [
        ("questions the clients saw asked", f"{len(clients)}", ""),
        ("questions in the database (bench users)", f"{len(db)}", "= asked"),
    ]
    if clients - db:
        problems.append(f"questions confirmed but missing: {sorted(clients - db)[:5]}")
    if db - clients:
        problems.append(
            f"questions in the database no client saw confirmed: {sorted(db - clients)[:5]} "
            f"({len((db - clients) & unknown)} had no readable answer)"
        )
    return clients == db


# --- report -------------------------------------------------------------------------------


def ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def markdown(report: dict) -> str:
    a = report["results"]
    s = report["setup"]
    m = report["machine"]
    t = report["targets"]
    wave, run = a["sign_in_wave"], a["run"]
    mode = (
        f"after the sign-in wave, every user active for {s['run_time']}"
        if s["barrier"]
        else f"`locust -t {s['run_time']}`, the sign-in wave inside it"
    )
    lines = [
        f"Load test ({report['date']}): {s['users']} signed-in users (spawned at "
        f"{s['spawn_rate']:g}/s), {mode}; think time {s['wait_min']:g}–{s['wait_max']:g} s; "
        f"gunicorn {s['workers']} {s['worker_class']} workers, PostgreSQL, Redis cache; "
        f"{m['cpus']} CPUs shared with locust, PostgreSQL and Redis; load average "
        f"{m['load_average_before'][0]} before, {m['load_average_max_during']} max during.",
        "",
        f"The run ({run['seconds']:g} s, {run['rps']} requests/s):",
        "",
        "| request kind | requests | failures | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(label: str, r: dict, bold: bool = False) -> str:
        p95 = f"**{ms(r['p95_ms'])}**" if bold else ms(r["p95_ms"])
        return (
            f"| {label} | {r['requests']:,} | {r['failures']} | {ms(r['p50_ms'])} | {p95} | "
            f"{ms(r['p99_ms'])} | {ms(r['max_ms'])} |"
        )

    for name, r in a["run_by_kind"].items():
        lines.append(row(name, r))
    lines.append(row("**all requests of the run**", run, bold=True))
    lines += [
        "",
        f"The sign-in wave ({wave['seconds']:g} s: {s['users']} users arriving within "
        f"{s['users'] / s['spawn_rate']:g} s, each sign-in a PBKDF2 hash of ~0.7 s CPU):",
        "",
        "| | requests | failures | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        row("POST sign-in", wave["sign_in"]),
        row("every request during the wave", wave),
        row("every request, wave and run", a["overall"]),
    ]
    i = report["integrity"]
    lines += [
        "",
        "| check | result | target |",
        "| --- | --- | --- |",
        f"| failed requests (clients) | {a['overall']['failures']} | 0 — "
        f"{'met' if t['no_failures']['met'] else 'MISSED'} |",
        f"| 5xx in gunicorn's access log | {report['server']['5xx']} "
        f"(of {report['server']['requests_logged']:,}) | 0 — "
        f"{'met' if t['no_5xx']['met'] else 'MISSED'} |",
        f"| p95 of the run | {ms(run['p95_ms'])} ms | < {TARGET_P95_MS:.0f} ms — "
        f"{'met' if t['p95_run']['met'] else 'MISSED'} |",
        f"| server CPU per request (both workers, whole test) | "
        f"{report['server']['cpu_ms_per_request']} ms | |",
    ]
    for check in i["rows"]:
        lines.append(f"| {check[0]} | {check[1]} | {check[2]} |")
    if report.get("rate_limits_raised"):
        lines += ["", f"Rate limits raised for the bench: {report['rate_limits_raised']}"]
    else:
        lines += ["", "Rate limits: the production defaults (none raised)."]
    return "\n".join(lines)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=50)
    parser.add_argument("--time", default="2m", help="locust -t: 2m, 20s")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--wait-min", type=float, default=3.0, help="think time, seconds")
    parser.add_argument("--wait-max", type=float, default=12.0, help="think time, seconds")
    parser.add_argument("--double-click-share", type=float, default=0.2)
    parser.add_argument("--redis-db", type=int, default=11)
    parser.add_argument(
        "--no-barrier",
        action="store_true",
        help="plain `locust -t TIME`: the sign-in wave inside the measured time",
    )
    parser.add_argument(
        "--reuse-prepared",
        action="store_true",
        help=f"start from (or leave) {PREPARED_DB}, a copy made after migrate and demo_seed",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (debugging)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    run_seconds = duration_seconds(args.time)
    # SIGTERM (a CI timeout, `kill`) cleans up like Ctrl+C: subprocess.run kills its child
    # and the finally clause below stops gunicorn and drops the database.
    signal.signal(signal.SIGTERM, _interrupt)

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    cache_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    load_before = [round(x, 2) for x in os.getloadavg()]
    started_all = time.perf_counter()
    server: Server | None = None
    db_url, prepared = create_database(url, from_prepared=args.reuse_prepared)
    try:
        with tempfile.TemporaryDirectory(prefix="aimak-bench-load-") as var_dir:
            env = bench_env(var_dir)
            env.update(
                {
                    "DJANGO_SETTINGS_MODULE": "aimak.settings.production",
                    "DATABASE_URL": db_url,
                    "CACHE_URL": cache_url,
                }
            )
            prepare_env = {**env, "DJANGO_SETTINGS_MODULE": "aimak.settings.dev", "DEBUG": "0"}
            if prepared:
                log(f"database {DB_NAME}: a copy of {PREPARED_DB}")
            else:
                log(f"database {DB_NAME}: migrate, load_territories, load_services, demo_seed")
                for command in ("migrate", "load_territories", "load_services", "demo_seed"):
                    manage(prepare_env, command, "-v0")
                if args.reuse_prepared:
                    keep_prepared(url)
            manage(env, "collectstatic", "--noinput", "-v0")
            log(f"prepared in {time.perf_counter() - started_all:.0f} s")

            setup_django(db_url, cache_url, var_dir)
            voters = seed_accounts(args.users)
            contest = seed_contest(voters)
            questions = seed_questions()
            plan = {
                "password": PASSWORD,
                "accounts": [
                    {"username": u.username, "language": u.preferred_language} for u in voters
                ],
                "login_path": "/accounts/login/",
                "legal_queries": LEGAL_QUERIES,
                "weights": WEIGHTS,
                "max_questions": MAX_QUESTIONS,
                "wait_min": args.wait_min,
                "wait_max": args.wait_max,
                # Votes come in the first 70% of the run, so every user has voted
                # before the end (and before locust stops them).
                "vote_window": [2.0, max(3.0, run_seconds * 0.7)],
                "double_click_share": args.double_click_share,
                "users": args.users,
                "barrier": not args.no_barrier,
                "run_seconds": run_seconds,
                "sign_in_timeout": SIGN_IN_TIMEOUT,
                "timeout": CLIENT_TIMEOUT,
                "question_title": QUESTION_TITLE,
                "question_body": QUESTION_BODY,
                **content_paths(),
                "contest": contest,
                **(questions or {}),
            }
            log(
                f"seeded {len(voters)} accounts; contest: "
                f"{'yes' if contest else 'NOT AVAILABLE'}; questions: "
                f"{'yes' if questions else 'NOT AVAILABLE'}"
            )
            from django.db import connections

            connections.close_all()
            plan_path = Path(var_dir) / "plan.json"
            out_path = Path(var_dir) / "out.json"
            plan_path.write_text(json.dumps(plan, ensure_ascii=False))
            flush_redis(cache_url)

            server = PatientServer(
                env, var_dir, "--workers", str(args.workers), "--worker-class", "sync"
            )
            cpu = WorkerCPU(server.process.pid)
            warm_up(
                server.port,
                [
                    "/ky/",
                    "/ru/news/",
                    "/ky" + plan["news"][0],
                    "/ru/practices/",
                    "/ky" + plan["practices"][0],
                    "/ru/legal-acts/?q=" + quote(LEGAL_QUERIES[0]),
                    "/ky/accounts/login/",
                    *(["/ru" + contest["path"]] if contest else []),
                    *(["/ky" + plan["questions_list"]] if questions else []),
                    *(["/ru" + plan["questions"][0]] if questions and plan["questions"] else []),
                ],
                args.workers,
            )
            log(
                f"gunicorn ({args.workers} sync workers) on {HOST}:{server.port}; locust: "
                f"{args.users} users, spawn {args.spawn_rate}/s, {args.time}"
            )
            with LoadSampler(cpu) as sampler:
                locust_info = run_locust(args, plan_path, out_path, server.port, var_dir)
            if contest:
                contest["page_total"] = page_vote_total(server.port, "/ru" + contest["path"])
            server.stop()
            statuses = access_log_statuses(server.log_path)
            # Everything in the server's log but the access lines and gunicorn's own
            # start/stop notes: tracebacks, Django's warnings (a refused CSRF token, …).
            server_errors = [
                line
                for line in server.log_path.read_text(errors="replace").splitlines()
                if line.strip() and not re.match(r'^\S+ "[A-Z]+ ', line) and "[INFO]" not in line
            ]
            server = None
            out = json.loads(out_path.read_text())
            results = analyse(out["samples"], out.get("run_start"))
            integrity = check_integrity(out["ledger"], contest, questions)
            connections.close_all()
    finally:
        if server is not None:
            server.stop()
        if "django.db" in sys.modules and sys.modules["django.conf"].settings.configured:
            from django.db import connections

            connections.close_all()
        if args.keep:
            log(f"kept the database {DB_NAME}")
        else:
            drop_database(url)
        try:
            flush_redis(cache_url)
        except Exception as exc:
            log(f"could not flush {cache_url}: {exc}")

    five_xx = sum(v for k, v in statuses.items() if k >= 500)
    requests_served = sum(statuses.values())
    targets = {
        "no_failures": {
            "value": results["overall"]["failures"],
            "met": results["overall"]["failures"] == 0,
        },
        "no_5xx": {"value": five_xx, "met": five_xx == 0},
        "p95_run": {
            "value": results["run"]["p95_ms"],
            "target": f"< {TARGET_P95_MS}",
            "met": (results["run"]["p95_ms"] or 0) < TARGET_P95_MS,
        },
        "votes": {"met": integrity["votes_ok"]},
        "questions": {"met": integrity["questions_ok"]},
    }
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_max_during": round(max(sampler.loads, default=0), 2),
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "setup": {
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "run_time": args.time,
            "wait_min": args.wait_min,
            "wait_max": args.wait_max,
            "workers": args.workers,
            "worker_class": "sync",
            "settings": "aimak.settings.production",
            "database": "PostgreSQL",
            "cache": cache_url,
            "double_click_share": args.double_click_share,
            "barrier": not args.no_barrier,
            "max_questions_per_user": MAX_QUESTIONS,
            "weights": WEIGHTS,
        },
        "server": {
            "requests_logged": requests_served,
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "5xx": five_xx,
            "cpu_seconds": round(sampler.cpu_used, 1),
            "cpu_ms_per_request": round(sampler.cpu_used * 1000 / max(requests_served, 1), 1),
            "other_log_lines": len(server_errors),
            "other_log_lines_first": server_errors[:40],
        },
        "results": results,
        "integrity": integrity,
        "targets": targets,
        "rate_limits_raised": None,
        "locust_log_errors": locust_info["log_errors"],
        "total_s": round(time.perf_counter() - started_all, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "portal_load" if (args.users, run_seconds) == (200, 120) else "portal_load_short"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    table = markdown(report)
    (RESULTS / f"{name}.md").write_text(table + "\n")
    print()
    print(table)
    if server_errors:
        print(f"\nother lines in gunicorn's log ({len(server_errors)}, the first ones):")
        for line in server_errors[:10]:
            print("  " + line)
    if results["failures"]:
        print("\nfailures (most frequent):")
        for what, count in results["failures"].items():
            print(f"  {count:>5}  {what}")
    if locust_info["log_errors"]:
        print("\nerrors in locust's log (the first ones):")
        for line in locust_info["log_errors"][:10]:
            print("  " + line)
    for problem in integrity["problems"][:20]:
        print(f"  integrity: {problem}")
    print(f"\nwritten: {RESULTS / (name + '.json')}, {RESULTS / (name + '.md')}")
    missed = [k for k, t in targets.items() if t["met"] is False]
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
