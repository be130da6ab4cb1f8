"""Production settings, WSGI entry point and gunicorn configuration."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SECRET = "k7Qe0vZ2-production-test-key-Lr9s1XwYb4nTq8dHj3uMaP6cFgE5"


def _run(args, tmp_path, **env):
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "AIMAK_VAR_DIR": str(tmp_path / "var"),
        "PYTHONDONTWRITEBYTECODE": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DJANGO_SETTINGS_MODULE="aimak.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="aimak.example.kg",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", [None, "too-short"])
def test_production_refuses_to_start_without_a_secret_key(tmp_path, key):
    env = {"SECRET_KEY": key} if key else {}
    # aimak.wsgi defaults to the production settings, as gunicorn loads it.
    result = _run(["-c", "import aimak.wsgi"], tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def _gunicorn_conf(monkeypatch, **env):
    for name in ("BIND", "PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "aimak.settings.test")
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_conf(monkeypatch):
    conf = _gunicorn_conf(monkeypatch)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["workers"] == 2 * os.cpu_count() + 1
    assert conf["accesslog"] == "-"
    assert conf["wsgi_app"] == "aimak.wsgi:application"
    assert conf["timeout"] == 30
    assert conf["control_socket_disable"] is True

    conf = _gunicorn_conf(monkeypatch, PORT="9000", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="60")
    assert (conf["bind"], conf["workers"], conf["timeout"]) == (["0.0.0.0:9000"], 3, 60)
    conf = _gunicorn_conf(monkeypatch, BIND="unix:/run/aimak/web.sock", PORT="9000")
    assert conf["bind"] == ["unix:/run/aimak/web.sock"]
