"""Generated reports of a report-card round: the analytical report (PDF, DOCX), the one-page
scorecard (PDF) and the tables (XLSX), each in one language, made in the background.

A report remembers what it was made from (`data_key`: the round's interviews, the population
structure that weighted them and the earlier round it compares with; `interviews`: their
count), so that a request for the same report on the same data returns the one already made
or being made, and a report made before new interviews arrived says so.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    ANALYTICAL_PDF = "analytical_pdf", _("Analytical report (PDF)")
    ANALYTICAL_DOCX = "analytical_docx", _("Analytical report, editable (DOCX)")
    SCORECARD_PDF = "scorecard_pdf", _("Scorecard for the public hearing (PDF, one page)")
    TABLES_XLSX = "tables_xlsx", _("All tables (XLSX)")


EXTENSIONS = {
    ReportKind.ANALYTICAL_PDF: "pdf",
    ReportKind.ANALYTICAL_DOCX: "docx",
    ReportKind.SCORECARD_PDF: "pdf",
    ReportKind.TABLES_XLSX: "xlsx",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportLanguage(models.TextChoices):
    KY = "ky", "Кыргызча"
    RU = "ru", "Русский"
    EN = "en", "English"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("report status", "Waiting")
    RUNNING = "running", pgettext_lazy("report status", "Being made")
    DONE = "done", pgettext_lazy("report status", "Ready")
    FAILED = "failed", pgettext_lazy("report status", "Failed")


class ReportStep(models.TextChoices):
    """What the job is doing (shown beside the progress bar)."""

    WAITING = "waiting", _("Waiting for the background worker")
    RESULTS = "results", _("Computing the results")
    CHARTS = "charts", _("Drawing the charts")
    WRITING = "writing", _("Writing the document")
    SAVING = "saving", _("Saving the file")
    DONE = "done", _("Done")


class ReportError(models.TextChoices):
    """Why a report failed, as its reader is told (the traceback goes to the log only)."""

    NO_INTERVIEWS = (
        "no_interviews",
        _("The round has no interviews yet: there is nothing to report."),
    )
    INTERRUPTED = (
        "interrupted",
        _(
            "The job stopped before it finished (the worker was restarted). Request the report again."
        ),
    )
    UNEXPECTED = (
        "unexpected",
        _(
            "The report could not be made because of an unexpected error. The administrators can "
            "find the details in the log; request it again later."
        ),
    )


class Report(models.Model):
    round = models.ForeignKey(
        "surveys.Round",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("round"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=ReportLanguage.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(
        _("step"), max_length=10, choices=ReportStep.choices, default=ReportStep.WAITING
    )
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.CharField(
        _("error"), max_length=20, choices=ReportError.choices, blank=True, default=""
    )
    data_key = models.CharField(_("made from"), max_length=64)
    interviews = models.PositiveIntegerField(_("interviews"), default=0)
    task_id = models.CharField(_("background job"), max_length=64, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    seconds = models.FloatField(_("time to make (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["round", "kind", "language", "data_key"])]

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind} {self.language} ({self.status})"

    @property
    def extension(self) -> str:
        return EXTENSIONS[ReportKind(self.kind)]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]

    @property
    def download_name(self) -> str:
        name = self.kind.rsplit("_", 1)[0]
        return f"aimak-round-{self.round_id}-{name}-{self.language}.{self.extension}"

    @property
    def is_active(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
