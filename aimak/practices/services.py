"""Every write to the practice library and the expert directory.

Practices move draft → submitted → under review → published, or back to the author
(returned, with a comment) who edits and submits again; each step is a PracticeTransition
(who, when, comment) and django-simple-history keeps every change of the content. Rich
text is sanitised with nh3 here, before it is stored; files are checked by their content.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Func, TextField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError

from aimak.core.cache import public_content_changed
from aimak.core.uploads import file_type
from aimak.legal.text import FOLD_FROM, FOLD_TO, index_terms
from aimak.notifications.services import notify
from aimak.territories.transliteration import latin

from .models import (
    HOME_COUNTRY,
    DocumentKind,
    Expert,
    Practice,
    PracticeDocument,
    PracticePhoto,
    PracticeTransition,
    PracticeVideo,
    Status,
    Theme,
)
from .selectors import is_content_admin

LANGS = ("ky", "ru", "en")
PRACTICE_TEXT = ("title", "problem", "solution", "results", "cost_note")
RICH_FIELDS = ("problem", "solution", "results")
EXPERT_TEXT = ("organisation", "bio")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTO_PIXELS = 60_000_000
PHOTO_WIDTHS = (360, 720, 1280)
RESERVED_SLUGS = {"submit", "mine", "moderation", "target", "themes", "experts", "new", "manage"}

_TAG = re.compile(r"</?[a-zA-Z!]")
_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}


# --- rich text ----------------------------------------------------------------------------


def clean_rich_text(text: str) -> str:
    """Sanitised HTML: a few formatting tags and links (http, https, mailto), nothing else;
    script, style and their content dropped. Plain text becomes paragraphs."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        text = "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def rich_text_for_editing(html_text: str) -> str:
    """Stored rich text back as the author typed it when it is only paragraphs and line
    breaks (so the form shows plain text); other HTML is returned as it is."""
    text = (html_text or "").strip()
    if re.fullmatch(r"(?:<p>(?:(?!</?[a-zA-Z]).|<br>)*</p>)*", text, flags=re.S):
        text = text.replace("</p><p>", "\n\n").replace("<br>", "\n")
        text = text.removeprefix("<p>").removesuffix("</p>")
        return html.unescape(text)
    return text


# --- slugs and search ---------------------------------------------------------------------


def _slug_for(model: Any, *texts: str, pk: int | None = None) -> str:
    base = ""
    for text in texts:
        base = slugify(latin(text or ""))[:60].strip("-")
        if base:
            break
    base = base or model._meta.model_name
    slug, n = base, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _strip_tags(text: str) -> str:
    return nh3.clean(text or "", tags=set())


def _text(name: str) -> Coalesce:
    return Coalesce(name, Value(""), output_field=TextField())


def _folded(name: str) -> Func:
    return Func(
        Func(_text(name), function="lower", output_field=TextField()),
        Value(FOLD_FROM),
        Value(FOLD_TO),
        function="translate",
        output_field=TextField(),
    )


def _pg_vector(title_fields: list[str], text_fields: list[str]) -> Any:
    from django.contrib.postgres.search import SearchVector

    vector: Any = None
    for names, weight in ((title_fields, "A"), (text_fields, "B")):
        for name in names:
            config = "russian" if name.endswith("_ru") else "simple"
            expr = _text(name) if config == "russian" else _folded(name)
            part = SearchVector(expr, config=config, weight=weight)
            vector = part if vector is None else vector + part
    return vector


def practice_index(*, practice: Practice) -> None:
    titles = [getattr(practice, f"title_{lang}") or "" for lang in LANGS]
    texts = [
        _strip_tags(getattr(practice, f"{f}_{lang}") or "") for f in RICH_FIELDS for lang in LANGS
    ]
    place = practice.municipality.name if practice.municipality else practice.country_name
    Practice.objects.filter(pk=practice.pk).update(
        search_title=index_terms(*titles),
        search_text=index_terms(*texts, place or ""),
    )
    if connection.vendor == "postgresql":
        Practice.objects.filter(pk=practice.pk).update(
            search_vector=_pg_vector(
                [f"title_{lang}" for lang in LANGS],
                [f"{f}_{lang}" for f in RICH_FIELDS for lang in LANGS],
            )
        )


