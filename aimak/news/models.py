"""News, articles and the magazine «Муниципалитет».

One `Article` model serves news items, articles and magazine articles (kind), so that
lists, feeds, search, the API and the content administration handle all three alike.
Written only by `aimak.news.services` (which sanitises the body, makes the cover sizes
and keeps the search fields up to date).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEWS = "news", _("News")
    ARTICLE = "article", _("Article")
    MAGAZINE = "magazine", _("Magazine article")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class Category(models.Model):
    if TYPE_CHECKING:
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    # Translated by django-modeltranslation into name_ky, name_ru, name_en.
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = models.Manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:category", args=[self.slug])


class Tag(models.Model):
    if TYPE_CHECKING:
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=80)

    objects = models.Manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:tag", args=[self.slug])


class MagazineIssue(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None

    number = models.PositiveIntegerField(_("number"), unique=True)
    overall_number = models.PositiveIntegerField(_("overall number"), unique=True)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    cover = models.ImageField(_("cover"), upload_to="news/issues/", blank=True)
    cover_alt = models.CharField(_("cover description"), max_length=300, blank=True)
    cover_sizes = models.JSONField(default=list, editable=False)
    pdf = models.FileField(_("full issue (PDF)"), upload_to="news/issues/", blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("magazine issue")
        verbose_name_plural = _("magazine issues")
        ordering = ["-date", "-number"]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.overall_number})"

    def get_absolute_url(self) -> str:
        return reverse("news:issue", args=[self.number])


class MagazineSection(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None

    issue = models.ForeignKey(
        MagazineIssue, on_delete=models.CASCADE, related_name="sections", verbose_name=_("issue")
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = models.Manager()

    class Meta:
        verbose_name = _("magazine section")
        verbose_name_plural = _("magazine sections")
        ordering = ["issue", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ArticleQuerySet(models.QuerySet["Article"]):
    def public(self) -> ArticleQuerySet:
        """Visible to everyone: published, or scheduled and due (no job needed)."""
        return self.filter(
            status__in=[Status.PUBLISHED, Status.SCHEDULED], publish_at__lte=timezone.now()
        ).exclude(kind=Kind.MAGAZINE, issue__published=False)


class Article(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        lead_ky: str | None
        lead_ru: str | None
        lead_en: str | None
        body_ky: str | None
        body_ru: str | None
        body_en: str | None
        cover_alt_ky: str | None
        cover_alt_ru: str | None
        cover_alt_en: str | None

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    slug = models.SlugField(_("address"), max_length=120, unique=True)
    # Translated into _ky, _ru, _en (translation.py); Kyrgyz and Russian are required by
    # the service, English is optional per item.
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("text"), blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    cover = models.ImageField(_("cover image"), upload_to="news/covers/", blank=True)
    cover_alt = models.CharField(_("cover description"), max_length=300, blank=True)
    # [{"width": 480, "format": "webp", "name": "news/covers/….webp"}, …] made by Pillow.
    cover_sizes = models.JSONField(default=list, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    issue = models.ForeignKey(
        MagazineIssue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("magazine issue"),
    )
    section = models.ForeignKey(
        MagazineSection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("magazine section"),
    )
    position = models.PositiveSmallIntegerField(_("position in the issue"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Search fields, kept by services.article_index, never edited by hand.
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    objects: Any = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="magazine") | models.Q(issue__isnull=False),
                name="news_magazine_article_has_issue",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return (
            self.status in (Status.PUBLISHED, Status.SCHEDULED)
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    @property
    def shown_status(self) -> str:
        """The status as a reader sees it: a due scheduled item is published."""
        return Status.PUBLISHED if self.is_public else self.status
