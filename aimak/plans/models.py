"""Action plans: recommendations, their actions, progress, verification and follow-ups.

Progress is computed by the services and stored on `Action.progress` and
`Recommendation.progress` (never typed by hand); see docs/plans.md for the rules.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class ActionStatus(models.Model):
    """A status an action can be in (a national list the administrators edit)."""

    if TYPE_CHECKING:
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    key = models.SlugField(_("key"), max_length=40, unique=True)
    # Translated by django-modeltranslation into name_ky, name_ru, name_en.
    name = models.CharField(_("name"), max_length=100)
    default_progress = models.PositiveSmallIntegerField(
        _("default progress, %"),
        validators=PERCENT,
        help_text=_("The progress of an action in this status when no milestone gives one."),
    )
    is_open = models.BooleanField(
        _("counts as open"),
        default=True,
        help_text=_("Open actions past their deadline are overdue; closed ones are finished."),
    )
    excluded = models.BooleanField(
        _("left out of progress"),
        default=False,
        help_text=_("Such actions (cancelled) do not count in a recommendation's progress."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = models.Manager()

    # History is registered in translation.py, after the translated fields exist.

    class Meta:
        verbose_name = _("action status")
        verbose_name_plural = _("action statuses")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_done(self) -> bool:
        """Closed and counted: the action is reported as done."""
        return not self.is_open and not self.excluded


class Source(models.TextChoices):
    CRC_FINDING = "crc_finding", _("Report-card finding")
    HEARING = "hearing", _("Public hearing")
    FOCUS_GROUP = "focus_group", _("Focus group")
    STUDY = "study", _("Study")
    PROGRAMME = "programme", _("Development programme")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Recommendation(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        text_ky: str | None
        text_ru: str | None
        text_en: str | None

    municipality = models.ForeignKey(
        "territories.Territory",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("municipality"),
    )
    # Translated by django-modeltranslation into title_ky/_ru/_en and text_ky/_ru/_en.
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    # A report-card finding: the round, the service and the index (a rating question of
    # the round's form, as the results engine names it), optionally the value shown.
    round = models.ForeignKey(
        "surveys.Round",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("report-card round"),
    )
    service = models.ForeignKey(
        "catalogue.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("service"),
    )
    index = models.CharField(_("index"), max_length=80, blank=True)
    index_label = models.CharField(_("index name"), max_length=300, blank=True)
    finding_value = models.CharField(_("value shown"), max_length=100, blank=True)
    # A public hearing or focus group.
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("event"),
    )
    # A study or a development programme.
    reference = models.CharField(_("reference"), max_length=500, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM
    )
    published = models.BooleanField(_("published"), default=False)
    progress = models.DecimalField(
        _("progress, %"), max_digits=4, decimal_places=1, default=Decimal("0"), editable=False
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

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "published"])]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("recommendation"),
    )
    title = models.CharField(_("action"), max_length=300)
    responsible = models.CharField(_("responsible person or body"), max_length=200)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_actions",
        verbose_name=_("responsible user"),
    )
    deadline = models.DateField(_("deadline"))
    budget = models.DecimalField(
        _("budget, som"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_source = models.CharField(_("source of funding"), max_length=200, blank=True)
    status = models.ForeignKey(
        ActionStatus, on_delete=models.PROTECT, related_name="actions", verbose_name=_("status")
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Leave empty for equal weights."),
    )
    progress = models.DecimalField(
        _("progress, %"), max_digits=4, decimal_places=1, default=Decimal("0"), editable=False
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    done_at = models.DateTimeField(_("marked done"), null=True, blank=True, editable=False)
    # The latest verdict of the monitoring group ("" none, else Verdict), kept by services.
    verification = models.CharField(_("verification"), max_length=10, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["order", "deadline", "pk"]
        indexes = [models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status.is_open and self.deadline < today


class StatusChange(models.Model):
    """One status step of an action, shown on the recommendation's timeline."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("action")
    )
    from_status = models.ForeignKey(
        ActionStatus, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_status = models.ForeignKey(ActionStatus, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Milestone(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action")
    )
    date = models.DateField(_("date"))
    progress = models.PositiveSmallIntegerField(_("progress, %"), validators=PERCENT)
    note = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.progress} %"


class Verdict(models.TextChoices):
    VERIFIED = "verified", _("Verified by the monitoring group")
    DISPUTED = "disputed", _("Disputed by the monitoring group")


class Verification(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="verifications", verbose_name=_("action")
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.get_verdict_display()


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


class Evidence(models.Model):
    """A photo, document (PDF) or link attached to a milestone or a verification."""

    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    verification = models.ForeignKey(
        Verification, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(_("caption"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="plans/%Y/", blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(milestone__isnull=False, verification__isnull=True)
                | models.Q(milestone__isnull=True, verification__isnull=False),
                name="plans_evidence_one_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or self.file.name or ""


class FollowUpAnswer(models.TextChoices):
    DONE = "done", _("Yes, it is done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("No, it is not done")


class FollowUp(models.Model):
    """Is it really done? Asked of a monitoring-group member or a citizen some weeks after
    an action was marked done; one per person per done episode (`done_at`)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("action")
    )
    done_at = models.DateTimeField(_("marked done"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    token = models.CharField(max_length=64, unique=True)
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.CharField(
        _("answer"), max_length=10, choices=FollowUpAnswer.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("follow-up question")
        verbose_name_plural = _("follow-up questions")
        ordering = ["asked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "done_at", "recipient"],
                condition=models.Q(recipient__isnull=False),
                name="plans_followup_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["action", "done_at", "email"],
                condition=~models.Q(email=""),
                name="plans_followup_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email or str(self.recipient or "")


class RecommendationContact(models.Model):
    """A citizen who raised the recommendation and left a contact."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    consent = models.BooleanField(
        _("agrees to be asked whether the work is done"),
        default=False,
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "email"], name="plans_contact_unique_email"
            )
        ]

    def __str__(self) -> str:
        return self.email


class OverdueAlert(models.Model):
    """One alert per action per overdue episode (its deadline): never sent twice."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="overdue_alerts")
    deadline = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "deadline"], name="plans_overdue_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.deadline}"
