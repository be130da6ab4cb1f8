"""Locust scenario of bench/portal_load.py: signed-in users browsing, asking and voting.

Not meant to be run by hand (bench/portal_load.py prepares the database and the server
and starts locust with it), but it can be, against a prepared server:

    BENCH_LOAD_PLAN=plan.json BENCH_LOAD_OUT=out.json \\
        .venv/bin/locust -f bench/locust_portal.py --headless -u 200 -r 50 -t 15m \\
        --stop-timeout 60 --host http://127.0.0.1:8000

With "barrier" in the plan, every user waits until all have signed in, is then active for
"run_seconds" and stops; the last one ends locust (-t is only a safety net). Without it,
-t ends the run as usual.

The plan (JSON, written by portal_load.py) names the accounts (one per simulated user),
their password, and the paths to visit; the scenario itself knows nothing of the apps'
form fields: it reads every form from the page, as a browser does, and fills it.

Each user:
- signs in through the login form (GET the form, POST it with the CSRF token);
- then, with think time between steps, browses by weight (home, news list, a news article,
  practices list, a practice, legal-acts search with a query, the contest page, the
  question list, a question page);
- asks a question now and then (GET the form, POST it, follow the redirect and check the
  question page shows the title), at most `max_questions` in the run, so a legitimate
  user stays under the "question" rate limit;
- votes once in the contest at a random moment of the first 70% of the run (GET the
  contest page, POST one of its vote forms; the 302 must flash a success message, and
  the contest page must show it and offer no vote form any more); a share of users
  "double-click": the same vote form is POSTed twice at the same time, and one must be
  counted, the other refused with a clear message (never a 500).

What the clients saw (votes confirmed per user, questions confirmed, refusals, unknown
outcomes) and every request's timing are written to BENCH_LOAD_OUT when locust quits.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
import re
import time
import zlib
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import gevent
import gevent.event
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

with open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8") as _plan:
    PLAN: dict = json.load(_plan)
OUT_PATH = os.environ["BENCH_LOAD_OUT"]
ACCOUNTS = itertools.count()
STARTED = time.time()
# The measured run starts when every user has had its sign-in answered (PLAN["barrier"]):
# the wave of sign-ins is measured on its own, then every user is active for run_seconds.
SIGN_INS_DONE = [0]
ALL_SIGNED_IN = gevent.event.Event()
RUN: dict[str, Any] = {"start": None, "stopped": 0}

# What the clients saw; written out when locust quits.
LEDGER: dict = {
    "signed_in": [],  # usernames
    "sign_in_failed": {},  # username -> reason
    "votes": {},  # username -> [application id the page confirmed]
    "vote_refused": {},  # username -> [reason] for a vote the server refused
    "vote_unknown": {},  # username -> [reason]: no answer, or an answer we cannot read
    "duplicate_refused": 0,  # second click of a double-click refused with a message
    "duplicate_accepted": [],  # usernames whose second click was ALSO accepted (a bug)
    "double_clicks": 0,
    "questions": {},  # username -> [title the question page showed]
    "question_refused": {},
    "question_unknown": {},
}
SAMPLES: list[tuple] = []  # (name, start epoch s, ms, status, error or "")


@events.request.add_listener
def _record(request_type, name, response_time, response, exception, start_time, **_kw):
    status = getattr(response, "status_code", 0) or 0
    SAMPLES.append(
        (name, round(start_time, 3), round(response_time, 2), status, str(exception or "")[:200])
    )


@events.quitting.add_listener
def _write(environment, **_kw):
    with open(OUT_PATH, "w", encoding="utf-8") as out:
        json.dump(
            {"ledger": LEDGER, "samples": SAMPLES, "started": STARTED, "run_start": RUN["start"]},
            out,
        )


class FormParser(HTMLParser):
    """The forms of a page: action, method and the fields a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": a.get("method", "get").lower(),
                "fields": [],  # [name, kind, value, required, options]
                "buttons": [],
                "html_id": a.get("id", ""),
                "class": a.get("class", ""),
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                if a.get("name"):
                    self._form["buttons"].append((a["name"], a.get("value", "")))
                return
            if not a.get("name") or "disabled" in a:
                return
            if kind in ("checkbox", "radio"):
                self._form["fields"].append(
                    [a["name"], kind, a.get("value", "on"), "required" in a, "checked" in a]
                )
            else:
                self._form["fields"].append(
                    [a["name"], kind, a.get("value", ""), "required" in a, None]
                )
        elif tag == "button":
            if a.get("type", "submit") == "submit" and a.get("name"):
                self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "required": "required" in a, "options": []}
            self._form["fields"].append(
                [a["name"], "select", "", "required" in a, self._select["options"]]
            )
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value"), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"].append([a["name"], "textarea", "", "required" in a, None])

    def handle_data(self, data):
        if self._textarea and self._form:
            self._form["fields"][-1][2] += data
        if self._select and self._select["options"] and self._select["options"][-1][0] is None:
            _value, selected = self._select["options"][-1]
            self._select["options"][-1] = (data.strip(), selected)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def page_text(html: str) -> str:
    """The visible text of a page, whitespace folded (for "does the page say X")."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"(?s)<[^>]+>", " ", html)).split())


def fill(form: dict, values: dict[str, str], rng: random.Random) -> list[tuple[str, str]]:
    """The fields of `form` as a browser would send them, with `values` for named fields
    and a plausible choice for every other required one."""
    data: list[tuple[str, str]] = []
    radios: dict[str, list[str]] = {}
    for name, kind, value, required, extra in form["fields"]:
        if name in values:
            if kind == "radio":
                radios.setdefault(name, [])
                continue
            if (name, values[name]) not in data:
                data.append((name, values[name]))
            continue
        if kind == "radio":
            radios.setdefault(name, []).append(value)
            if extra:  # checked
                radios[name] = [value, "__checked__"]
        elif kind == "checkbox":
            if extra:
                data.append((name, value))
        elif kind == "select":
            options = [v for v, _sel in extra if v]
            chosen = [v for v, sel in extra if sel and v]
            if chosen:
                data.append((name, chosen[0]))
            elif options and required:
                data.append((name, rng.choice(options)))
            else:
                data.append((name, ""))
        elif kind in ("file",):
            continue
        else:
            if not value and required:
                value = {
                    "number": "1",
                    "email": "bench@example.org",
                    "url": "https://example.org",
                }.get(kind, "bench")
            data.append((name, value))
    for name, options in radios.items():
        if name in values:
            data.append((name, values[name]))
        elif options:  # the checked one (first), else the first
            data.append((name, options[0]))
    return data


class PortalUser(FastHttpUser):
    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])
    # The server's answer may wait behind the other users' requests (the sign-in wave):
    # a request that takes longer than this (a browser's patience) is a failure.
    network_timeout = float(PLAN.get("timeout", 300))
    connection_timeout = float(PLAN.get("timeout", 300))

    def on_start(self) -> None:
        # Redirects are followed by hand, so every response (and its status) is seen.
        self.client.client.redirect_response_codes = frozenset()  # type: ignore[misc]
        number = next(ACCOUNTS)
        if number >= len(PLAN["accounts"]):
            raise RuntimeError("more simulated users than bench accounts")
        account = PLAN["accounts"][number]
        self.username = account["username"]
        self.lang = account["language"]
        self.rng = random.Random(number)
        self.questions_asked = 0
        self.voted = False
        self.double_click = self.rng.random() < PLAN["double_click_share"]
        try:
            self.signed_in = self.sign_in(PLAN["password"])
        finally:
            SIGN_INS_DONE[0] += 1
            if SIGN_INS_DONE[0] >= PLAN["users"]:
                ALL_SIGNED_IN.set()
        if PLAN["barrier"]:
            ALL_SIGNED_IN.wait(timeout=PLAN["sign_in_timeout"])
            if RUN["start"] is None:
                RUN["start"] = time.time()
            start = RUN["start"]
            self.deadline = start + PLAN["run_seconds"]
            # Arrive spread over one think time, not all in the same instant.
            gevent.sleep(self.rng.uniform(0, PLAN["wait_max"]))
        else:
            start = STARTED
            self.deadline = float("inf")
        self.vote_at = start + self.rng.uniform(*PLAN["vote_window"])

    # -- helpers ---------------------------------------------------------------------------

    def path(self, tail: str) -> str:
        return f"/{self.lang}{tail}"

    def get_page(self, path: str, name: str, check=None):
        """GET a page; a failure unless 200 and `check(html)` (if given) finds no fault."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif check is not None:
                fault = check(response.text or "")
                if fault:
                    response.failure(fault)
            return response

    def post(self, path: str, data: list[tuple[str, str]], name: str, referer: str):
        body = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in data)
        return self.client.post(
            path,
            data=body,
            name=name,
            catch_response=True,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"{self.host}{referer}",
            },
        )

    def sign_in(self, password: str) -> bool:
        login = self.path(PLAN["login_path"])
        found: list[dict] = []

        def sign_in_form(html: str) -> str:
            found.extend(
                f
                for f in forms_of(html)
                if f["method"] == "post" and any(field[0] == "password" for field in f["fields"])
            )
            return "" if found else "no sign-in form on the page"

        page = self.get_page(login, "GET sign-in form", check=sign_in_form)
        if page.status_code != 200 or not found:
            LEDGER["sign_in_failed"][self.username] = f"form: HTTP {page.status_code}"
            return False
        form = found[0]
        data = fill(form, {"username": self.username, "password": password}, self.rng)
        with self.post(form["action"] or login, data, "POST sign-in", login) as response:
            location = response.headers.get("Location") or ""
            if response.status_code == 302 and "login" not in location:
                response.success()
                LEDGER["signed_in"].append(self.username)
                return True
            response.failure(f"sign-in not accepted: HTTP {response.status_code}")
            LEDGER["sign_in_failed"][self.username] = f"HTTP {response.status_code}"
            return False

    def follow(self, response, name: str, check=None):
        """GET the Location of a 302 (relative to the site)."""
        location = response.headers.get("Location") or ""
        parts = urlsplit(location)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.get_page(target, name, check=check)

    # -- the scenario ----------------------------------------------------------------------

    @task
    def step(self) -> None:
        if time.time() >= self.deadline:
            RUN["stopped"] += 1
            if RUN["stopped"] >= PLAN["users"]:  # the last one ends the run
                gevent.spawn_later(0.5, self.environment.runner.quit)
            raise StopUser
        if not self.signed_in:
            self.signed_in = self.sign_in(PLAN["password"])
            return
        if not self.voted and time.time() >= self.vote_at and PLAN.get("contest"):
            self.vote()
            return
        kinds, weights = zip(*PLAN["weights"].items(), strict=True)
        kind = self.rng.choices(kinds, weights=weights)[0]
        if kind == "ask":
            if self.questions_asked < PLAN["max_questions"] and PLAN.get("ask_path"):
                self.ask()
                return
            kind = "questions_list"
        getattr(self, f"browse_{kind}")()

    def browse_home(self) -> None:
        self.get_page(self.path("/"), "GET home")

    def browse_news_list(self) -> None:
        self.get_page(self.path("/news/"), "GET news list")

    def browse_news_article(self) -> None:
        self.get_page(self.path(self.rng.choice(PLAN["news"])), "GET news article")

    def browse_practices_list(self) -> None:
        self.get_page(self.path("/practices/"), "GET practices list")

    def browse_practice(self) -> None:
        self.get_page(self.path(self.rng.choice(PLAN["practices"])), "GET practice")

    def browse_legal_search(self) -> None:
        query = quote(self.rng.choice(PLAN["legal_queries"]))
        self.get_page(self.path(f"/legal-acts/?q={query}"), "GET legal-acts search")

    def browse_contest(self) -> None:
        if PLAN.get("contest"):
            self.get_page(self.path(PLAN["contest"]["path"]), "GET contest")
        else:
            self.browse_home()

    def browse_questions_list(self) -> None:
        if PLAN.get("questions_list"):
            self.get_page(self.path(PLAN["questions_list"]), "GET question list")
        else:
            self.browse_news_list()

    def browse_question(self) -> None:
        if PLAN.get("questions"):
            self.get_page(self.path(self.rng.choice(PLAN["questions"])), "GET question")
        else:
            self.browse_news_article()

    def ask(self) -> None:
        ask = self.path(PLAN["ask_path"])
        found: list[dict] = []

        def ask_form(html: str) -> str:
            found.extend(
                f
                for f in forms_of(html)
                if f["method"] == "post" and PLAN["ask_form_hint"] in (f["action"] or ask)
            )
            return "" if found else "no question form on the page"

        page = self.get_page(ask, "GET ask form", check=ask_form)
        if page.status_code != 200 or not found:
            return
        form = found[0]
        self.questions_asked += 1
        title = f"{PLAN['question_title']} {self.username} #{self.questions_asked}"
        values = {
            PLAN["ask_fields"]["title"]: title,
            PLAN["ask_fields"]["body"]: PLAN["question_body"],
            **PLAN["ask_fields"].get("fixed", {}),
        }
        data = fill(form, values, self.rng)
        with self.post(form["action"] or ask, data, "POST ask", ask) as response:
            if response.status_code == 302:
                response.success()
            elif response.status_code == 429:
                response.failure("HTTP 429: a legitimate user hit the question rate limit")
                LEDGER["question_refused"].setdefault(self.username, []).append("429")
                return
            elif response.status_code == 0:
                response.failure(f"no answer: {response.error!r}"[:200])
                LEDGER["question_unknown"].setdefault(self.username, []).append(title)
                return
            else:
                response.failure(f"question not accepted: HTTP {response.status_code}")
                LEDGER["question_refused"].setdefault(self.username, []).append(
                    f"HTTP {response.status_code}"
                )
                return
        shown = self.follow(
            response,
            "GET question (after asking)",
            check=lambda html: (
                "" if title in page_text(html) else "the page after asking does not show it"
            ),
        )
        if shown.status_code == 200 and title in page_text(shown.text or ""):
            LEDGER["questions"].setdefault(self.username, []).append(title)
        else:
            LEDGER["question_unknown"].setdefault(self.username, []).append(title)

    def vote(self) -> None:
        self.voted = True  # one attempt (or one double-click) per user, whatever happens
        contest = PLAN["contest"]
        path = self.path(contest["path"])
        forms: list[dict] = []

        def vote_forms(html: str) -> str:
            forms.extend(_vote_forms(html, contest))
            return "" if forms else "no vote form on the contest page"

        page = self.get_page(path, "GET contest", check=vote_forms)
        if page.status_code != 200 or not forms:
            LEDGER["vote_unknown"].setdefault(self.username, []).append("no vote form")
            return
        form = self.rng.choice(forms)
        data = fill(form, {}, self.rng) + form["buttons"][:1]
        application = contest_application(form, data, contest)
        if not self.double_click:
            outcome = self._vote_post(form, data, path, refusal_ok=False)
            if outcome != "accepted":
                return

            # The page the server sends the voter to must confirm it: the success message,
            # and no vote form any more (the server knows this user has voted).
            def confirmed(html: str) -> str:
                if contest["success_marker"] in html and not _vote_forms(html, contest):
                    return ""
                return "the page after voting does not confirm the vote"

            shown = self.get_page(path, "GET contest (after voting)", check=confirmed)
            if shown.status_code == 200 and not confirmed(shown.text or ""):
                LEDGER["votes"].setdefault(self.username, []).append(application)
            else:
                LEDGER["vote_unknown"].setdefault(self.username, []).append("not confirmed")
            return
        # A double-click: the same form POSTed twice at once. Each answer's own message
        # (the messages cookie it sets) says which one was counted.
        first = gevent.spawn(self._vote_post, form, data, path, refusal_ok=True)
        second = gevent.spawn(self._vote_post, form, data, path, refusal_ok=True)
        gevent.joinall([first, second])
        outcomes = [first.value, second.value]
        accepted = outcomes.count("accepted")
        shown = self.get_page(
            path,
            "GET contest (after voting)",
            check=lambda html: (
                "the page after voting still offers a vote"
                if accepted and _vote_forms(html, contest)
                else ""
            ),
        )
        html = (shown.text or "") if shown.status_code == 200 else ""
        if accepted == 2:
            LEDGER["duplicate_accepted"].append(self.username)
            LEDGER["votes"].setdefault(self.username, []).extend([application, application])
        elif accepted == 1 and outcomes.count("refused") == 1:
            LEDGER["duplicate_refused"] += 1
            if _vote_forms(html, contest):
                LEDGER["vote_unknown"].setdefault(self.username, []).append("not confirmed")
            else:
                LEDGER["votes"].setdefault(self.username, []).append(application)
        elif accepted == 1:
            LEDGER["votes"].setdefault(self.username, []).append(application)
        LEDGER["double_clicks"] = LEDGER.get("double_clicks", 0) + 1

    def _vote_post(self, form, data, referer: str, *, refusal_ok: bool) -> str:
        """POST one vote; 'accepted' (302 with a success message), 'refused' (302 with an
        error message: a clear refusal, right for the second click of a double-click,
        wrong for a single vote), 'failed' or 'unknown'."""
        with self.post(form["action"], data, "POST vote", referer) as response:
            status = response.status_code
            if status == 0:
                response.failure(f"no answer: {response.error!r}"[:200])
                LEDGER["vote_unknown"].setdefault(self.username, []).append("no answer")
                return "unknown"
            flashed = flash_messages(response)
            if status == 302 and flashed is not None:
                levels = {level for level, _text in flashed}
                if SUCCESS in levels and ERROR not in levels:
                    response.success()
                    return "accepted"
                if ERROR in levels:
                    if refusal_ok:
                        response.success()  # the second click, refused with a clear message
                    else:
                        response.failure(f"a single vote refused: {flashed}"[:200])
                    LEDGER["vote_refused"].setdefault(self.username, []).append(
                        "; ".join(text for _level, text in flashed)[:200]
                    )
                    return "refused"
            if status == 429:
                response.failure("HTTP 429: a legitimate voter hit the vote rate limit")
            else:
                response.failure(f"vote answer unreadable: HTTP {status}")
            LEDGER["vote_unknown"].setdefault(self.username, []).append(f"HTTP {status}")
            return "unknown" if status == 302 else "failed"


