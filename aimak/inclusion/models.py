"""Gender and social inclusion: local budgets read from XLSX and tagged for gender-responsive
budgeting (GRB). The indicators of seed 002 have no model: they are counted from council
decisions, event attendance and report-card rounds (selectors.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BudgetVersion(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    AMENDED = "amended", _("Amended")


class GrbTag(models.TextChoices):
    """Gender relevance of a budget line (docs/inclusion.md explains each)."""

    TARGETED = "targeted", _("Gender-targeted")
    SENSITIVE = "sensitive", _("Gender-sensitive")
    NEUTRAL = "neutral", _("Gender-neutral")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class VulnerableGroup(models.TextChoices):
    WOMEN = "women", _("Women and girls")
    DISABILITY = "disability", _("Persons with disabilities")
    YOUTH = "youth", _("Young people")
    ELDERLY = "elderly", _("Older people")
    MINORITY = "minority", _("Ethnic minorities")
    LOW_INCOME = "low_income", _("Low-income households")


def budget_upload_to(instance: Budget, filename: str) -> str:
    return f"inclusion/budgets/{instance.municipality_id}/{instance.sha256[:16]}.xlsx"


class Budget(models.Model):
    """One uploaded local budget workbook of a municipality: a year in one version."""

    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.CharField(_("version"), max_length=12, choices=BudgetVersion.choices)
    file = models.FileField(_("file"), upload_to=budget_upload_to, max_length=300)
    file_name = models.CharField(_("file name"), max_length=300)
    sha256 = models.CharField(_("checksum"), max_length=64)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict)
    resolution = models.ForeignKey(
        "council.Resolution",
        verbose_name=_("approving resolution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budgets",
    )
    hearings = models.ManyToManyField(
        "events.Event",
        verbose_name=_("budget hearings"),
        blank=True,
        related_name="budgets",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[hearings])
    objects = models.Manager()

    class Meta:
        verbose_name = _("local budget")
        verbose_name_plural = _("local budgets")
        ordering = ["-year", "-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "sha256"], name="inclusion_budget_file_once"
            )
        ]
        indexes = [models.Index(fields=["municipality", "year"])]

    def __str__(self) -> str:
        return f"{self.year} ({self.get_version_display()})"


class BudgetLine(models.Model):
    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("row"))
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("line"), max_length=500)
    section = models.CharField(_("section"), max_length=300, blank=True)
    planned = models.DecimalField(_("planned"), max_digits=16, decimal_places=2)
    executed = models.DecimalField(
        _("executed"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    tag = models.CharField(
        _("gender relevance"),
        max_length=16,
        choices=GrbTag.choices,
        default=GrbTag.NOT_ASSESSED,
        db_index=True,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    groups = models.JSONField(_("groups benefited"), default=list, blank=True)

    history = HistoricalRecords()
    objects = models.Manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "position"], name="inclusion_budget_line_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class LineTagChange(models.Model):
    """A visible history of tagging: each change of a line's tag, note or groups."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="tag_changes"
    )
    old_tag = models.CharField(_("before"), max_length=16, choices=GrbTag.choices)
    new_tag = models.CharField(_("after"), max_length=16, choices=GrbTag.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    groups = models.JSONField(_("groups benefited"), default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("tag change")
        verbose_name_plural = _("tag changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.line}: {self.old_tag} → {self.new_tag}"
