"""Events (trainings, consultations, public hearings, open council sessions, campaigns,
focus groups), their participants and counted attendance by sex, age and vulnerable group.

`Attendance` is maintained ONLY by `aimak.events.services` (recomputed from attending
participants, or typed from the totals of a paper sign-in sheet); indicators aggregate it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training")
    CONSULTATION = "consultation", _("Consultation")
    HEARING_BUDGET = "hearing_budget", _("Public hearing on the budget")
    HEARING_TARIFF = "hearing_tariff", _("Public hearing on a tariff")
    HEARING_PRIORITIES = "hearing_priorities", _("Public hearing on priorities")
    OPEN_SESSION = "open_session", _("Open council session")
    CAMPAIGN = "campaign", _("Information campaign")
    FOCUS_GROUP = "focus_group", _("Focus group")
    OTHER = "other", _("Other")


PUBLIC_HEARING_KINDS = (
    EventKind.HEARING_BUDGET,
    EventKind.HEARING_TARIFF,
    EventKind.HEARING_PRIORITIES,
)
MOBILISING_KINDS = (
    *PUBLIC_HEARING_KINDS,
    EventKind.CONSULTATION,
    EventKind.OPEN_SESSION,
    EventKind.CAMPAIGN,
    EventKind.FOCUS_GROUP,
)


class AttendanceSource(models.TextChoices):
    PARTICIPANTS = "participants", _("Registered participants")
    SHEET = "sheet", _("Paper sign-in sheet")


class Sex(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    NOT_STATED = "not_stated", _("Not stated")


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_29 = "18_29", _("18–29")
    AGE_30_59 = "30_59", _("30–59")
    AGE_60_PLUS = "60_plus", _("60 and over")
    NOT_STATED = "not_stated", _("Not stated")


VULNERABLE_FIELDS = ("disability", "youth", "elderly", "minority", "low_income")


class Event(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        agenda_ky: str | None
        agenda_ru: str | None
        agenda_en: str | None

    # A stable key for events made by code (the demo), blank for events made on pages.
    key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    # Translated by django-modeltranslation into title_ky, title_ru, title_en.
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    municipalities = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("municipalities"),
        related_name="events",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    # Translated into agenda_ky, agenda_ru, agenda_en.
    agenda = models.TextField(_("agenda"), blank=True)
    check_in_code = models.CharField(
        _("check-in code"),
        max_length=12,
        blank=True,
        help_text=_("Participants type it on the event page to be counted. Blank: none."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    attendance_source = models.CharField(
        _("attendance counted from"),
        max_length=16,
        choices=AttendanceSource.choices,
        default=AttendanceSource.PARTICIPANTS,
    )
    minutes = models.TextField(_("minutes"), blank=True)
    reminders_sent_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at", "kind"]),
            models.Index(fields=["kind", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("events:detail", args=[self.pk])


class Participant(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("phone or e-mail"), max_length=200, blank=True)
    # Normalised contact (lower case, digits only for phones) for the duplicate check.
    contact_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_STATED)
    age_group = models.CharField(
        _("age group"), max_length=16, choices=AgeGroup.choices, default=AgeGroup.NOT_STATED
    )
    disability = models.BooleanField(_("person with a disability"), default=False)
    youth = models.BooleanField(_("young person"), default=False)
    elderly = models.BooleanField(_("older person"), default=False)
    minority = models.BooleanField(_("ethnic minority"), default=False)
    low_income = models.BooleanField(_("low-income household"), default=False)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = models.Manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="events_participant_unique_user",
            ),
            models.UniqueConstraint(
                fields=["event", "contact_key"],
                condition=~models.Q(contact_key=""),
                name="events_participant_unique_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def attending(self) -> bool:
        return self.checked_in_at is not None


class Attendance(models.Model):
    """Counted attendance of one event in one municipality (maintained by services)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendance"
    )
    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="event_attendance",
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=AttendanceSource.choices,
        default=AttendanceSource.PARTICIPANTS,
    )
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    sex_not_stated = models.PositiveIntegerField(_("sex not stated"), default=0)
    age_under_18 = models.PositiveIntegerField(_("under 18"), default=0)
    age_18_29 = models.PositiveIntegerField(_("18–29"), default=0)
    age_30_59 = models.PositiveIntegerField(_("30–59"), default=0)
    age_60_plus = models.PositiveIntegerField(_("60 and over"), default=0)
    age_not_stated = models.PositiveIntegerField(_("age not stated"), default=0)
    disability = models.PositiveIntegerField(_("persons with disabilities"), default=0)
    youth = models.PositiveIntegerField(_("young people"), default=0)
    elderly = models.PositiveIntegerField(_("older people"), default=0)
    minority = models.PositiveIntegerField(_("ethnic minorities"), default=0)
    low_income = models.PositiveIntegerField(_("low-income households"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = models.Manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["event", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "municipality"], name="events_attendance_unique"
            )
        ]
        indexes = [models.Index(fields=["municipality"])]

    def __str__(self) -> str:
        return f"{self.event} / {self.municipality}"

    @property
    def total(self) -> int:
        return self.women + self.men + self.sex_not_stated

    @property
    def age_total(self) -> int:
        return (
            self.age_under_18
            + self.age_18_29
            + self.age_30_59
            + self.age_60_plus
            + self.age_not_stated
        )


class MaterialKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    PHOTO = "photo", _("Photo")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")


def material_upload_to(instance: EventMaterial, filename: str) -> str:
    return f"events/{instance.event_id}/{filename}"


class EventMaterial(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MaterialKind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True, max_length=300)
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("event material")
        verbose_name_plural = _("event materials")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title
