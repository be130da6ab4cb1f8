"""Rate limits on what people write: sign-up, questions, posts, reports, votes.

Counting is django-ratelimit's (a fixed window in the cache: per process with the
default memory cache, shared by every web process with ``CACHE_URL=redis://…``, as in
production). Limits are per account when signed in and per address otherwise, named by a
group in ``settings.AIMAK_RATE_LIMITS`` so that an operator can change them without code.

Pages use ``@rate_limited("question")`` on the view (it answers 429 with a page that says
when to try again, in the reader's language); services and the API call
``check_rate(request, group=…)``, which raises ``RateLimited`` (the API answers 429).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import is_ratelimited

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    """Too many writes of one kind from one account or address in the window."""

    def __init__(self, *, group: str, rate: str) -> None:
        self.group = group
        self.rate = rate
        self.retry_after = window_seconds(rate)
        super().__init__(message(rate))


def window_seconds(rate: str) -> int:
    """'10/h' → 3600; '5/10m' → 600."""
    _count, period = rate.split("/")
    unit = period[-1]
    number = int(period[:-1] or 1)
    return number * _PERIODS[unit]


def message(rate: str) -> str:
    seconds = window_seconds(rate)
    if seconds >= 3600:
        hours = seconds // 3600
        wait = ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    else:
        minutes = max(1, seconds // 60)
        wait = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return _(
        "Too many attempts in a short time. Nothing was saved; please try again in %(wait)s."
    ) % {"wait": wait}


def rate_for(group: str) -> str:
    return settings.AIMAK_RATE_LIMITS[group]


def _key(group: str, request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def check_rate(request: HttpRequest, *, group: str, increment: bool = True) -> None:
    """Count one write of ``group`` for this account or address; raise RateLimited past
    the limit. Call it before writing anything, so a refused write leaves nothing."""
    rate = rate_for(group)
    if is_ratelimited(
        request,
        group=f"aimak:{group}",
        key=_key,
        rate=rate,
        method=is_ratelimited.ALL,
        increment=increment,
    ):
        raise RateLimited(group=group, rate=rate)


def limited_response(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(request, "429.html", {"exception": exc}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def rate_limited(group: str, methods: tuple[str, ...] = ("POST",)) -> Callable[..., Any]:
    """Limit a page view's writes (POST by default); reads are never limited."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                try:
                    check_rate(request, group=group)
                except RateLimited as exc:
                    return limited_response(request, exc)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
