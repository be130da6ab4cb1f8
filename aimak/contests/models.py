"""Contests of municipalities: regulations, the call, applications on an administrator-defined
form, the jury (conflicts of interest, scores by criteria), public voting and results."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Stage(models.TextChoices):
    DRAFT = "draft", _("Not announced yet")
    ANNOUNCED = "announced", _("Announced")
    CALL = "call", _("Call for applications open")
    REVIEW = "review", _("Applications under review")
    VOTING = "voting", _("Public voting")
    CLOSED = "closed", _("Voting closed")
    RESULTS = "results", _("Results published")


class Contest(models.Model):
    """One contest run by its secretary (a content administrator)."""

    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        description_ky: str | None
        description_ru: str | None
        description_en: str | None

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # "2026-07": year and order of the contest; the prefix of registration numbers.
    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=300)
    # Sanitised HTML (practices.services.clean_rich_text).
    description = models.TextField(_("description"), blank=True)
    regulations = models.FileField(
        _("regulations"), upload_to="contests/regulations/%Y/", blank=True
    )
    regulations_kind = models.CharField(max_length=8, blank=True)
    theme = models.ForeignKey(
        "practices.Theme",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests",
    )
    call_opens = models.DateTimeField(_("call for applications opens"))
    call_closes = models.DateTimeField(_("call for applications closes"))
    voting_opens = models.DateTimeField(_("public voting opens"))
    voting_closes = models.DateTimeField(_("public voting closes"))
    announcement_url = models.URLField(_("link to the announcement"), blank=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        on_delete=models.PROTECT,
        related_name="contests_run",
    )
    announced_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-call_opens", "-pk"]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse("contests:detail", args=[self.slug])

    def stage_at(self, now: datetime.datetime | None = None) -> str:
        """The stage computed from the dates (and announcement, publication)."""
        now = now or timezone.now()
        if self.announced_at is None:
            return Stage.DRAFT
        if self.results_published_at is not None:
            return Stage.RESULTS
        if now < self.call_opens:
            return Stage.ANNOUNCED
        if now < self.call_closes:
            return Stage.CALL
        if now < self.voting_opens:
            return Stage.REVIEW
        if now < self.voting_closes:
            return Stage.VOTING
        return Stage.CLOSED

    @property
    def stage(self) -> str:
        return self.stage_at()

    def get_stage_display(self) -> Any:
        return Stage(self.stage).label


class FieldKind(models.TextChoices):
    SHORT = "short", _("Short text")
    LONG = "long", _("Long text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice from a list")
    FILE = "file", _("File (PDF, DOCX, XLSX, photo)")


class ContestField(models.Model):
    """One question of the contest's application form."""

    if TYPE_CHECKING:
        label_ky: str | None
        label_ru: str | None
        label_en: str | None
        help_ky: str | None
        help_ru: str | None
        help_en: str | None

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="fields")
    label = models.CharField(_("label"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=FieldKind.choices)
    required = models.BooleanField(_("required"), default=True)
    # For kind "choice": the options, one string each.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    help = models.CharField(_("help"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = models.Manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    """A criterion the jury scores from 0 to `max_score`, counted with `weight`."""

    if TYPE_CHECKING:
        name_ky: str | None
        name_ru: str | None
        name_en: str | None

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=300)
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = models.Manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class AppStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REGISTERED = "registered", _("Registered")
    REJECTED = "rejected", _("Rejected")


class Application(models.Model):
    """A municipality's application to a contest."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="contest_applications",
    )
    title = models.CharField(_("title of the project"), max_length=300)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="contest_applications",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AppStatus.choices, default=AppStatus.DRAFT
    )
    # {"<field id>": value}; checked against the contest's fields (services.answers_clean).
    answers = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    registration_seq = models.PositiveIntegerField(null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=30, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    mention = models.BooleanField(_("special mention"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["registration_seq", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "municipality"], name="contests_one_application_per_municipality"
            ),
            models.UniqueConstraint(
                fields=["contest", "registration_seq"], name="contests_unique_registration"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:application", args=[self.pk])


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    field = models.ForeignKey(
        ContestField, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="contests/applications/%Y/")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class JuryMember(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_juries"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="contests_unique_jury_member")
        ]

    def __str__(self) -> str:
        return self.user.full_name or self.user.username


class ConflictDeclaration(models.Model):
    """A jury member's declaration, before scoring, of a conflict of interest (or none)."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="declarations")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application"], name="contests_one_declaration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.application_id}:{self.has_conflict}"


class Score(models.Model):
    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application", "criterion"], name="contests_unique_score"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.criterion_id}={self.value}"


class VerificationMethod(models.TextChoices):
    ADMIN = "admin", _("By the administrator")
    CODE = "code", _("By a one-time code")


class VerificationCode(models.Model):
    """A one-time code the administrator issues (e.g. printed for an event); only its hash
    is kept."""

    code_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("for"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.label or str(self.pk)


class VoterVerification(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="voter_verification"
    )
    method = models.CharField(max_length=8, choices=VerificationMethod.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.OneToOneField(
        VerificationCode, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return str(self.user_id)


class Vote(models.Model):
    """One public vote; one per voter and contest (a database constraint). Annulled votes
    are kept and left out of every count."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="votes")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_votes"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # HMAC-SHA256 of the address with a secret salt: patterns can be seen, addresses not.
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    annulled_at = models.DateTimeField(null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "voter"], name="contests_one_vote_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.application_id}"


class FlagReason(models.TextChoices):
    SAME_ADDRESS = "same_address", _("Many votes from one address in a short time")
    NEW_ACCOUNTS = "new_accounts", _("Many votes from accounts created in the last 24 hours")
    BURST = "burst", _("A burst of votes for one application")


class FlagStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    ANNULLED = "annulled", _("Votes annulled")
    KEPT = "kept", _("Votes kept")


class VoteFlag(models.Model):
    """A suspicious pattern of votes; they count until the administrator decides."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    # What the pattern is about: the address hash or the application id.
    key = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "reason", "key"],
                condition=models.Q(status="pending"),
                name="contests_one_pending_flag",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason}:{self.key[:8]}"


class FlaggedVote(models.Model):
    flag = models.ForeignKey(VoteFlag, on_delete=models.CASCADE, related_name="flagged")
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="flagged")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["flag", "vote"], name="contests_unique_flagged_vote")
        ]

    def __str__(self) -> str:
        return f"{self.flag_id}:{self.vote_id}"