SUCCESS, ERROR = 25, 40  # django.contrib.messages levels


def flash_messages(response) -> list[tuple[int, str]] | None:
    """The messages a response flashes (Django's signed messages cookie, read without
    checking the signature); None when it sets no messages cookie."""
    headers = response.headers
    if headers is None:
        return None
    for header in headers.getlist("Set-Cookie"):
        name, _eq, rest = header.partition("=")
        if name.strip() != "messages":
            continue
        value = rest.split(";", 1)[0].strip().strip('"')
        if not value:
            return []
        payload = value.split(":", 1)[0]  # payload:timestamp:signature
        compressed = payload.startswith(".")
        payload = payload.lstrip(".")
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            if compressed:
                raw = zlib.decompress(raw)
            items = json.loads(raw)
        except (ValueError, zlib.error):
            return None
        return [
            (int(item[2]), str(item[3]))
            for item in items
            if isinstance(item, list) and len(item) >= 4 and item[0] == "__json_message"
        ]
    return None


def _vote_forms(html: str, contest: dict) -> list[dict]:
    return [
        f
        for f in forms_of(html)
        if f["method"] == "post" and contest["vote_form_hint"] in (f["action"] or "")
    ]


def contest_application(form: dict, data: list[tuple[str, str]], contest: dict) -> str:
    """Which application a vote form is for: its field named in the plan, else its action."""
    field = contest.get("application_field")
    for name, value in data:
        if name == field:
            return value
    match = re.search(r"(\d+)/?[^/]*/?$", form["action"] or "")
    return match.group(1) if match else ""
