from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from aimak.catalogue.selectors import service_list
from aimak.core.cache import cache_public_page
from aimak.news.schedule import release_scheduled
from aimak.news.selectors import (
    current_issue,
    home_practices,
    issue_contents,
    latest_news,
    site_search,
    upcoming_events,
)
from aimak.territories.selectors import territory_level_counts

SEARCH_MAX_CHARS = 200


@require_GET
@release_scheduled
@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    """The portal's front page: one search box, latest news, featured practices, the
    current magazine issue, upcoming events, and the way into the registry and the laws."""
    issue = current_issue()
    return render(
        request,
        "core/home.html",
        {
            "level_counts": territory_level_counts(),
            "services": service_list(),
            "news": latest_news(limit=4),
            "practices": home_practices(limit=3),
            "issue": issue,
            "issue_contents": issue_contents(issue=issue) if issue else [],
            "events": upcoming_events(limit=4),
        },
    )


@require_GET
@release_scheduled
@cache_public_page
def search(request: HttpRequest) -> HttpResponse:
    """The one search box: every section of the portal, grouped with counts, each group
    linking to its section's own search."""
    query = " ".join((request.GET.get("q") or "").split())[:SEARCH_MAX_CHARS]
    groups = site_search(query=query)
    return render(
        request,
        "core/search.html",
        {"query": query, "groups": groups, "total": sum(g.count for g in groups)},
    )


@require_GET
@cache_public_page
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: answers 200 only when the database answers (GET or HEAD)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Open the same page in another language and remember the choice.

    A plain link (GET), so public pages carry no form and no CSRF token and can be
    cached whole; choosing a language changes nothing but this visitor's preference.
    """
    if code not in dict(settings.LANGUAGES):
        code = settings.LANGUAGE_CODE
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = f"/{code}/"
    # translate_url resolves the path in the active language: take the path's own.
    with translation.override(translation.get_language_from_path(target)):
        response = HttpResponseRedirect(translate_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
