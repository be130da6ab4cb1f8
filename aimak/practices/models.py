"""The best-practice library (themes, practices with moderation) and the expert directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

HOME_COUNTRY = "KG"


class Theme(models.Model):
    """One of the 10–15 themes of the library (seed 004), names ky/ru/en."""

    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = models.Manager()

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name or self.slug


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


class Currency(models.TextChoices):
    KGS = "KGS", _("som (KGS)")
    USD = "USD", _("US dollars (USD)")
    EUR = "EUR", _("euro (EUR)")
    KZT = "KZT", _("tenge (KZT)")
    GEL = "GEL", _("lari (GEL)")


class Country(models.TextChoices):
    KG = "KG", _("Kyrgyzstan")
    KZ = "KZ", _("Kazakhstan")
    UZ = "UZ", _("Uzbekistan")
    TJ = "TJ", _("Tajikistan")
    RU = "RU", _("Russia")
    GE = "GE", _("Georgia")
    AM = "AM", _("Armenia")
    MD = "MD", _("Moldova")
    UA = "UA", _("Ukraine")
    EE = "EE", _("Estonia")
    LV = "LV", _("Latvia")
    LT = "LT", _("Lithuania")
    PL = "PL", _("Poland")
    CH = "CH", _("Switzerland")
    DE = "DE", _("Germany")
    SE = "SE", _("Sweden")
    MN = "MN", _("Mongolia")
    TR = "TR", _("Turkey")
    OTHER = "ZZ", _("Another country")


class Practice(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        problem_ky: str | None
        problem_ru: str | None
        problem_en: str | None
        solution_ky: str | None
        solution_ru: str | None
        solution_en: str | None
        results_ky: str | None
        results_ru: str | None
        results_en: str | None
        cost_note_ky: str | None
        cost_note_ru: str | None
        cost_note_en: str | None

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # Translated (translation.py): title, problem, solution, results, cost_note.
    title = models.CharField(_("title"), max_length=300)
    # Sanitised HTML (services.clean_rich_text, nh3), never raw user input.
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    results = models.TextField(_("results"), blank=True)
    cost_amount = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    cost_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.KGS
    )
    cost_note = models.CharField(_("note on the cost"), max_length=500, blank=True)
    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    # The municipality's region (oblast), written by the services, for the region filter.
    region = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=Country.choices,
        default=HOME_COUNTRY,
        help_text=_("Any country other than Kyrgyzstan makes the practice international."),
    )
    # Abroad: the city or region (and the country's name when it is "another country").
    country_name = models.CharField(_("place abroad"), max_length=100, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="practices")
    period_start = models.DateField(_("started"), null=True, blank=True)
    period_end = models.DateField(_("ended"), null=True, blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="practices",
    )
    featured = models.BooleanField(_("featured on the home page"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    # Search (written by services.practice_index, never by hand).
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    objects = models.Manager()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", args=[self.slug])

    @property
    def international(self) -> bool:
        return self.country != HOME_COUNTRY

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def editable_by_author(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class PracticeTransition(models.Model):
    """One step of the moderation of a practice: who, when, from what to what, and why."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("practice")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("date and time"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("moderation step")
        verbose_name_plural = _("moderation steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.practice_id}: {self.from_status} → {self.to_status}"


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"


class PracticeDocument(models.Model):
    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="documents", verbose_name=_("practice")
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=4, choices=DocumentKind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), upload_to="practices/documents/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class PracticePhoto(models.Model):
    """A photo resized for phones: 360, 720 and 1280 pixels wide (never wider than the
    original), JPEG, with its text alternative required."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="photos", verbose_name=_("practice")
    )
    alt = models.CharField(_("description for screen readers"), max_length=300)
    small = models.ImageField(_("small"), upload_to="practices/photos/%Y/")
    medium = models.ImageField(_("medium"), upload_to="practices/photos/%Y/")
    large = models.ImageField(_("large"), upload_to="practices/photos/%Y/")
    widths = models.JSONField(_("widths"), default=list)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.alt

    @property
    def srcset(self) -> str:
        files = (self.small, self.medium, self.large)
        return ", ".join(f"{f.url} {w}w" for f, w in zip(files, self.widths, strict=False) if f)


class PracticeVideo(models.Model):
    """A link to a video (YouTube, Vimeo, any address), shown as a link, never embedded."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="videos", verbose_name=_("practice")
    )
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("video link")
        verbose_name_plural = _("video links")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


class Expert(models.Model):
    """A profile in the expert directory, maintained by the content administrator."""

    if TYPE_CHECKING:
        organisation_ky: str | None
        organisation_ru: str | None
        organisation_en: str | None
        bio_ky: str | None
        bio_ru: str | None
        bio_en: str | None

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # Translated: organisation, bio (the name is written the same way in ky and ru).
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    bio = models.TextField(_("about"), blank=True)
    themes = models.ManyToManyField(
        Theme, verbose_name=_("areas of expertise"), related_name="experts", blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    regions = models.ManyToManyField(
        "territories.Territory", verbose_name=_("regions"), related_name="+", blank=True
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    show_email = models.BooleanField(_("show the e-mail publicly"), default=False)
    show_phone = models.BooleanField(_("show the phone publicly"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
    )
    photo_small = models.ImageField(_("photo"), upload_to="experts/%Y/", blank=True)
    photo_large = models.ImageField(_("photo, large"), upload_to="experts/%Y/", blank=True)
    active = models.BooleanField(_("listed in the directory"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    objects = models.Manager()

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name or self.slug

    def get_absolute_url(self) -> str:
        return reverse("practices:expert_detail", args=[self.slug])
