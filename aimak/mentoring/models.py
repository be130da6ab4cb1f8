"""Mentoring between municipalities: a request for a mentor on a theme, an offer to mentor,
the pairing made by an administrator, and the dated notes that follow the pairing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAIRED = "paired", _("Paired")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MentoringRequest(models.Model):
    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="mentoring_requests",
    )
    theme = models.ForeignKey(
        "practices.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("what help is needed"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="mentoring_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = models.Manager()

    class Meta:
        verbose_name = _("mentoring request")
        verbose_name_plural = _("mentoring requests")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.theme}"


class MentoringOffer(models.Model):
    municipality = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="mentoring_offers",
    )
    theme = models.ForeignKey(
        "practices.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("what experience is offered"))
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        on_delete=models.PROTECT,
        related_name="mentoring_offers",
    )
    capacity = models.PositiveSmallIntegerField(_("how many municipalities at a time"), default=1)
    active = models.BooleanField(_("open to new pairings"), default=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = models.Manager()

    class Meta:
        verbose_name = _("mentoring offer")
        verbose_name_plural = _("mentoring offers")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.theme}"


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


class Pairing(models.Model):
    request = models.ForeignKey(
        MentoringRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    offer = models.ForeignKey(
        MentoringOffer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="pairings"
    )
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paired by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField(_("started"))
    goals = models.TextField(_("goals"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PairingStatus.choices,
        default=PairingStatus.ACTIVE,
        db_index=True,
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    objects = models.Manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.offer.municipality} → {self.request.municipality}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:pairing", args=[self.pk])


class NoteKind(models.TextChoices):
    MEETING = "meeting", _("Meeting held")
    PROGRESS = "progress", _("Progress")
    CONCERN = "concern", _("Difficulty")
    OTHER = "other", _("Other")


class PairingNote(models.Model):
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=NoteKind.choices)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_kind_display()}"  # type: ignore[attr-defined]
