"""CACHE_URL=redis://… gives every web process one shared cache (tested on the real Redis)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis server answers at " + REDIS_URL)
def test_two_processes_share_the_cache_through_redis():
    code = (
        "import django, sys; django.setup();"
        "from django.core.cache import cache;"
        "op, key = sys.argv[1], sys.argv[2];"
        "cache.set(key, 'ак-коргон', 30) if op == 'set' else print(cache.get(key))"
    )
    env = {**os.environ, "CACHE_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "aimak.settings.test"}
    key = f"aimak-test-{os.getpid()}"
    subprocess.run(
        [sys.executable, "-c", code, "set", key], env=env, check=True, cwd=settings.BASE_DIR
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "get", key],
        env=env,
        check=True,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    ).stdout
    assert out.strip() == "ак-коргон"
