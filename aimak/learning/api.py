"""API of learning: public course reads, token enrolment, progress and completion, and the
public certificate check."""

import datetime

from django.http import Http404
from ninja import Field, Router, Schema

from aimak.accounts.api_auth import TokenAuth

from .models import Certificate, Course, Lesson
from .pdf import course_title
from .selectors import (
    certificate_get,
    completed_lesson_ids,
    course_get,
    course_lessons,
    course_list,
    lesson_get,
    my_learning,
)
from .services import enroll, lesson_complete

router = Router(tags=["learning"])


class CourseOut(Schema):
    slug: str
    url: str = Field(description="The course's page")
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    theme: str = Field(description="Theme slug (GET /practice-themes)")
    lesson_count: int

    @staticmethod
    def resolve_url(obj: Course) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_theme(obj: Course) -> str:
        return obj.theme.slug

    @staticmethod
    def resolve_lesson_count(obj: Course) -> int:
        count = getattr(obj, "lesson_count", None)
        return count if count is not None else obj.lessons.count()


class MaterialOut(Schema):
    name: str
    kind: str = Field(description="pdf, docx, xlsx or link")
    url: str


class LessonOut(Schema):
    position: int
    title_ky: str | None
    title_ru: str | None
    title_en: str | None
    body_ky: str | None = Field(description="Sanitised HTML")
    body_ru: str | None
    body_en: str | None
    video_url: str = Field(description="Link to a video on YouTube, Vimeo or elsewhere")
    video_file: str = Field(description="Address of an uploaded MP4/WebM video, or empty")
    duration_minutes: int
    materials: list[MaterialOut]

    @staticmethod
    def resolve_video_file(obj: Lesson) -> str:
        return obj.video_file.url if obj.video_file else ""

    @staticmethod
    def resolve_materials(obj: Lesson, context) -> list[MaterialOut]:
        request = context["request"]
        return [
            MaterialOut(
                name=m.name,
                kind=m.kind,
                url=m.url if m.kind == "link" else request.build_absolute_uri(m.get_absolute_url()),
            )
            for m in obj.materials.all()
        ]


class EventOut(Schema):
    id: int
    title: str
    starts_at: datetime.datetime
    url: str = Field(description="The event's page, where learners register")


class CourseDetailOut(CourseOut):
    summary_ky: str | None = Field(description="Sanitised HTML")
    summary_ru: str | None
    summary_en: str | None
    lessons: list[LessonOut]
    events: list[EventOut]

    @staticmethod
    def resolve_lessons(obj: Course) -> list[Lesson]:
        return list(course_lessons(course=obj))

    @staticmethod
    def resolve_events(obj: Course) -> list[EventOut]:
        return [
            EventOut(id=e.pk, title=e.title, starts_at=e.starts_at, url=e.get_absolute_url())
            for e in obj.events.order_by("-starts_at")
        ]


class ProgressOut(Schema):
    course: str = Field(description="Course slug")
    started_at: datetime.datetime
    completed_at: datetime.datetime | None
    lessons_done: int
    lessons_total: int
    percent: int
    certificate_number: str | None
    certificate_url: str | None = Field(description="Public verification page")


class CompletionOut(Schema):
    lesson: int
    lessons_done: int
    lessons_total: int
    course_completed: bool
    certificate_number: str | None
    certificate_url: str | None


class CertificateOut(Schema):
    valid: bool
    number: str
    learner_name: str
    course: str = Field(description="Course title in the requested language")
    course_slug: str
    issued_at: datetime.datetime


def _course(request, slug: str) -> Course:
    try:
        return course_get(slug=slug, user=request.user)
    except Course.DoesNotExist as exc:
        raise Http404 from exc


@router.get(
    "/learning/courses",
    response=list[CourseOut],
    summary="Published courses",
    description="Published courses, newest first.",
)
def list_courses(request):
    return course_list()


@router.get(
    "/learning/courses/{slug}",
    response=CourseDetailOut,
    summary="One course with its lessons",
    description="A published course with its lessons, materials and online events.",
)
def get_course(request, slug: str):
    return _course(request, slug)


@router.post(
    "/learning/courses/{slug}/enroll",
    response={200: ProgressOut},
    summary="Enrol in a course",
    description="Enrols the token's user (enrolling again changes nothing).",
    auth=TokenAuth(),
)
def enroll_course(request, slug: str):
    course = _course(request, slug)
    enroll(user=request.user, course=course)
    return _progress(request, course)


def _progress(request, course: Course) -> dict:
    row = next(r for r in my_learning(user=request.user) if r.course.pk == course.pk)
    cert = row.certificate
    return {
        "course": course.slug,
        "started_at": row.enrollment.started_at,
        "completed_at": row.enrollment.completed_at,
        "lessons_done": row.done,
        "lessons_total": row.total,
        "percent": row.percent,
        "certificate_number": cert.number if cert else None,
        "certificate_url": request.build_absolute_uri(cert.get_absolute_url()) if cert else None,
    }


@router.post(
    "/learning/courses/{slug}/lessons/{position}/complete",
    response=CompletionOut,
    summary="Mark a lesson completed",
    description="Enrols if needed; the last lesson completes the course and issues the "
    "certificate.",
    auth=TokenAuth(),
)
def complete_lesson(request, slug: str, position: int):
    course = _course(request, slug)
    try:
        lesson = lesson_get(course=course, position=position)
    except Lesson.DoesNotExist as exc:
        raise Http404 from exc
    result = lesson_complete(user=request.user, lesson=lesson)
    cert = result.certificate
    return {
        "lesson": lesson.position,
        "lessons_done": len(completed_lesson_ids(user=request.user, course=course)),
        "lessons_total": course.lessons.count(),
        "course_completed": result.enrollment.completed_at is not None,
        "certificate_number": cert.number if cert else None,
        "certificate_url": request.build_absolute_uri(cert.get_absolute_url()) if cert else None,
    }


@router.get(
    "/learning/progress",
    response=list[ProgressOut],
    summary="My progress",
    description="The token's user's courses with lessons done and certificates.",
    auth=TokenAuth(),
)
def my_progress(request):
    rows = my_learning(user=request.user)
    return [
        {
            "course": r.course.slug,
            "started_at": r.enrollment.started_at,
            "completed_at": r.enrollment.completed_at,
            "lessons_done": r.done,
            "lessons_total": r.total,
            "percent": r.percent,
            "certificate_number": r.certificate.number if r.certificate else None,
            "certificate_url": request.build_absolute_uri(r.certificate.get_absolute_url())
            if r.certificate
            else None,
        }
        for r in rows
    ]


@router.get(
    "/learning/certificates/{code}",
    response=CertificateOut,
    summary="Check a certificate",
    description="Public: confirms a certificate by the verification code printed on it "
    "(404 when no certificate has it). `lang` chooses the course title's language.",
)
def verify_certificate(request, code: str, lang: str = "ru"):
    try:
        certificate = certificate_get(code=code)
    except Certificate.DoesNotExist as exc:
        raise Http404 from exc
    return {
        "valid": True,
        "number": certificate.number,
        "learner_name": certificate.learner_name,
        "course": course_title(certificate, lang if lang in ("ky", "ru", "en") else "ru"),
        "course_slug": certificate.course.slug,
        "issued_at": certificate.issued_at,
    }
