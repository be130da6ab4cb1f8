"""Questionnaires and their versions. A version's form is one JSON document (definition.py).

A questionnaire belongs to a municipality; a national template has none. Its versions are
numbered 1, 2, …; at most one is a draft at a time. A published version is frozen: no
service changes it (services.py), so answers can point to it and to its question names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .definition import Definition, definition_load


class Questionnaire(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        title_ky: str | None
        title_ru: str | None
        title_en: str | None

    municipality = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name=_("municipality"),
        help_text=_("Empty for a national template."),
    )
    # A stable identifier for what Aimak itself creates (templates, demo), else empty.
    key = models.CharField(_("identifier"), max_length=80, blank=True, default="")
    # Translated by django-modeltranslation into *_ky, *_ru, *_en.
    title = models.CharField(_("title"), max_length=200)
    services = models.ManyToManyField(
        "catalogue.Service", blank=True, related_name="questionnaires", verbose_name=_("services")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = models.Manager()

    # History is registered in translation.py, after the translated fields exist.

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="questionnaire_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_template(self) -> bool:
        return self.municipality_id is None


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("questionnaire"),
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField(_("form definition"), default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=models.Q(status="draft"),
                name="one_draft_per_questionnaire",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def form(self) -> Definition:
        """The definition, parsed (cached on the instance)."""
        cached = getattr(self, "_form", None)
        if cached is None:
            cached = definition_load(self.definition)
            self._form = cached
        return cached


# --- Rounds and sample plans -------------------------------------------------------------


class RoundStatus(models.TextChoices):
    PLANNING = "planning", pgettext_lazy("round status", "Planning")
    COLLECTING = "collecting", pgettext_lazy("round status", "Collecting")
    CLOSED = "closed", pgettext_lazy("round status", "Closed")
    PUBLISHED = "published", pgettext_lazy("round status", "Published")


# Only forward, one step at a time (rounds.py checks it).
NEXT_STATUS = {
    RoundStatus.PLANNING: RoundStatus.COLLECTING,
    RoundStatus.COLLECTING: RoundStatus.CLOSED,
    RoundStatus.CLOSED: RoundStatus.PUBLISHED,
}


class Round(models.Model):
    """One report-card round of a municipality: services, questionnaire version, period."""

    municipality = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="survey_rounds",
        verbose_name=_("municipality"),
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("questionnaire version"),
    )
    services = models.ManyToManyField(
        "catalogue.Service", related_name="survey_rounds", verbose_name=_("services")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.PLANNING
    )
    key = models.CharField(_("identifier"), max_length=80, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="round_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="round_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"

    @property
    def next_status(self) -> str | None:
        return NEXT_STATUS.get(RoundStatus(self.status))

    @property
    def is_editable(self) -> bool:
        return self.status in (RoundStatus.PLANNING, RoundStatus.COLLECTING)


class RoundTransition(models.Model):
    """One step of a round's status: from, to, who and when."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("round")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=RoundStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=RoundStatus.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["round", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class RoundMember(models.Model):
    """A monitoring-group member or enumerator assigned to a round."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="members", verbose_name=_("round")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="round_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=20)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round member")
        verbose_name_plural = _("round members")
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "role"], name="round_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class PopulationUnit(models.TextChoices):
    HOUSEHOLDS = "households", _("Households")
    PERSONS = "persons", _("Persons")


class SamplePlan(models.Model):
    """The inputs of a round's sample size and what they gave (sampling.py computes)."""

    round = models.OneToOneField(
        Round, on_delete=models.CASCADE, related_name="plan", verbose_name=_("round")
    )
    margin = models.DecimalField(_("margin of error (%)"), max_digits=4, decimal_places=1)
    confidence = models.PositiveSmallIntegerField(_("confidence level (%)"))
    design_effect = models.DecimalField(_("design effect"), max_digits=4, decimal_places=2)
    proportion = models.DecimalField(_("expected proportion"), max_digits=3, decimal_places=2)
    unit = models.CharField(_("sampling unit"), max_length=12, choices=PopulationUnit.choices)
    household_size = models.DecimalField(
        _("average household size"), max_digits=4, decimal_places=2
    )
    # The municipality's population when the plan was computed, with its source and year.
    population = models.PositiveIntegerField(_("population (persons)"))
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    frame_size = models.PositiveIntegerField(_("population size N"))
    men_share = models.DecimalField(_("share of men (%)"), max_digits=4, decimal_places=1)
    sex_source = models.CharField(_("source of the sex shares"), max_length=200, blank=True)
    sample_size = models.PositiveIntegerField(_("sample size"))
    allocated = models.BooleanField(_("allocated"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sample plan")
        verbose_name_plural = _("sample plans")

    def __str__(self) -> str:
        return f"{self.round}: n = {self.sample_size}"


class PlanVillage(models.Model):
    """A village of the plan: its figure (in the plan's unit) and its share of the sample."""

    plan = models.ForeignKey(
        SamplePlan, on_delete=models.CASCADE, related_name="villages", verbose_name=_("plan")
    )
    village = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village"),
    )
    figure = models.PositiveIntegerField(_("population or households"), null=True, blank=True)
    figure_year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    figure_source = models.CharField(_("source"), max_length=200, blank=True)
    excluded = models.BooleanField(_("excluded"), default=False)
    sample = models.PositiveIntegerField(_("interviews"), null=True, blank=True)
    men = models.PositiveIntegerField(_("men"), null=True, blank=True)
    women = models.PositiveIntegerField(_("women"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village of a plan")
        verbose_name_plural = _("villages of a plan")
        ordering = ["plan", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "village"], name="plan_village_unique"),
        ]

    def __str__(self) -> str:
        return str(self.village)


class RouteAssignment(models.Model):
    """An enumerator's share of a village: how many interviews, of men and of women."""

    village = models.ForeignKey(
        PlanVillage, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("village")
    )
    enumerator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="route_assignments",
        verbose_name=_("enumerator"),
    )
    interviews = models.PositiveIntegerField(_("interviews"))
    men = models.PositiveIntegerField(_("men"))
    women = models.PositiveIntegerField(_("women"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("route assignment")
        verbose_name_plural = _("route assignments")
        ordering = ["village__village__code", "enumerator__username"]
        constraints = [
            models.UniqueConstraint(fields=["village", "enumerator"], name="route_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.village}: {self.enumerator}"


# --- Interviews and imports ------------------------------------------------------------


class InterviewSource(models.TextChoices):
    PHONE = "phone", _("Phone form")
    PAPER = "paper", _("Paper questionnaire, typed in")
    IMPORT = "import", _("Imported file")
    API = "api", _("API")


class InterviewImport(models.Model):
    """One file imported into a round: the original file, the mapping, what it gave."""

    class Status(models.TextChoices):
        MAPPING = "mapping", pgettext_lazy("import status", "Columns to match")
        QUEUED = "queued", pgettext_lazy("import status", "Waiting to run")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        DONE = "done", pgettext_lazy("import status", "Imported")
        FAILED = "failed", pgettext_lazy("import status", "Refused")

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="imports", verbose_name=_("round")
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    # What reading the file found: format, encoding, delimiter, sheet, header row.
    layout = models.JSONField(_("file layout"), default=dict)
    # Column header -> question name ("" for a column left out).
    mapping = models.JSONField(_("column mapping"), default=dict)
    key_column = models.CharField(_("key column"), max_length=255, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MAPPING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows checked"), default=0)
    added = models.PositiveIntegerField(_("interviews added"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    # [[row, column, value, problem], …], at most a few thousand kept.
    problems = models.JSONField(_("problems"), default=list)
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    message = models.TextField(_("message"), blank=True, default="")
    # What a queued or running job does: "check" (read and check the whole file, write
    # nothing) or "import" (check again and write, all or nothing). See importing.py.
    job = models.CharField(_("job"), max_length=10, blank=True, default="")
    # The last check of the whole file: the settings it checked, when, its counts and the
    # first rows as they would be stored. The import button needs a clean, current check.
    checked = models.JSONField(_("last check"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview import")
        verbose_name_plural = _("interview imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class Interview(models.Model):
    """One completed interview: its answers as one JSON document (answers.py), plus the
    columns that quotas and analysis filter on. See docs/architecture.md for why."""

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("round")
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("questionnaire version"),
    )
    # Made on the phone (or taken from Kobo's _uuid, or from the import's key): sending the
    # same interview twice stores it once.
    uuid = models.UUIDField(_("interview id"))
    source = models.CharField(_("source"), max_length=10, choices=InterviewSource.choices)
    enumerator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("enumerator"),
    )
    village = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("village"),
    )
    sex = models.CharField(_("respondent's sex"), max_length=10, blank=True, default="")
    answers = models.JSONField(_("answers"), default=dict)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    batch = models.ForeignKey(
        InterviewImport,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["round", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "uuid"], name="interview_once_per_round"),
        ]
        indexes = [
            models.Index(fields=["round", "village", "sex"], name="interview_quota"),
            models.Index(fields=["round", "enumerator"], name="interview_enumerator"),
        ]

    def __str__(self) -> str:
        return str(self.uuid)