def expert_index(*, expert: Expert) -> None:
    orgs = [getattr(expert, f"organisation_{lang}") or "" for lang in LANGS]
    bios = [_strip_tags(getattr(expert, f"bio_{lang}") or "") for lang in LANGS]
    themes = [t.name_ru or "" for t in expert.themes.all()] + [
        t.name_ky or "" for t in expert.themes.all()
    ]
    Expert.objects.filter(pk=expert.pk).update(
        search_title=index_terms(expert.name, latin(expert.name)),
        search_text=index_terms(*orgs, *bios, *themes),
    )
    if connection.vendor == "postgresql":
        Expert.objects.filter(pk=expert.pk).update(
            search_vector=_pg_vector(
                ["name"],
                [f"{f}_{lang}" for f in EXPERT_TEXT for lang in LANGS],
            )
        )


# --- themes -------------------------------------------------------------------------------


@transaction.atomic
def theme_save(
    *, theme: Theme | None = None, slug: str, names: dict[str, str], position: int = 0
) -> Theme:
    if not (names.get("ky") and names.get("ru")):
        raise ValidationError(_("A theme needs its name in Kyrgyz and in Russian."))
    theme = theme or Theme()
    theme.slug = slug
    theme.position = position
    for lang in LANGS:
        setattr(theme, f"name_{lang}", names.get(lang, "") or "")
    theme.full_clean()
    theme.save()
    public_content_changed()
    return theme


# --- practices ----------------------------------------------------------------------------


@dataclass
class PracticeData:
    """The editable content of a practice; texts keyed by language."""

    title: dict[str, str] = field(default_factory=dict)
    problem: dict[str, str] = field(default_factory=dict)
    solution: dict[str, str] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)
    cost_note: dict[str, str] = field(default_factory=dict)
    cost_amount: Decimal | None = None
    cost_currency: str = "KGS"
    municipality: Any = None
    country: str = HOME_COUNTRY
    country_name: str = ""
    themes: list[Theme] = field(default_factory=list)
    period_start: Any = None
    period_end: Any = None
    contacts: str = ""


def _region_of(municipality: Any) -> Any:
    unit = municipality
    seen = 0
    while unit is not None and unit.level != "oblast" and seen < 6:
        unit = unit.parent
        seen += 1
    return unit if unit is not None and unit.level == "oblast" else None


def _apply(practice: Practice, data: PracticeData) -> None:
    for name in PRACTICE_TEXT:
        values = getattr(data, name)
        for lang in LANGS:
            value = (values.get(lang) or "").strip()
            if name in RICH_FIELDS:
                value = clean_rich_text(value)
            setattr(practice, f"{name}_{lang}", value)
    country = (data.country or HOME_COUNTRY).upper()
    if country == HOME_COUNTRY and data.municipality is None:
        pass  # a Kyrgyz practice may be national (no single municipality)
    if country != HOME_COUNTRY and data.municipality is not None:
        raise ValidationError(_("An international practice cannot have a Kyrgyz municipality."))
    if country == "ZZ" and not data.country_name.strip():
        raise ValidationError(_("Name the country of an international practice."))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        raise ValidationError(_("The practice cannot end before it starts."))
    if data.cost_amount is not None and data.cost_amount < 0:
        raise ValidationError(_("The cost cannot be negative."))
    practice.country = country
    practice.country_name = data.country_name.strip() if country != HOME_COUNTRY else ""
    practice.municipality = data.municipality
    practice.region = _region_of(data.municipality) if data.municipality else None
    practice.cost_amount = data.cost_amount
    practice.cost_currency = data.cost_currency or "KGS"
    practice.period_start = data.period_start
    practice.period_end = data.period_end
    practice.contacts = data.contacts.strip()
    if not any(getattr(practice, f"title_{lang}") for lang in LANGS):
        raise ValidationError(_("Give the practice a title."))


def _by(obj: Any, by: Any) -> None:
    """Record `by` as the author of the change in the object's history."""
    obj._history_user = by if getattr(by, "is_authenticated", False) else None


def _save(practice: Practice, data: PracticeData) -> Practice:
    practice.full_clean(exclude=["slug", "author", "themes"])
    practice.save()
    practice.themes.set(data.themes)
    practice_index(practice=practice)
    return practice


