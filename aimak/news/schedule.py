"""How a cached public page learns that a scheduled item has fallen due, without a job.

Public lists show only items whose `publish_at` has passed (`Article.objects.public()`),
so a page rendered afresh is always right; the risk is a page cached BEFORE the time,
which would keep hiding the item. So every public page that can show news is wrapped in
`release_scheduled` (outside `cache_public_page`): it compares the clock with the time the
earliest scheduled item falls due, kept in the cache (one small query per process at most
every RECHECK seconds, none otherwise). When that time has passed it calls
`services.scheduled_release()`, which marks the item published (a history row, no user)
and bumps the public-content version, so every cached page renders afresh on its next
request. An item therefore appears at its time to the second on the first request after
it, and a schedule saved in another process is seen at once (the write forgets the cached
time; in a per-process cache, at the latest after RECHECK seconds).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .selectors import next_scheduled_at
from .services import NEXT_DUE_KEY, scheduled_release

RECHECK = 60


def release_due() -> None:
    due = cache.get(NEXT_DUE_KEY)
    if due is None:
        at = next_scheduled_at()
        due = at.timestamp() if at is not None else 0.0
        cache.set(NEXT_DUE_KEY, due, RECHECK)
    if due and due <= time.time():
        scheduled_release()
        cache.delete(NEXT_DUE_KEY)


def release_scheduled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        release_due()
        return view(request, *args, **kwargs)

    return wrapper
