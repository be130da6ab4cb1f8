"""Legal acts (НПА): laws, codes, resolutions, orders and local council acts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class ActType(models.TextChoices):
    LAW = "law", _("Law")
    CODE = "code", _("Code")
    AMENDING_LAW = "amending_law", _("Amending law")
    DECREE = "decree", _("Presidential decree")
    GOVERNMENT_RESOLUTION = "government_resolution", _("Government resolution")
    ORDER = "order", _("Ministry or agency order")
    COUNCIL_RESOLUTION = "council_resolution", _("Local council resolution")
    COUNCIL_RULES = "council_rules", _("Local council rules of procedure")


class ActStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    LAPSED = "lapsed", _("Lapsed")
    UNKNOWN = "unknown", _("Status not verified")


class LinkKind(models.TextChoices):
    AMENDS = "amends", _("amends")
    REPLACED_BY = "replaced_by", _("replaced by")
    BASED_ON = "based_on", _("based on")


class IssuingBody(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    # Translated by django-modeltranslation into name_ky, name_ru, name_en.
    name = models.CharField(_("name"), max_length=300)

    objects = models.Manager()

    class Meta:
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class LegalAct(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None

    key = models.SlugField(_("key"), max_length=80, unique=True)
    act_type = models.CharField(_("type"), max_length=32, choices=ActType.choices, db_index=True)
    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"), db_index=True)
    body = models.ForeignKey(
        IssuingBody,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="acts",
    )
    # Translated by django-modeltranslation into title_ky, title_ru, title_en.
    title = models.CharField(_("title"), max_length=600)
    text_ru = models.TextField(_("text in Russian"), blank=True)
    text_ky = models.TextField(_("text in Kyrgyz"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ActStatus.choices,
        default=ActStatus.UNKNOWN,
        db_index=True,
    )
    status_note = models.CharField(_("status note"), max_length=500, blank=True)
    partial = models.BooleanField(
        _("partial text"),
        default=False,
        help_text=_("Only part of the official text is held here."),
    )
    source_url = models.URLField(_("official source"), max_length=600, blank=True)
    note = models.TextField(_("note"), blank=True)

    # Search (kept up to date by services.legal_act_index, never edited by hand):
    # the stems of the title and of the text for the fallback on any database, and the
    # folded titles (ң ө ү → н о у). On PostgreSQL the vectors live in LegalActSearch.
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    search_folded = models.TextField(editable=False, default="")

    objects = models.Manager()

    class Meta:
        verbose_name = _("legal act")
        verbose_name_plural = _("legal acts")
        ordering = ["-date", "number"]
        indexes = [models.Index(fields=["body", "date"])]

    def __str__(self) -> str:
        return f"{self.get_act_type_display()} № {self.number} ({self.date:%d.%m.%Y})"

    @property
    def has_text(self) -> bool:
        return bool(self.text_ru or self.text_ky)


class LegalActLink(models.Model):
    """`source` amends / is replaced by / is based on `target`."""

    source = models.ForeignKey(
        LegalAct, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("act")
    )
    target = models.ForeignKey(
        LegalAct, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("related act")
    )
    kind = models.CharField(_("link"), max_length=16, choices=LinkKind.choices)

    class Meta:
        verbose_name = _("link between acts")
        verbose_name_plural = _("links between acts")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="legal_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="legal_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Language(models.TextChoices):
    KY = "ky", _("Kyrgyz")
    RU = "ru", _("Russian")
    EN = "en", _("English")


class LegalActAttachment(models.Model):
    act = models.ForeignKey(
        LegalAct, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("act")
    )
    name = models.CharField(_("name"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    file = models.FileField(_("file"), upload_to="legal/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class LegalActSearch(models.Model):
    """PostgreSQL full-text search data of one act, in a narrow table of its own
    (docs/legal-search.md): the filter columns copied from the act, the small title vector,
    the stripped title-and-text vector (lz4, inline), the folded titles for pg_trgm.
    Written only by services.legal_act_index; empty on other databases."""

    act = models.OneToOneField(
        LegalAct, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    date = models.DateField()
    act_type = models.CharField(max_length=32)
    body = models.ForeignKey(IssuingBody, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16)
    title_vector = SearchVectorField(null=True)
    vector = SearchVectorField(null=True)
    folded_title = models.TextField(default="")

    objects = models.Manager()

    class Meta:
        verbose_name = _("search data of a legal act")
        verbose_name_plural = _("search data of legal acts")
        indexes = [
            models.Index(fields=["-date", "-act"], name="legal_search_date"),
            # A filter by type or body walks its own acts newest first instead of every
            # act's date (a common word in a rare type, docs/legal-search.md).
            models.Index(fields=["act_type", "-date", "-act"], name="legal_search_type_date"),
            models.Index(fields=["body", "-date", "-act"], name="legal_search_body_date"),
        ]

    def __str__(self) -> str:
        return str(self.act_id)


class LegalWord(models.Model):
    """A distinct word (folded, four letters or more) of the acts' titles, for spelling
    correction on PostgreSQL: a query word that no act has is replaced by the most similar
    of these (pg_trgm on this small table, docs/legal-search.md). Written only by
    services.legal_act_index; words are never removed (a stale word finds nothing)."""

    word = models.TextField(primary_key=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("word of legal-act titles")
        verbose_name_plural = _("words of legal-act titles")

    def __str__(self) -> str:
        return self.word