@transaction.atomic
def practice_create(*, author: Any, data: PracticeData) -> Practice:
    """A new draft by `author` (any registered user)."""
    if not getattr(author, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to submit a practice."))
    practice = Practice(author=author, status=Status.DRAFT)
    _apply(practice, data)
    practice.slug = _slug_for(
        Practice, practice.title_en or "", practice.title_ru or "", practice.title_ky or ""
    )
    practice._change_reason = "created"  # type: ignore[attr-defined]
    _by(practice, author)
    _save(practice, data)
    PracticeTransition.objects.create(
        practice=practice, from_status="", to_status=Status.DRAFT, by=author
    )
    return practice


def _lock(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


def can_edit(*, user: Any, practice: Practice) -> bool:
    if is_content_admin(user):
        return True
    return practice.author_id == getattr(user, "pk", None) and practice.editable_by_author


@transaction.atomic
def practice_update(*, practice: Practice, by: Any, data: PracticeData) -> Practice:
    """The author edits a draft or a returned practice; the content administrator any."""
    practice = _lock(practice)
    if not can_edit(user=by, practice=practice):
        raise PermissionDenied(_("You cannot edit this practice now."))
    _apply(practice, data)
    _by(practice, by)
    _save(practice, data)
    if practice.status == Status.PUBLISHED:
        public_content_changed()
    return practice


def _step(practice: Practice, *, to: str, by: Any, comment: str = "") -> Practice:
    PracticeTransition.objects.create(
        practice=practice, from_status=practice.status, to_status=to, by=by, comment=comment
    )
    practice.status = to
    _by(practice, by)
    return practice


def publish_problems(practice: Practice) -> list[str]:
    """What must be filled in before the practice can be published."""
    problems = []
    for name, label in (
        ("title", _("title")),
        ("problem", _("problem")),
        ("solution", _("solution")),
    ):
        for lang, language in (("ky", _("Kyrgyz")), ("ru", _("Russian"))):
            if not getattr(practice, f"{name}_{lang}"):
                problems.append(
                    _("The %(field)s in %(language)s is missing.")
                    % {"field": label, "language": language}
                )
    if not practice.themes.exists():
        problems.append(_("Choose at least one theme."))
    return problems


@transaction.atomic
def practice_submit(*, practice: Practice, by: Any) -> Practice:
    """The author sends a draft (or a returned practice, after changes) for moderation."""
    practice = _lock(practice)
    if practice.author_id != by.pk:
        raise PermissionDenied(_("Only the author can submit this practice."))
    if practice.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(_("This practice has already been submitted."))
    if not (practice.problem_ky or practice.problem_ru) or not (
        practice.solution_ky or practice.solution_ru
    ):
        raise ValidationError(_("Describe the problem and the solution before submitting."))
    if not practice.themes.exists():
        raise ValidationError(_("Choose at least one theme."))
    _step(practice, to=Status.SUBMITTED, by=by)
    practice.submitted_at = timezone.now()
    practice._change_reason = "submitted"  # type: ignore[attr-defined]
    practice.save()
    return practice


def _moderator(by: Any) -> None:
    if not is_content_admin(by):
        raise PermissionDenied(_("Only the content administrator moderates practices."))


@transaction.atomic
def practice_review_start(*, practice: Practice, by: Any) -> Practice:
    _moderator(by)
    practice = _lock(practice)
    if practice.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted practice can be taken for review."))
    _step(practice, to=Status.UNDER_REVIEW, by=by)
    practice.save()
    return practice


@transaction.atomic
def practice_return(*, practice: Practice, by: Any, comment: str) -> Practice:
    """Back to the author with what to change; the author is notified."""
    _moderator(by)
    practice = _lock(practice)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Say what the author should change."))
    if practice.status not in (Status.SUBMITTED, Status.UNDER_REVIEW):
        raise ValidationError(_("Only a practice in moderation can be returned."))
    _step(practice, to=Status.RETURNED, by=by, comment=comment)
    practice.save()
    notify(
        recipients=[practice.author],
        kind="practices.returned",
        message=gettext_noop("Your practice “%(title)s” was returned with comments: %(comment)s"),
        params={"title": practice.title, "comment": comment[:300]},
        url=reverse("practices:detail", args=[practice.slug]),
        target=practice,
    )
    return practice


@transaction.atomic
def practice_publish(*, practice: Practice, by: Any, comment: str = "", at: Any = None) -> Practice:
    """Publish a practice under review (`at` backdates it: imports of earlier practices)."""
    _moderator(by)
    practice = _lock(practice)
    if practice.status != Status.UNDER_REVIEW:
        raise ValidationError(_("Take the practice for review before publishing it."))
    problems = publish_problems(practice)
    if problems:
        raise ValidationError(problems)
    _step(practice, to=Status.PUBLISHED, by=by, comment=(comment or "").strip())
    practice.published_at = at or timezone.now()
    practice._change_reason = "published"  # type: ignore[attr-defined]
    practice.save()
    notify(
        recipients=[practice.author],
        kind="practices.published",
        message=gettext_noop("Your practice “%(title)s” is published."),
        params={"title": practice.title},
        url=reverse("practices:detail", args=[practice.slug]),
        target=practice,
    )
    public_content_changed()
    return practice


@transaction.atomic
def practice_feature(*, practice: Practice, by: Any, featured: bool) -> Practice:
    _moderator(by)
    practice = _lock(practice)
    practice.featured = featured
    _by(practice, by)
    practice.save()
    public_content_changed()
    return practice


# --- documents, photos, videos ------------------------------------------------------------


def _document_kind(file: Any) -> str | None:
    return {
        "pdf": DocumentKind.PDF,
        "docx": DocumentKind.DOCX,
        "xlsx": DocumentKind.XLSX,
    }.get(file_type(file))


def _check_attach(practice: Practice, by: Any) -> Practice:
    practice = _lock(practice)
    if not can_edit(user=by, practice=practice):
        raise PermissionDenied(_("You cannot edit this practice now."))
    return practice


@transaction.atomic
def practice_document_add(*, practice: Practice, by: Any, name: str, file: Any) -> PracticeDocument:
    """A PDF, DOCX or XLSX file, recognised by its content (not its name), ≤ 20 MB."""
    practice = _check_attach(practice, by)
    size = getattr(file, "size", None) or 0
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_DOCUMENT_BYTES // 2**20}
        )
    if size == 0:
        raise ValidationError(_("The file is empty."))
    kind = _document_kind(file)
    if kind is None:
        raise ValidationError(_("Only PDF, DOCX and XLSX documents can be attached."))
    original = getattr(file, "name", "") or "document"
    stem = original.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    document = PracticeDocument(
        practice=practice, name=(name or stem).strip()[:300], kind=kind, size=size
    )
    document.file.save(f"{slugify(latin(stem))[:50] or 'document'}.{kind}", file, save=False)
    document.save()
    if practice.is_public:
        public_content_changed()
    return document


def _resize(image: Image.Image, width: int) -> bytes:
    if image.width > width:
        height = round(image.height * width / image.width)
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80, optimize=True, progressive=True)
    return out.getvalue()


