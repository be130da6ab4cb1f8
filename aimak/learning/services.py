"""Every write of learning: courses, lessons, materials, enrolment, progress, certificates.

Courses and lessons are written by the content administrator; rich text is sanitised with
nh3 (`practices.services.clean_rich_text`) before it is stored, uploaded videos and
materials are recognised by their content, not their name. Completing the last lesson of a
course completes the enrolment and issues the certificate in the same transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aimak.core.cache import public_content_changed
from aimak.core.uploads import check_upload
from aimak.events.models import Event, EventKind
from aimak.practices.services import clean_rich_text
from aimak.territories.transliteration import latin

from .models import (
    Certificate,
    Course,
    Enrollment,
    Lesson,
    LessonMaterial,
    LessonProgress,
    MaterialKind,
)
from .rules import is_content_admin

LANGS = ("ky", "ru", "en")
MAX_VIDEO_BYTES = 300 * 1024 * 1024
MAX_MATERIAL_BYTES = 20 * 1024 * 1024
RESERVED_SLUGS = {"mine", "manage", "new", "certificates", "materials"}


def _admin(by: Any) -> None:
    if not is_content_admin(by):
        raise PermissionDenied(_("Only the content administrator edits courses."))


def _by(obj: Any, by: Any) -> None:
    obj._history_user = by if getattr(by, "is_authenticated", False) else None


def _registered(user: Any) -> None:
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        raise PermissionDenied(_("Sign in to take a course."))


def _slug_for(*texts: str, pk: Any = None) -> str:
    base = ""
    for text in texts:
        base = slugify(latin(text or ""))[:60].strip("-")
        if base:
            break
    base = base or "course"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Course.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- video files --------------------------------------------------------------------------


def video_type(file: Any) -> str:
    """ "mp4" (an ISO media `ftyp` box), "webm" (EBML magic), or "" — from the content."""
    file.seek(0)
    head = file.read(12)
    file.seek(0)
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return ""


def check_video(file: Any) -> str:
    size = getattr(file, "size", None) or 0
    if size == 0:
        raise ValidationError(_("The file is empty."))
    if size > MAX_VIDEO_BYTES:
        raise ValidationError(
            _("The video is larger than %(mb)s MB.") % {"mb": MAX_VIDEO_BYTES // 2**20}
        )
    kind = video_type(file)
    if not kind:
        raise ValidationError(_("Only MP4 and WebM videos can be uploaded."))
    return kind


# --- courses ------------------------------------------------------------------------------


@dataclass
class CourseData:
    title: dict[str, str] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    theme: Any = None
    published: bool = False
    events: list[Event] = field(default_factory=list)


@transaction.atomic
def course_save(*, by: Any, data: CourseData, course: Course | None = None) -> Course:
    """Create or update a course (content administrator only)."""
    _admin(by)
    if data.theme is None:
        raise ValidationError(_("Choose the course's theme."))
    if not (data.title.get("ky", "").strip() or data.title.get("ru", "").strip()):
        raise ValidationError(_("Give the course a title in Kyrgyz or Russian."))
    wrong = [e for e in data.events if e.kind != EventKind.TRAINING]
    if wrong:
        raise ValidationError(_("Only trainings can be linked to a course."))
    was_public = course is not None and course.published
    course = course or Course(author=by)
    for lang in LANGS:
        course_title = (data.title.get(lang) or "").strip()
        setattr(course, f"title_{lang}", course_title)
        setattr(course, f"summary_{lang}", clean_rich_text(data.summary.get(lang) or ""))
    course.theme = data.theme
    if data.published and course.pk and not course.lessons.exists():
        raise ValidationError(_("Add at least one lesson before publishing the course."))
    if data.published and not course.pk:
        raise ValidationError(_("Add at least one lesson before publishing the course."))
    course.published = data.published
    if not course.slug:
        course.slug = _slug_for(course.title_en or "", course.title_ru or "", course.title_ky or "")
    course.full_clean(exclude=["events"])
    _by(course, by)
    course.save()
    course.events.set(data.events)
    if was_public or course.published:
        public_content_changed()
    return course


@dataclass
class LessonData:
    title: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)
    video_url: str = ""
    duration_minutes: int = 0
    position: int | None = None
    remove_video: bool = False


@transaction.atomic
def lesson_save(
    *,
    by: Any,
    course: Course,
    data: LessonData,
    lesson: Lesson | None = None,
    video_file: Any = None,
) -> Lesson:
    """Create or update a lesson; a new lesson goes last unless a position is given."""
    _admin(by)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if lesson is not None and lesson.course_id != course.pk:
        raise PermissionDenied(_("This lesson belongs to another course."))
    if not any((data.title.get(lang) or "").strip() for lang in LANGS):
        raise ValidationError(_("Give the lesson a title."))
    url = (data.video_url or "").strip()
    if url and not url.lower().startswith("https://"):
        raise ValidationError(_("Give the video's address starting with https://."))
    if data.duration_minutes < 0 or data.duration_minutes > 1000:
        raise ValidationError(_("The duration must be between 0 and 1000 minutes."))
    lesson = lesson or Lesson(course=course)
    for lang in LANGS:
        setattr(lesson, f"title_{lang}", (data.title.get(lang) or "").strip())
        setattr(lesson, f"body_{lang}", clean_rich_text(data.body.get(lang) or ""))
    lesson.video_url = url
    lesson.duration_minutes = data.duration_minutes
    if lesson.pk is None:
        last = course.lessons.order_by("-position").values_list("position", flat=True).first()
        lesson.position = (last or 0) + 1
    if data.position and data.position != lesson.position:
        if course.lessons.filter(position=data.position).exclude(pk=lesson.pk).exists():
            raise ValidationError(
                _("Lesson %(n)s already exists in this course.") % {"n": data.position}
            )
        lesson.position = data.position
    if data.remove_video and lesson.video_file:
        lesson.video_file.delete(save=False)
        lesson.video_file = ""  # type: ignore[assignment]
    if video_file is not None:
        kind = check_video(video_file)
        lesson.video_file.save(f"lesson-{secrets.token_hex(4)}.{kind}", video_file, save=False)
    if not (lesson.body_ky or lesson.body_ru or lesson.body_en or lesson.video_url) and not (
        lesson.video_file
    ):
        raise ValidationError(_("A lesson needs a text or a video."))
    lesson.full_clean(exclude=["course"])
    _by(lesson, by)
    lesson.save()
    if course.published:
        public_content_changed()
    return lesson


@transaction.atomic
def material_add(
    *, by: Any, lesson: Lesson, name: str, file: Any = None, url: str = ""
) -> LessonMaterial:
    """A PDF, DOCX or XLSX file (checked by content, ≤ 20 MB) or an https link."""
    _admin(by)
    name = (name or "").strip()
    url = (url or "").strip()
    if (file is None) == (not url):
        raise ValidationError(_("Attach a file or give a link, not both."))
    material = LessonMaterial(lesson=lesson)
    if file is not None:
        kind = check_upload(
            file=file, allowed={"pdf", "docx", "xlsx"}, max_bytes=MAX_MATERIAL_BYTES
        )
        stem = (getattr(file, "name", "") or "material").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        material.kind = kind
        material.size = file.size
        material.name = (name or stem)[:300]
        material.file.save(f"{slugify(latin(stem))[:50] or 'material'}.{kind}", file, save=False)
    else:
        if not url.lower().startswith("https://"):
            raise ValidationError(_("Give the link starting with https://."))
        if not name:
            raise ValidationError(_("Name the link."))
        material.kind = MaterialKind.LINK
        material.url = url
        material.name = name[:300]
        material.full_clean(exclude=["lesson", "file"])
    material.save()
    if lesson.course.published:
        public_content_changed()
    return material


@transaction.atomic
def material_remove(*, by: Any, material: LessonMaterial) -> None:
    _admin(by)
    published = material.lesson.course.published
    if material.file:
        material.file.delete(save=False)
    material.delete()
    if published:
        public_content_changed()


# --- learners -----------------------------------------------------------------------------


def _published(course: Course) -> None:
    if not course.published:
        raise PermissionDenied(_("This course is not published."))


@transaction.atomic
def enroll(*, user: Any, course: Course) -> Enrollment:
    """Enrol the user (once; enrolling again returns the existing enrolment)."""
    _registered(user)
    _published(course)
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is not None:
        return enrollment
    try:
        with transaction.atomic():
            return Enrollment.objects.create(user=user, course=course)
    except IntegrityError:
        return Enrollment.objects.get(user=user, course=course)


@dataclass
class Completion:
    progress: LessonProgress
    enrollment: Enrollment
    certificate: Certificate | None
    course_completed: bool


@transaction.atomic
def lesson_complete(*, user: Any, lesson: Lesson, now: Any = None) -> Completion:
    """Mark a lesson done (enrolling if needed); the last lesson completes the course and
    issues the certificate. Completing a lesson twice keeps the first date."""
    _registered(user)
    course = lesson.course
    _published(course)
    now = now or timezone.now()
    enroll(user=user, course=course)
    enrollment = Enrollment.objects.select_for_update().get(user=user, course=course)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"completed_at": now}
    )
    total = course.lessons.count()
    done = LessonProgress.objects.filter(user=user, lesson__course=course).count()
    certificate = Certificate.objects.filter(user=user, course=course).first()
    just_completed = False
    if done >= total and enrollment.completed_at is None:
        enrollment.completed_at = now
        enrollment.save(update_fields=["completed_at"])
        just_completed = True
    if enrollment.completed_at is not None and certificate is None:
        certificate = certificate_issue(user=user, course=course, at=now)
    return Completion(
        progress=progress,
        enrollment=enrollment,
        certificate=certificate,
        course_completed=just_completed,
    )


def _new_code() -> str:
    while True:
        code = secrets.token_hex(6)
        if not Certificate.objects.filter(code=code).exists():
            return code


@transaction.atomic
def certificate_issue(*, user: Any, course: Course, at: Any = None) -> Certificate:
    """The certificate of a completed course (one per learner and course)."""
    at = at or timezone.now()
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    code = _new_code()
    certificate = Certificate.objects.create(
        user=user,
        course=course,
        number=code,
        code=code,
        learner_name=(user.full_name or user.get_full_name() or user.username)[:200],
        issued_at=at,
    )
    certificate.number = f"AIMAK-{at:%Y}-{certificate.pk:05d}"
    certificate.save(update_fields=["number"])
    return certificate
