"""Every write to news, articles and the magazine.

Each write sanitises the rich text (nh3), makes the cover sizes (Pillow), keeps the search
fields up to date, records who changed what (simple-history) and invalidates the public
page cache (`public_content_changed`), all inside one transaction.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, UnidentifiedImageError

from aimak.core.cache import public_content_changed
from aimak.legal.text import fold, index_terms

from .models import Article, Category, Kind, MagazineIssue, MagazineSection, Status, Tag

LANGUAGES = ("ky", "ru", "en")
REQUIRED_LANGUAGES = ("ky", "ru")
COVER_WIDTHS = (480, 960)
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PDF_BYTES = 30 * 1024 * 1024
# The cached time (epoch seconds, 0 for none) the next scheduled item falls due; see
# aimak/news/schedule.py. Forgotten after every write so a new schedule is seen at once.
NEXT_DUE_KEY = "news:next-due"


def _forget_next_due() -> None:
    transaction.on_commit(lambda: cache.delete(NEXT_DUE_KEY))


# --- rich text ------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li", "blockquote", "img",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_OWN_FILES = re.compile(r"^/(?:ky|ru|en)/news/files/news/[\w./-]+$")


def _own_media(src: str) -> bool:
    """Images only from our own media: /media/… or the news file view; no `..`."""
    if ".." in src or "//" in src or "\\" in src:
        return False
    return src.startswith(settings.MEDIA_URL) or bool(_OWN_FILES.match(src))


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    value = value.strip()
    if tag == "img" and attribute == "src":
        return value if _own_media(value) else None
    if tag == "a" and attribute == "href":
        lowered = value.lower()
        if lowered.startswith(("http://", "https://", "mailto:")):
            return value
        return None
    return value


def sanitize_html(html: str) -> str:
    """The rich text with only the allowed tags and attributes: no script, no on*
    attributes, no javascript: or data: URLs, images only from our own media."""
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
        strip_comments=True,
    )
    # An image whose source was refused is dropped whole.
    return re.sub(r"<img(?![^>]*\ssrc=)[^>]*>", "", cleaned).strip()


# --- images ---------------------------------------------------------------------------


def _open_image(data: bytes) -> Image.Image:
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError({"cover": [_("The image is larger than 8 MB.")]})
    try:
        image = Image.open(io.BytesIO(data))
        image.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            {"cover": [_("The file is not an image (JPEG, PNG or WebP).")]}
        ) from exc
    if image.format not in ("JPEG", "PNG", "WEBP"):
        raise ValidationError({"cover": [_("The file is not an image (JPEG, PNG or WebP).")]})
    return image.convert("RGB")


def _cover_store(*, data: bytes, stem: str, folder: str) -> tuple[str, list[dict[str, Any]]]:
    """Keep the original as JPEG and make the phone sizes: 480 and 960 px, WebP and JPEG."""
    image = _open_image(data)
    stem = slugify(stem)[:60] or "cover"
    token = timezone.now().strftime("%Y%m%d%H%M%S%f")
    sizes: list[dict[str, Any]] = []
    original = io.BytesIO()
    full = image.copy()
    full.thumbnail((1600, 1600))
    full.save(original, "JPEG", quality=85, optimize=True)
    original_name = default_storage.save(
        f"{folder}/{stem}-{token}.jpg", ContentFile(original.getvalue())
    )
    for width in COVER_WIDTHS:
        if image.width < width and width != COVER_WIDTHS[0]:
            continue
        scaled = image.copy()
        scaled.thumbnail((width, width * 4))
        for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg")):
            buffer = io.BytesIO()
            scaled.save(buffer, fmt, quality=80)
            name = default_storage.save(
                f"{folder}/{stem}-{token}-{width}.{ext}", ContentFile(buffer.getvalue())
            )
            sizes.append(
                {"width": scaled.width, "height": scaled.height, "format": ext, "name": name}
            )
    return original_name, sizes


# --- search ---------------------------------------------------------------------------


def article_index(*, article_ids: list[int]) -> None:
    """Recompute the search fields (stems for any database, a tsvector on PostgreSQL)."""
    articles = list(Article.objects.filter(pk__in=article_ids))
    for article in articles:
        titles = [getattr(article, f"title_{code}") or "" for code in LANGUAGES]
        texts = [
            strip_tags(getattr(article, f"{name}_{code}") or "")
            for code in LANGUAGES
            for name in ("lead", "body")
        ]
        article.search_title = index_terms(*titles)
        article.search_text = index_terms(*texts)
    Article.objects.bulk_update(articles, ["search_title", "search_text"])
    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    def plain(*values: str | None) -> Value:
        return Value(" ".join(strip_tags(v or "") for v in values), output_field=TextField())

    def folded(*values: str | None) -> Value:
        text = " ".join(strip_tags(v or "") for v in values)
        return Value(fold(text), output_field=TextField())

    for a in articles:
        Article.objects.filter(pk=a.pk).update(
            search_vector=(
                SearchVector(plain(a.title_ru, a.title_en), config="russian", weight="A")
                + SearchVector(folded(a.title_ky), config="simple", weight="A")
                + SearchVector(plain(a.lead_ru, a.body_ru), config="russian", weight="B")
                + SearchVector(folded(a.lead_ky, a.body_ky), config="simple", weight="B")
                + SearchVector(plain(a.lead_en, a.body_en), config="simple", weight="C")
            )
        )


# --- articles -------------------------------------------------------------------------


@dataclass
class ArticleData:
    """What an editor gives for an article (the form and the API both build one)."""

    kind: str = Kind.NEWS
    slug: str = ""
    title: dict[str, str] = field(default_factory=dict)
    lead: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)
    cover_alt: dict[str, str] = field(default_factory=dict)
    category: Category | None = None
    tags: list[Tag] = field(default_factory=list)
    issue: MagazineIssue | None = None
    section: MagazineSection | None = None
    position: int = 0
    status: str = Status.DRAFT
    publish_at: Any = None  # datetime or None (now, when publishing without a time)


def _check(data: ArticleData, *, article: Article | None, cover: bytes | None) -> dict:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.kind not in Kind.values:
        add("kind", _("Choose a kind."))
    if data.status not in Status.values:
        add("status", _("Choose a status."))
    for code in REQUIRED_LANGUAGES:
        if not (data.title.get(code) or "").strip():
            add(f"title_{code}", _("A title in Kyrgyz and in Russian is required."))
    if data.body.get("en") and not (data.title.get("en") or "").strip():
        add("title_en", _("An English text needs an English title."))
    has_cover = cover is not None or bool(article and article.cover)
    if has_cover:
        for code in REQUIRED_LANGUAGES:
            if not (data.cover_alt.get(code) or "").strip():
                add(
                    f"cover_alt_{code}",
                    _("Describe the cover image in Kyrgyz and in Russian (for screen readers)."),
                )
    if data.kind == Kind.MAGAZINE:
        if data.issue is None:
            add("issue", _("A magazine article belongs to an issue."))
        if data.section is not None and data.issue and data.section.issue_id != data.issue.pk:
            add("section", _("This section belongs to another issue."))
    elif data.issue is not None or data.section is not None:
        add("issue", _("Only magazine articles belong to an issue."))
    if data.status == Status.SCHEDULED and (
        data.publish_at is None or data.publish_at <= timezone.now()
    ):
        add("publish_at", _("A scheduled item needs a publication time in the future."))
    slug = data.slug or ""
    if slug in RESERVED_SLUGS:
        add("slug", _("This address is reserved; choose another."))
    if slug:
        taken = Article.objects.filter(slug=slug)
        if article is not None:
            taken = taken.exclude(pk=article.pk)
        if taken.exists():
            add("slug", _("This address is already used by another item."))
    return errors


RESERVED_SLUGS = {"feed", "category", "tag", "magazine", "files", "manage", "search"}


_LATIN = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфхцыэңөү", "abvgdeziyklmnoprstufhcyenou", strict=True)),
        "ё": "yo", "ж": "zh", "ч": "ch", "ш": "sh", "щ": "sch", "ю": "yu", "я": "ya",
        "ъ": "", "ь": "",
    }
)  # fmt: skip


def _unique_slug(base: str) -> str:
    """A readable Latin address from the title (Russian and Kyrgyz transliterated)."""
    base = slugify(base.lower().translate(_LATIN))[:100].strip("-") or "news"
    if base in RESERVED_SLUGS:
        base = f"{base}-news"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def article_save(
    *,
    data: ArticleData,
    user: Any,
    article: Article | None = None,
    cover: UploadedFile | bytes | None = None,
    reason: str = "",
) -> Article:
    """Create (article=None) or update an article as a whole; all or nothing."""
    cover_bytes = cover.read() if isinstance(cover, UploadedFile) else cover
    errors = _check(data, article=article, cover=cover_bytes)
    if errors:
        raise ValidationError(errors)
    creating = article is None
    if article is None:
        article = Article(author=user if getattr(user, "is_authenticated", False) else None)
    article.kind = data.kind
    article.slug = (
        data.slug
        or article.slug
        or _unique_slug(data.title.get("en") or data.title.get("ru") or data.title.get("ky") or "")
    )
    for code in LANGUAGES:
        setattr(article, f"title_{code}", (data.title.get(code) or "").strip() or None)
        setattr(article, f"lead_{code}", (data.lead.get(code) or "").strip() or None)
        setattr(article, f"body_{code}", sanitize_html(data.body.get(code) or "") or None)
        setattr(article, f"cover_alt_{code}", (data.cover_alt.get(code) or "").strip() or None)
    article.category = data.category
    article.issue = data.issue if data.kind == Kind.MAGAZINE else None
    article.section = data.section if data.kind == Kind.MAGAZINE else None
    article.position = data.position
    article.status = data.status
    if data.status == Status.PUBLISHED:
        article.publish_at = (
            data.publish_at if data.publish_at and data.publish_at <= timezone.now()
            else (article.publish_at if article.publish_at and article.publish_at <= timezone.now()
                  and not creating else timezone.now())
        )  # fmt: skip
    else:
        article.publish_at = data.publish_at
    if cover_bytes is not None:
        article.cover.name, article.cover_sizes = _cover_store(
            data=cover_bytes, stem=article.slug, folder="news/covers"
        )
    article._history_user = user if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    # Reasons are kept in English and translated when shown (selectors.change_log).
    default_reason = gettext_noop("Created") if creating else gettext_noop("Edited")
    article._change_reason = reason or default_reason  # type: ignore[attr-defined]
    article.save()
    article.tags.set(data.tags)
    article_index(article_ids=[article.pk])
    public_content_changed()
    _forget_next_due()
    return article


@transaction.atomic
def article_publish(*, article: Article, user: Any, publish_at: Any = None) -> Article:
    """Publish now, or schedule for `publish_at` when that is in the future."""
    now = timezone.now()
    if publish_at is not None and publish_at > now:
        article.status, article.publish_at = Status.SCHEDULED, publish_at
        reason = gettext_noop("Scheduled")
    else:
        article.status, article.publish_at = Status.PUBLISHED, publish_at or now
        reason = gettext_noop("Published")
    article._history_user = user  # type: ignore[attr-defined]
    article._change_reason = reason  # type: ignore[attr-defined]
    article.save(update_fields=["status", "publish_at", "updated_at"])
    public_content_changed()
    _forget_next_due()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: Any) -> Article:
    article.status = Status.DRAFT
    article._history_user = user  # type: ignore[attr-defined]
    article._change_reason = gettext_noop("Returned to draft")  # type: ignore[attr-defined]
    article.save(update_fields=["status", "updated_at"])
    public_content_changed()
    return article


@transaction.atomic
def scheduled_release() -> int:
    """Mark scheduled items that are due as published (with a history row) and invalidate
    the page cache, so cached pages learn that their time has come. Idempotent."""
    due = list(
        Article.objects.select_for_update().filter(
            status=Status.SCHEDULED, publish_at__lte=timezone.now()
        )
    )
    for article in due:
        article.status = Status.PUBLISHED
        article._history_user = None  # type: ignore[attr-defined]
        article._change_reason = gettext_noop("Published at the scheduled time")  # type: ignore[attr-defined]
        article.save(update_fields=["status", "updated_at"])
    if due:
        public_content_changed()
    _forget_next_due()
    return len(due)


# --- taxonomy and the magazine --------------------------------------------------------


def _names_save(model: type[Category] | type[Tag], slug: str, values: dict[str, Any]) -> Any:
    """Create or update by slug; the cache is invalidated only when something changed."""
    obj = model.objects.filter(slug=slug).first()
    if obj is not None and all(getattr(obj, k) == v for k, v in values.items()):
        return obj
    obj, _created = model.objects.update_or_create(slug=slug, defaults=values)
    public_content_changed()
    return obj


@transaction.atomic
def category_save(*, slug: str, names: dict[str, str], position: int = 0) -> Category:
    values: dict[str, Any] = {f"name_{c}": names.get(c) or None for c in LANGUAGES}
    return _names_save(Category, slug, values | {"position": position})


@transaction.atomic
def tag_save(*, slug: str, names: dict[str, str]) -> Tag:
    return _names_save(Tag, slug, {f"name_{c}": names.get(c) or None for c in LANGUAGES})


@transaction.atomic
def issue_save(
    *,
    number: int,
    overall_number: int,
    date: Any,
    titles: dict[str, str],
    user: Any,
    published: bool = False,
    cover: bytes | None = None,
    cover_alt: str = "",
    pdf: bytes | None = None,
    pdf_name: str = "",
    existing: MagazineIssue | None = None,
    sections: list[dict[str, str]] | None = None,
) -> MagazineIssue:
    """Create an issue (existing=None) or update `existing`: cover sizes made, PDF checked,
    sections (titles per language, in order) replaced when given."""
    for code in REQUIRED_LANGUAGES:
        if not (titles.get(code) or "").strip():
            raise ValidationError({"title": [_("A title in Kyrgyz and in Russian is required.")]})
    taken = MagazineIssue.objects.filter(number=number)
    if existing is not None:
        taken = taken.exclude(pk=existing.pk)
    if taken.exists():
        raise ValidationError({"number": [_("An issue with this number already exists.")]})
    issue = existing if existing is not None else MagazineIssue()
    issue.number = number
    issue.overall_number = overall_number
    issue.date = date
    for code in LANGUAGES:
        setattr(issue, f"title_{code}", (titles.get(code) or "").strip() or None)
    issue.published = published
    if (cover is not None or issue.cover) and not cover_alt.strip():
        raise ValidationError({"cover_alt": [_("Describe the cover image.")]})
    if cover is not None:
        issue.cover.name, issue.cover_sizes = _cover_store(
            data=cover, stem=f"issue-{number}", folder="news/issues"
        )
    issue.cover_alt = cover_alt
    if pdf is not None:
        if len(pdf) > MAX_PDF_BYTES or not pdf.startswith(b"%PDF-"):
            raise ValidationError({"pdf": [_("The file is not a PDF (or is larger than 30 MB).")]})
        issue.pdf.name = default_storage.save(
            f"news/issues/{slugify(pdf_name) or f'issue-{number}'}.pdf", ContentFile(pdf)
        )
    issue._history_user = user  # type: ignore[attr-defined]
    try:
        issue.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    issue.save()
    if sections is not None:
        for position, titles in enumerate(sections):
            section_save(issue=issue, position=position, titles=titles)
        issue.sections.filter(position__gte=len(sections), articles__isnull=True).delete()
    public_content_changed()
    return issue


@transaction.atomic
def section_save(*, issue: MagazineIssue, position: int, titles: dict[str, str]) -> MagazineSection:
    section = issue.sections.filter(position=position).first() or MagazineSection(
        issue=issue, position=position
    )
    for code in LANGUAGES:
        setattr(section, f"title_{code}", (titles.get(code) or "").strip() or None)
    section.save()
    public_content_changed()
    return section
