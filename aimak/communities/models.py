"""Communities of practice: topic groups with threads, posts, reports and moderation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

https_only = URLValidator(
    schemes=["https"], message=_("Enter a secure link that starts with https://.")
)


class Access(models.TextChoices):
    OPEN = "open", _("Open to every registered user")
    MEMBERS = "members", _("Members only")


class Community(models.Model):
    """A topic group. Open communities are public to read and any registered user may
    post; members-only ones are read and written by their members and moderators."""

    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        name_ky: str | None
        name_ru: str | None
        name_en: str | None
        description_ky: str | None
        description_ru: str | None
        description_en: str | None

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(
        "practices.Theme",
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
    )
    access = models.CharField(
        _("who may take part"), max_length=10, choices=Access.choices, default=Access.OPEN
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderators"),
        blank=True,
        related_name="moderated_communities",
    )
    messenger_url = models.URLField(
        _("messenger channel"),
        blank=True,
        validators=[https_only],
        help_text=_(
            "The Union of LSGs' Telegram or WhatsApp channel for this community (https). "
            "Empty: the portal's common channel."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects: models.Manager[Community] = models.Manager()

    # History: registered in translation.py, after the translated fields exist.

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name", "slug"]

    def __str__(self) -> str:
        return self.name or self.slug

    def get_absolute_url(self) -> str:
        return reverse("communities:community", args=[self.slug])

    @property
    def members_only(self) -> bool:
        return self.access == Access.MEMBERS


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    PENDING = "pending", _("Asked to join")


class Member(models.Model):
    """A user in a community (joining an open one is immediate; a members-only one asks a
    moderator). Leaving deletes the row; the history keeps it."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="members", verbose_name=_("community")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_memberships",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="community_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.community}"


class Thread(models.Model):
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="threads", verbose_name=_("community")
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_threads",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last post"), db_index=True)
    locked = models.BooleanField(_("closed for replies"), default=False)
    pinned = models.BooleanField(_("pinned"), default=False)

    history = HistoricalRecords(excluded_fields=["last_post_at"])

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        ordering = ["-pinned", "-last_post_at", "-pk"]
        indexes = [models.Index(fields=["community", "-pinned", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:thread", args=[self.pk])


class PostStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN_BY_REPORTS = "hidden_by_reports", _("Hidden after reports")
    HIDDEN_BY_MODERATOR = "hidden_by_moderator", _("Hidden by a moderator")
    REMOVED = "removed", _("Removed")


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_posts",
        verbose_name=_("author"),
    )
    # Sanitised HTML (practices.services.clean_rich_text), never raw input.
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edited_by_moderator = models.BooleanField(_("edited by a moderator"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PostStatus.choices,
        default=PostStatus.VISIBLE,
        db_index=True,
    )
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="community_mentions"
    )

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#post-{self.pk}"

    @property
    def is_visible(self) -> bool:
        return self.status == PostStatus.VISIBLE


class PostRevision(models.Model):
    """The text of a post as it was before an edit (by its author or a moderator)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("post")
    )
    body = models.TextField(_("text before the edit"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("edited by"),
    )
    by_moderator = models.BooleanField(_("by a moderator"), default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("edited"), auto_now_add=True)

    class Meta:
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Insults or harassment")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Someone's personal data")
    ILLEGAL = "illegal", _("Unlawful content")
    OTHER = "other", _("Something else")


class PostReport(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.CharField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    # Set when a moderator decides on the post; open reports are the ones that count.
    resolved_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("report on a post")
        verbose_name_plural = _("reports on posts")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="community_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.post}: {self.reason}"


class Action(models.TextChoices):
    RESTORE = "restore", _("Restore (reports dismissed)")
    KEEP_HIDDEN = "keep_hidden", _("Keep hidden")
    EDIT = "edit", _("Edit and show")
    REMOVE = "remove", _("Remove")
    LOCK = "lock", _("Close the thread")
    UNLOCK = "unlock", _("Reopen the thread")
    PIN = "pin", _("Pin the thread")
    UNPIN = "unpin", _("Unpin the thread")
    APPROVE_MEMBER = "approve_member", _("Accept a member")


class ModerationDecision(models.Model):
    """The log of moderators' decisions (never edited)."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("community")
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="community_decisions",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("decision taken"), max_length=20, choices=Action.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.community}: {self.action}"