def photo_renditions(file: Any) -> tuple[list[bytes], list[int], tuple[int, int]]:
    """JPEG renditions 360/720/1280 px wide (never upscaled), checked by Pillow."""
    size = getattr(file, "size", None) or 0
    if size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than %(mb)s MB.") % {"mb": MAX_PHOTO_BYTES // 2**20}
        )
    file.seek(0)
    try:
        with Image.open(file) as probe:
            if probe.format not in {"JPEG", "PNG", "WEBP"}:
                raise ValidationError(_("Only JPEG, PNG and WebP photos can be added."))
            if probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        file.seek(0)
        with Image.open(file) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not a photo that can be read.")) from exc
    widths = [min(w, image.width) for w in PHOTO_WIDTHS]
    return [_resize(image, w) for w in widths], widths, (image.width, image.height)


@transaction.atomic
def practice_photo_add(*, practice: Practice, by: Any, alt: str, file: Any) -> PracticePhoto:
    practice = _check_attach(practice, by)
    alt = (alt or "").strip()
    if not alt:
        raise ValidationError(_("Describe the photo for people who cannot see it."))
    renditions, widths, (width, height) = photo_renditions(file)
    photo = PracticePhoto(
        practice=practice, alt=alt[:300], widths=widths, width=width, height=height
    )
    base = f"p{practice.pk}"
    for fieldname, content, w in zip(("small", "medium", "large"), renditions, widths, strict=True):
        getattr(photo, fieldname).save(f"{base}-{w}.jpg", ContentFile(content), save=False)
    photo.save()
    if practice.is_public:
        public_content_changed()
    return photo


