"""Courses made of lessons, materials, enrolments, progress per learner and certificates."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    if TYPE_CHECKING:  # added by django-modeltranslation (translation.py)
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        summary_ky: str | None
        summary_ru: str | None
        summary_en: str | None

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # Translated (translation.py): title, summary (summary is sanitised HTML).
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    theme = models.ForeignKey(
        "practices.Theme",
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    published = models.BooleanField(_("published"), default=False, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    events = models.ManyToManyField(
        "events.Event", verbose_name=_("online events"), related_name="courses", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.title or self.slug

    def get_absolute_url(self) -> str:
        return reverse("learning:course", args=[self.slug])


def video_upload_to(instance: Lesson, filename: str) -> str:
    return f"learning/videos/{instance.course_id}/{filename}"


class Lesson(models.Model):
    if TYPE_CHECKING:
        title_ky: str | None
        title_ru: str | None
        title_en: str | None
        body_ky: str | None
        body_ru: str | None
        body_en: str | None

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("course")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    # Translated: title, body (sanitised HTML).
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    video_file = models.FileField(_("video file"), upload_to=video_upload_to, blank=True)
    video_url = models.URLField(_("video address"), max_length=500, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = models.Manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="lesson_position_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson", args=[self.course.slug, self.position])

    @property
    def video_host(self) -> str:
        return (urlsplit(self.video_url).hostname or "").removeprefix("www.")

    @property
    def embed_url(self) -> str:
        """The player's address for a YouTube (privacy-enhanced) or Vimeo link, else ""."""
        if not self.video_url:
            return ""
        parts = urlsplit(self.video_url)
        host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
        video_id = ""
        if host == "youtu.be":
            video_id = parts.path.strip("/").split("/")[0]
        elif host in {"youtube.com", "youtube-nocookie.com"}:
            if parts.path == "/watch":
                video_id = (parse_qs(parts.query).get("v") or [""])[0]
            elif parts.path.startswith(("/embed/", "/shorts/", "/live/")):
                video_id = parts.path.split("/")[2]
            if video_id and all(c.isalnum() or c in "-_" for c in video_id):
                return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0"
            return ""
        elif host in {"vimeo.com", "player.vimeo.com"}:
            digits = [p for p in parts.path.split("/") if p.isdigit()]
            if digits:
                return f"https://player.vimeo.com/video/{digits[0]}?dnt=1&autoplay=1"
            return ""
        if video_id and all(c.isalnum() or c in "-_" for c in video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1&rel=0"
        return ""

    @property
    def embed_host(self) -> str:
        return (urlsplit(self.embed_url).hostname or "").removeprefix("www.")


class MaterialKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", "XLSX"
    LINK = "link", _("Link")


class LessonMaterial(models.Model):
    """A file to download (PDF, DOCX, XLSX, checked by content) or a link."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="materials", verbose_name=_("lesson")
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=4, choices=MaterialKind.choices)
    file = models.FileField(_("file"), upload_to="learning/materials/%Y/", blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    url = models.URLField(_("address"), max_length=500, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        if self.kind == MaterialKind.LINK:
            return self.url
        return reverse("learning:material", args=[self.pk])


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-started_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrollment_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_id}"


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("learner"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    completed_at = models.DateTimeField(_("completed"), db_index=True)

    class Meta:
        verbose_name = _("completed lesson")
        verbose_name_plural = _("completed lessons")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ✓ {self.lesson_id}"


class Certificate(models.Model):
    """Issued once when a learner completes every lesson of a course."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("course")
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    learner_name = models.CharField(_("learner"), max_length=200)
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="certificate_unique")
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("learning:verify", args=[self.code])
