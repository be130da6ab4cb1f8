"""Benchmark settings: production, plus a bare "ok" view (bench/urls.py). Never deployed."""

from aimak.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