@transaction.atomic
def practice_video_add(*, practice: Practice, by: Any, url: str, title: str = "") -> PracticeVideo:
    practice = _check_attach(practice, by)
    video = PracticeVideo(practice=practice, url=(url or "").strip(), title=(title or "").strip())
    video.full_clean()
    if not video.url.lower().startswith(("http://", "https://")):
        raise ValidationError(_("Give the address of the video (http or https)."))
    video.save()
    if practice.is_public:
        public_content_changed()
    return video


@transaction.atomic
def practice_attachment_remove(*, practice: Practice, by: Any, kind: str, pk: int) -> None:
    practice = _check_attach(practice, by)
    model = {"document": PracticeDocument, "photo": PracticePhoto, "video": PracticeVideo}.get(kind)
    if model is None:
        raise ValidationError(_("Unknown attachment."))
    deleted, _rows = model.objects.filter(practice=practice, pk=pk).delete()  # type: ignore[attr-defined]
    if not deleted:
        raise ValidationError(_("Unknown attachment."))
    if practice.is_public:
        public_content_changed()


# --- experts ------------------------------------------------------------------------------


@dataclass
class ExpertData:
    name: str = ""
    organisation: dict[str, str] = field(default_factory=dict)
    bio: dict[str, str] = field(default_factory=dict)
    themes: list[Theme] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    regions: list[Any] = field(default_factory=list)
    email: str = ""
    phone: str = ""
    website: str = ""
    show_email: bool = False
    show_phone: bool = False
    user: Any = None
    active: bool = True
    slug: str = ""


EXPERT_LANGUAGES = ("ky", "ru", "en", "uz", "tg", "kk", "de", "fr", "tr", "zh")


@transaction.atomic
def expert_save(
    *, by: Any, data: ExpertData, expert: Expert | None = None, photo: Any = None
) -> Expert:
    """Create or update an expert profile (content administrator only)."""
    if not is_content_admin(by):
        raise PermissionDenied(_("Only the content administrator maintains the experts."))
    if not data.name.strip():
        raise ValidationError(_("Give the expert's name."))
    unknown = [x for x in data.languages if x not in EXPERT_LANGUAGES]
    if unknown:
        raise ValidationError(_("Unknown language: %(code)s") % {"code": ", ".join(unknown)})
    if data.user is not None:
        taken = Expert.objects.filter(user=data.user)
        if expert is not None:
            taken = taken.exclude(pk=expert.pk)
        if taken.exists():
            raise ValidationError(_("This user account is already linked to another expert."))
    expert = expert or Expert()
    expert.name = data.name.strip()
    for name in EXPERT_TEXT:
        values = getattr(data, name)
        for lang in LANGS:
            value = (values.get(lang) or "").strip()
            setattr(expert, f"{name}_{lang}", clean_rich_text(value) if name == "bio" else value)
    expert.languages = list(dict.fromkeys(data.languages))
    expert.email = data.email.strip()
    expert.phone = data.phone.strip()
    expert.website = data.website.strip()
    expert.show_email = data.show_email
    expert.show_phone = data.show_phone
    expert.user = data.user
    expert.active = data.active
    expert.slug = data.slug or expert.slug or _slug_for(Expert, latin(expert.name), pk=expert.pk)
    if photo is not None:
        renditions, widths, _size = photo_renditions(photo)
        base = expert.slug
        expert.photo_small.save(f"{base}-{widths[0]}.jpg", ContentFile(renditions[0]), save=False)
        expert.photo_large.save(f"{base}-{widths[1]}.jpg", ContentFile(renditions[1]), save=False)
    expert.full_clean(exclude=["themes", "regions"])
    _by(expert, by)
    expert.save()
    expert.themes.set(data.themes)
    expert.regions.set(data.regions)
    expert_index(expert=expert)
    public_content_changed()
    return expert
