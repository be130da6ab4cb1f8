"""Real-browser tests: a real gunicorn server with production settings, driven by Chromium.

One server and one browser per session; every test gets a fresh browser context (no
cookies, no cache). The server is a separate process with its own database (SQLite in a
temporary directory, or a fresh `aimak_browser` database when DATABASE_URL points to
PostgreSQL), so the tests act through the browser and HTTP only, never through the ORM.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "aimak-demo-2026"
DEMO_MUNICIPALITY = "41703204804000"  # Ак-Коргон айыл аймагы (Jalal-Abad, Ala-Buka)
OTHER_MUNICIPALITY = "41704210820000"  # Кош-Дөбө айыл аймагы (Naryn)
ENDED_UNIT = "41703204827000"  # ended; its successor is DEMO_MUNICIPALITY
MOBILE = {"width": 360, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
BROWSER_DB_NAME = "aimak_browser"
SETUP_SCRIPT = """
import django
from django.core.management import call_command
django.setup()
call_command("collectstatic", "--noinput", verbosity=0)
call_command("compiletranslations", "--allow-incomplete", verbosity=0)
call_command("migrate", "--noinput", verbosity=0)
call_command("load_territories", verbosity=0)
call_command("load_services", verbosity=0)
call_command("demo_seed", verbosity=0)
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH", ""),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _postgres_database(url: str) -> str:
    """Drop and create the browser server's own database; return its URL."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(BROWSER_DB_NAME)
            )
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BROWSER_DB_NAME)))
    return urlunsplit(parts._replace(path=f"/{BROWSER_DB_NAME}"))


def _drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(BROWSER_DB_NAME)
            )
        )


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url}/healthz did not answer 200 within {timeout} s")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium_path()
    if path is None:
        reason = (
            "Chromium not found (set CHROMIUM_PATH or install Debian's chromium); "
            "browser tests need it"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def server_env(chromium_path, tmp_path_factory) -> Iterator[dict[str, str]]:
    """The server's environment (production settings, its own database, set up as a
    deployment sets it up): gunicorn and any command acting as the server (a background
    worker) run with it."""
    var_dir = tmp_path_factory.mktemp("aimak-var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aimak.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AIMAK_VAR_DIR": str(var_dir),
        "AIMAK_DEMO": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DEBUG", None)
    database_url = os.environ.get("DATABASE_URL", "")
    postgres = database_url.startswith(("postgres://", "postgresql://"))
    if postgres:
        env["DATABASE_URL"] = _postgres_database(database_url)
    else:
        env.pop("DATABASE_URL", None)  # SQLite in AIMAK_VAR_DIR

    # The set-up a deployment runs, in one Python process to save interpreter start-ups.
    result = subprocess.run(
        [sys.executable, "-c", SETUP_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        pytest.fail(f"Server set-up failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    try:
        yield env
    finally:
        if postgres:
            _drop_postgres_database(database_url)


@pytest.fixture(scope="session")
def server_url(server_env) -> Iterator[str]:
    """Start gunicorn with production settings on a free port; yield its base URL."""
    env = server_env
    var_dir = Path(env["AIMAK_VAR_DIR"])
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = var_dir / "gunicorn.log"
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                gunicorn,
                "aimak.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--graceful-timeout",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            _wait_healthy(url, proc)
        except RuntimeError as exc:
            pytest.fail(f"{exc}\n{log_path.read_text()}", pytrace=False)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's async-safety check
    # would then refuse ORM calls made by other tests in the same process. The browser tests
    # themselves never touch the ORM (the server is a separate process).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == "127.0.0.1"


@pytest.fixture
def new_context(browser, server_url):
    """Factory for fresh contexts at 360 px (no cookies, no cache), closed after the test.

    Every request any page makes is recorded; the test fails if one leaves 127.0.0.1.
    """
    contexts = []
    requested: list[str] = []

    def make(**kwargs):
        options = {"viewport": MOBILE, "base_url": server_url, "locale": "ky-KG"}
        options.update(kwargs)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        context.on("request", lambda request: requested.append(request.url))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    external = [url for url in requested if not is_local(url)]
    assert not external, f"requests left 127.0.0.1: {external}"


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def sign_in(page, username: str, password: str = DEMO_PASSWORD, lang: str = "ky") -> None:
    page.goto(f"/{lang}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def admin_page(new_context):
    page = new_context().new_page()
    sign_in(page, "demo-admin")
    assert "/accounts/profile/" in page.url, page.url
    return page


@pytest.fixture
def unique() -> str:
    return f"{int(time.time() * 1000) % 10**9:x}{secrets.token_hex(2)}"
