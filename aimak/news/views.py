"""News, articles and the magazine: public pages (cached) and the content administration."""

from __future__ import annotations

import functools
import mimetypes
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.cache import cache_public_page

from .forms import ArticleForm, IssueForm, article_initial, issue_initial
from .models import Article, Category, Kind, MagazineIssue, Status, Tag
from .schedule import release_scheduled
from .selectors import (
    article_admin_counts,
    article_admin_get,
    article_admin_list,
    article_public_get,
    article_public_list,
    article_search,
    category_get,
    category_list,
    change_log,
    issue_admin_get,
    issue_admin_list,
    issue_contents,
    issue_get,
    issue_list,
    tag_get,
    tag_list,
)
from .services import article_publish, article_save, article_unpublish, issue_save

PAGE_SIZE = 12
_FILE_NAME = re.compile(r"^news/[\w-]+/[\w.-]+$")


def _page(request: HttpRequest, qs) -> object:  # type: ignore[no-untyped-def]
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _list(request: HttpRequest, *, heading: str, qs, **extra) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "news/list.html",
        {
            "heading": heading,
            "page": _page(request, qs),
            "categories": [c for c in category_list() if getattr(c, "n", 0)],
            "tags": tag_list(),
            **extra,
        },
    )


@require_GET
@release_scheduled
@cache_public_page
def index(request: HttpRequest) -> HttpResponse:
    """News and articles, newest first; `?q=` searches them."""
    query = (request.GET.get("q") or "").strip()[:200]
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    if query:
        qs = article_search(query=query, kind=kind or "news")
    else:
        qs = article_public_list(kind=kind)
    heading = _("Magazine articles") if kind == Kind.MAGAZINE else _("News and articles")
    return _list(request, heading=heading, qs=qs, query=query, kind=kind)


