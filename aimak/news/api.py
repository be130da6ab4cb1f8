"""News, articles and the magazine in the API: anonymous reads of what is public; writes
for content administrators with a token (the same permission as the pages)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status as HttpStatus

from aimak.accounts.api_auth import TokenAuth

from .models import Article, Category, Kind, MagazineIssue, MagazineSection, Status, Tag
from .selectors import (
    article_admin_get,
    article_public_get,
    article_public_list,
    article_search,
    category_get,
    issue_contents,
    issue_get,
    issue_list,
    tag_get,
)
from .services import LANGUAGES, ArticleData, article_save

router = Router(tags=["news and the magazine"])


class Texts(Schema):
    ky: str | None = None
    ru: str | None = None
    en: str | None = None


class NamedOut(Schema):
    slug: str
    name: Texts


class ImageOut(Schema):
    width: int
    format: str = Field(description="webp or jpg")
    url: str


class ArticleOut(Schema):
    id: int
    slug: str
    kind: str = Field(description="news, article or magazine")
    title: Texts
    lead: Texts
    url: str = Field(description="The public page (in the request's language)")
    category: NamedOut | None
    tags: list[NamedOut]
    publish_at: datetime.datetime | None
    cover: list[ImageOut] = Field(description="The cover image in phone sizes")
    cover_alt: Texts
    issue: int | None = Field(description="Magazine issue number (magazine articles)")
    section: Texts | None


class ArticleDetailOut(ArticleOut):
    body: Texts = Field(description="Sanitised HTML per language")
    status: str
    updated_at: datetime.datetime


def _texts(obj: object, name: str) -> Texts:
    return Texts(**{code: getattr(obj, f"{name}_{code}") or None for code in LANGUAGES})


def _named(obj: Category | Tag) -> NamedOut:
    return NamedOut(slug=obj.slug, name=_texts(obj, "name"))


def _article_out(request, article: Article, *, detail: bool = False) -> dict:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    cover = [
        ImageOut(
            width=v["width"],
            format=v["format"],
            url=request.build_absolute_uri(reverse("news:file", args=[v["name"]])),
        )
        for v in (article.cover_sizes or [])
    ]
    out = {
        "id": article.pk,
        "slug": article.slug,
        "kind": article.kind,
        "title": _texts(article, "title"),
        "lead": _texts(article, "lead"),
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "category": _named(article.category) if article.category else None,
        "tags": [_named(t) for t in article.tags.all()],
        "publish_at": article.publish_at,
        "cover": cover,
        "cover_alt": _texts(article, "cover_alt"),
        "issue": article.issue.number if article.issue else None,
        "section": _texts(article.section, "title") if article.section else None,
    }
    if detail:
        out |= {
            "body": _texts(article, "body"),
            "status": article.shown_status,
            "updated_at": article.updated_at,
        }
    return out


class NewsQuery(Schema):
    kind: Kind | None = Field(
        None, description="news, article or magazine (default: news and articles)"
    )
    category: str | None = Field(None, description="Category slug")
    tag: str | None = Field(None, description="Tag slug")
    language: str | None = Field(
        None, pattern="^(ky|ru|en)$", description="Only items that have a title in this language"
    )
    q: str | None = Field(
        None, max_length=200, description="Words to find (Russian any form, Kyrgyz ң ө ү optional)"
    )


class _ArticlePagination(LimitOffsetPagination):
    def paginate_queryset(self, queryset, pagination, request, **params):  # type: ignore[override]
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [_article_out(request, a) for a in page["items"]]
        return page


@router.get(
    "/news",
    response=list[ArticleOut],
    summary="List or search news, articles and magazine articles",
    description="Public items only (published, or scheduled and due), newest first; with `q`, "
    "the best matches first.",
)
@paginate(_ArticlePagination)
def list_news(request, filters: Query[NewsQuery]):
    try:
        category = category_get(slug=filters.category) if filters.category else None
        tag = tag_get(slug=filters.tag) if filters.tag else None
    except (Category.DoesNotExist, Tag.DoesNotExist) as exc:
        raise Http404(_("There is no such category or tag.")) from exc
    if filters.q:
        qs = article_search(query=filters.q, kind=filters.kind or "news")
        if category is not None:
            qs = qs.filter(category=category)
        if tag is not None:
            qs = qs.filter(tags=tag)
        if filters.language:
            qs = qs.exclude(**{f"title_{filters.language}__isnull": True}).exclude(
                **{f"title_{filters.language}": ""}
            )
    else:
        qs = article_public_list(
            kind=filters.kind, category=category, tag=tag, language=filters.language
        )
    return qs.prefetch_related("tags").select_related("section")


@router.get(
    "/news/{slug}",
    response=ArticleDetailOut,
    summary="One public news item, article or magazine article",
    description="With the sanitised HTML text in every language it has.",
)
def get_news(request, slug: str):
    try:
        article = article_public_get(slug=slug)
    except Article.DoesNotExist as exc:
        raise Http404(_("There is no such news item or article.")) from exc
    return _article_out(request, article, detail=True)


class ArticleIn(Schema):
    kind: Kind = Kind.NEWS
    slug: str = Field("", max_length=120, description="Made from the title when empty")
    title: Texts = Field(description="Kyrgyz and Russian required, English optional")
    lead: Texts = Texts()
    body: Texts = Field(Texts(), description="HTML; sanitised (anything not allowed is removed)")
    category: str | None = Field(None, description="Category slug")
    tags: list[str] = Field([], description="Tag slugs")
    issue: int | None = Field(None, description="Magazine issue number (kind magazine)")
    section: int | None = Field(None, description="Magazine section id (kind magazine)")
    position: int = Field(0, ge=0)
    status: Status = Status.DRAFT
    publish_at: datetime.datetime | None = Field(
        None, description="Required in the future for status scheduled"
    )


def _check_admin(request) -> None:  # type: ignore[no-untyped-def]
    if not request.user.has_perm("news.manage_content"):
        raise PermissionDenied(
            _("Only the content administrator may manage news and the magazine.")
        )


def _data(payload: ArticleIn) -> ArticleData:
    def lookup(model, **kw):  # type: ignore[no-untyped-def]
        try:
            return model.objects.get(**kw)
        except model.DoesNotExist as exc:
            raise Http404(_("Unknown %(what)s.") % {"what": model._meta.verbose_name}) from exc

    tags = [lookup(Tag, slug=s) for s in payload.tags]
    return ArticleData(
        kind=payload.kind,
        slug=payload.slug,
        title=payload.title.dict(),
        lead=payload.lead.dict(),
        body=payload.body.dict(),
        category=lookup(Category, slug=payload.category) if payload.category else None,
        tags=tags,
        issue=lookup(MagazineIssue, number=payload.issue) if payload.issue else None,
        section=lookup(MagazineSection, pk=payload.section) if payload.section else None,
        position=payload.position,
        status=payload.status,
        publish_at=payload.publish_at,
    )


@router.post(
    "/news",
    auth=TokenAuth(),
    response={201: ArticleDetailOut},
    summary="Create a news item, article or magazine article (content administrators)",
    description="Token of a content or system administrator. The body is sanitised; 422 "
    "lists what is missing (a Kyrgyz and a Russian title, a future time to schedule…).",
)
def create_news(request, payload: ArticleIn):
    _check_admin(request)
    article = article_save(data=_data(payload), user=request.user)
    return HttpStatus(201, _article_out(request, article, detail=True))


@router.put(
    "/news/{slug}",
    auth=TokenAuth(),
    response=ArticleDetailOut,
    summary="Replace a news item, article or magazine article (content administrators)",
    description="Any item, whatever its status, by its current address (slug); the whole "
    "item is replaced by the payload (the cover image is kept; an empty slug keeps it).",
)
def update_news(request, slug: str, payload: ArticleIn):
    _check_admin(request)
    try:
        article = article_admin_get(slug=slug)
    except Article.DoesNotExist as exc:
        raise Http404(_("There is no such news item or article.")) from exc
    data = _data(payload)
    if not data.cover_alt and article.cover:
        data.cover_alt = {c: getattr(article, f"cover_alt_{c}") or "" for c in LANGUAGES}
    article = article_save(data=data, user=request.user, article=article)
    return _article_out(request, article, detail=True)


class SectionOut(Schema):
    id: int
    title: Texts
    articles: list[ArticleOut]


class IssueOut(Schema):
    number: int
    overall_number: int
    date: datetime.date
    title: Texts
    url: str
    cover: list[ImageOut]
    pdf: str | None = Field(description="The full issue as a PDF")


class IssueDetailOut(IssueOut):
    sections: list[SectionOut]


def _issue_out(request, issue: MagazineIssue) -> dict:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse("news:file", args=[name]))

    return {
        "number": issue.number,
        "overall_number": issue.overall_number,
        "date": issue.date,
        "title": _texts(issue, "title"),
        "url": request.build_absolute_uri(issue.get_absolute_url()),
        "cover": [
            ImageOut(width=v["width"], format=v["format"], url=url(v["name"]))
            for v in (issue.cover_sizes or [])
        ],
        "pdf": url(issue.pdf.name or "") if issue.pdf else None,
    }


@router.get(
    "/magazine/issues",
    response=list[IssueOut],
    summary="Issues of the magazine «Муниципалитет»",
    description="Published issues, newest first.",
)
@paginate
def list_issues(request):
    return [_issue_out(request, i) for i in issue_list()]


@router.get(
    "/magazine/issues/{number}",
    response=IssueDetailOut,
    summary="One issue of the magazine with its contents",
    description="The issue with its sections and the public articles of each.",
)
def get_issue(request, number: int):
    try:
        issue = issue_get(number=number)
    except MagazineIssue.DoesNotExist as exc:
        raise Http404(_("There is no such issue of the magazine.")) from exc
    sections = [
        {
            "id": part.section.pk if part.section else 0,
            "title": _texts(part.section, "title") if part.section else Texts(),
            "articles": [_article_out(request, a) for a in part.articles],
        }
        for part in issue_contents(issue=issue)
    ]
    return _issue_out(request, issue) | {"sections": sections}
