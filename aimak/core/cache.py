"""Whole-page caching of public pages for anonymous visitors.

A public page (registry, services, home, about) is the same for every anonymous visitor
in one language, so its rendered HTML is kept in the cache under its full path and the
current content version. Any service that changes public content calls
`public_content_changed()` inside its transaction; the next request then renders afresh.
Signed-in users, requests carrying a session or pending messages, and htmx requests are
never served from or stored into the cache.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from .models import ContentVersion

PUBLIC = "public"
PAGE_TIMEOUT = 24 * 3600


def public_content_changed() -> None:
    """Invalidate every cached public page (call it where public content is written)."""
    with transaction.atomic():
        updated = ContentVersion.objects.filter(key=PUBLIC).update(version=F("version") + 1)
        if not updated:
            ContentVersion.objects.get_or_create(key=PUBLIC, defaults={"version": 1})


def public_content_version() -> int:
    return ContentVersion.objects.filter(key=PUBLIC).values_list("version", flat=True).first() or 0


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_HX_REQUEST" not in request.META
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        key = f"page:{public_content_version()}:{get_language()}:{path}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            # A page that set a cookie or used a CSRF token is someone's own: never shared.
            if (
                response.status_code == 200
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                cache.set(key, (response.content, response["Content-Type"]), PAGE_TIMEOUT)
        return response

    return wrapper