@require_GET
@release_scheduled
@cache_public_page
def category(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cat = category_get(slug=slug)
    except Category.DoesNotExist as exc:
        raise Http404(_("There is no such category.")) from exc
    return _list(request, heading=cat.name, qs=article_public_list(category=cat), current=cat)


@require_GET
@release_scheduled
@cache_public_page
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        found = tag_get(slug=slug)
    except Tag.DoesNotExist as exc:
        raise Http404(_("There is no such tag.")) from exc
    heading = _("Tag: %(tag)s") % {"tag": found.name}
    return _list(request, heading=heading, qs=article_public_list(tag=found), current_tag=found)


def _languages(article: Article) -> list[str]:
    return [code for code in ("ky", "ru", "en") if getattr(article, f"title_{code}")]


@require_GET
@release_scheduled
@cache_public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = article_public_get(slug=slug)
    except Article.DoesNotExist as exc:
        raise Http404(_("There is no such news item or article.")) from exc
    return render(
        request,
        "news/detail.html",
        {"article": article, "languages": _languages(article), "tags": list(article.tags.all())},
    )


@require_GET
@release_scheduled
@cache_public_page
def magazine(request: HttpRequest) -> HttpResponse:
    issues = list(issue_list())
    current = issues[0] if issues else None
    return render(
        request,
        "news/magazine.html",
        {
            "current": current,
            "contents": issue_contents(issue=current) if current else [],
            "issues": issues[1:],
        },
    )


@require_GET
@release_scheduled
@cache_public_page
def issue(request: HttpRequest, number: int) -> HttpResponse:
    try:
        found = issue_get(number=number)
    except MagazineIssue.DoesNotExist as exc:
        raise Http404(_("There is no such issue of the magazine.")) from exc
    return render(
        request, "news/issue.html", {"issue": found, "contents": issue_contents(issue=found)}
    )


@require_GET
def file(request: HttpRequest, name: str) -> FileResponse:
    """A stored news file (cover sizes, the magazine's PDFs): public, named uniquely, so
    cached for a year. Only names under news/; nothing else of the media is reachable."""
    if not _FILE_NAME.match(name) or ".." in name or not default_storage.exists(name):
        raise Http404(_("There is no such file."))
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- content administration -----------------------------------------------------------


def content_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the login page) with news.manage_content (else 403 saying why)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("news.manage_content"):
            message = _("Only the content administrator may manage news and the magazine.")
            return render(request, "news/forbidden.html", {"message": message}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _article(pk: int) -> Article:
    try:
        return article_admin_get(pk=pk)
    except Article.DoesNotExist as exc:
        raise Http404(_("There is no such news item or article.")) from exc


@content_admin_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") if request.GET.get("status") in Status.values else None
    return render(
        request,
        "news/manage.html",
        {
            "page": _page(request, article_admin_list(status=status)),
            "status": status,
            "counts": article_admin_counts(),
            "statuses": Status.choices,
            "issues": issue_admin_list(),
        },
    )


def _edit(request: HttpRequest, article: Article | None) -> HttpResponse:
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = article_save(
                    data=form.to_data(),
                    user=request.user,
                    article=article,
                    cover=request.FILES.get("cover"),
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    form.add_error(None, exc.messages)
                for name, errors in getattr(exc, "message_dict", {}).items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("news:edit", pk=saved.pk)
    else:
        initial = article_initial(article) if article else {"status": Status.DRAFT}
        form = ArticleForm(initial=initial)
    return render(request, "news/edit.html", {"form": form, "article": article})


@content_admin_required
@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@content_admin_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, _article(pk))


@content_admin_required
@require_POST
def article_status(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    if request.POST.get("action") == "publish":
        article_publish(article=article, user=request.user)
        messages.success(request, _("Published."))
    elif request.POST.get("action") == "unpublish":
        article_unpublish(article=article, user=request.user)
        messages.success(request, _("Returned to draft."))
    return redirect("news:edit", pk=article.pk)


@never_cache
@content_admin_required
@require_GET
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The item as readers will see it, whatever its status (content administrators only)."""
    article = _article(pk)
    response = render(
        request,
        "news/detail.html",
        {
            "article": article,
            "languages": _languages(article),
            "tags": list(article.tags.all()),
            "preview": True,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@content_admin_required
@require_GET
def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(pk)
    return render(
        request, "news/log.html", {"entries": change_log(article=article), "article": article}
    )


@content_admin_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    return render(request, "news/log.html", {"entries": change_log(), "article": None})


def _issue_edit(request: HttpRequest, issue: MagazineIssue | None) -> HttpResponse:
    if request.method == "POST":
        form = IssueForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            cover, pdf = request.FILES.get("cover"), request.FILES.get("pdf")
            try:
                saved = issue_save(
                    existing=issue,
                    number=d["number"],
                    overall_number=d["overall_number"],
                    date=d["date"],
                    titles={c: d.get(f"title_{c}") or "" for c in ("ky", "ru", "en")},
                    user=request.user,
                    published=d["published"],
                    cover=cover.read() if cover else None,
                    cover_alt=d.get("cover_alt") or "",
                    pdf=pdf.read() if pdf else None,
                    pdf_name=(pdf.name or "") if pdf else "",
                    sections=d["sections"],
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    form.add_error(None, exc.messages)
                for name, errors in getattr(exc, "message_dict", {}).items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Saved."))
                return redirect("news:issue_edit", pk=saved.pk)
    else:
        form = IssueForm(initial=issue_initial(issue) if issue else {})
    return render(request, "news/issue_edit.html", {"form": form, "issue": issue})


@content_admin_required
@require_http_methods(["GET", "POST"])
def issue_new(request: HttpRequest) -> HttpResponse:
    return _issue_edit(request, None)


@content_admin_required
@require_http_methods(["GET", "POST"])
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issue = issue_admin_get(pk=pk)
    except MagazineIssue.DoesNotExist as exc:
        raise Http404(_("There is no such issue of the magazine.")) from exc
    return _issue_edit(request, issue)
