"""People, their roles in municipalities or nationally, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AudienceCategory(models.TextChoices):
    """The eight audience categories of the portal's development plan (seed 004)."""

    LSG = "lsg", _("Local self-government bodies")
    UNIVERSITY = "university", _("Universities")
    STATE = "state", _("State executive bodies")
    EXPERT_NGO = "expert_ngo", _("Expert and consulting bodies, NGOs")
    COMMUNITY = "community", _("Local communities")
    DONOR = "donor", _("Donors and development projects")
    BUSINESS = "business", _("Business")
    CITIZEN = "citizen", _("Citizens")


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    audience_category = models.CharField(
        _("I represent"),
        max_length=20,
        choices=AudienceCategory.choices,
        default=AudienceCategory.CITIZEN,
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="ky"
    )
    is_demo = models.BooleanField(_("demo account"), default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Role(models.TextChoices):
    # Scoped to one municipality.
    STAFF = "staff", _("Municipality staff")
    DEPUTY = "deputy", _("Council deputy")
    MONITOR = "monitor", _("Monitoring group member")
    ENUMERATOR = "enumerator", _("Enumerator")
    # Scoped to several municipalities, one membership each.
    FACILITATOR = "facilitator", _("Facilitator (NGO)")
    # National.
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    CONTENT_ADMIN = "content_admin", _("Content administrator")
    CLIENTBASE_ADMIN = "clientbase_admin", _("Client-base administrator")
    EXPERT = "expert", _("Expert")
    SYSADMIN = "sysadmin", _("System administrator")


MUNICIPAL_ROLES = frozenset(
    {Role.STAFF, Role.DEPUTY, Role.MONITOR, Role.ENUMERATOR, Role.FACILITATOR}
)
NATIONAL_ROLES = frozenset(set(Role) - MUNICIPAL_ROLES)


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    """A role held by a user, in one municipality or nationally (municipality empty).

    Memberships are never deleted: ending one keeps it, with who ended it and when.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        "territories.Territory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ended by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "municipality"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_membership_per_role_and_place",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(ended_at__isnull=True, municipality__isnull=True),
                name="one_active_national_membership_per_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.municipality.name if self.municipality else _("national")
        return f"{self.user} — {self.get_role_display()} ({where})"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class ApiToken(models.Model):
    """A bearer token for writing through the API. Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "aimak_" + secrets.token_urlsafe(32)
