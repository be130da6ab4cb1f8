import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from aimak.learning.models import Certificate, Enrollment, Lesson, LessonProgress
from aimak.learning.pdf import certificate_pdf
from aimak.learning.selectors import (
    active_user_ids,
    activity_by_category,
    learner_progress,
    my_learning,
)
from aimak.learning.services import (
    CourseData,
    LessonData,
    check_video,
    course_save,
    enroll,
    lesson_complete,
    lesson_save,
    material_add,
)
from aimak.practices.models import Theme

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def test_only_the_content_admin_writes_courses(demo_user, admin):
    data = CourseData(title={"ru": "Курс"}, theme=Theme.objects.first())
    with pytest.raises(PermissionDenied):
        course_save(by=demo_user("staff"), data=data)
    course = course_save(by=admin, data=data)
    assert course.slug and not course.published


def test_a_course_without_lessons_cannot_be_published(admin):
    data = CourseData(title={"ru": "Курс"}, theme=Theme.objects.first(), published=True)
    with pytest.raises(ValidationError):
        course_save(by=admin, data=data)


def test_rich_text_is_sanitised(admin, course):
    lesson = lesson_save(
        by=admin,
        course=course,
        data=LessonData(title={"ru": "X"}, body={"ru": "<p>ok</p><script>alert(1)</script>"}),
    )
    assert lesson.body_ru == "<p>ok</p>" and lesson.position == 3


def test_only_https_video_links(admin, course):
    with pytest.raises(ValidationError):
        lesson_save(
            by=admin,
            course=course,
            data=LessonData(title={"ru": "X"}, video_url="http://example.org/v.mp4"),
        )


def test_youtube_embeds_with_the_privacy_enhanced_host():
    lesson = Lesson(video_url="https://youtu.be/abcDEF12345")
    assert lesson.embed_url.startswith("https://www.youtube-nocookie.com/embed/abcDEF12345")
    assert Lesson(video_url="https://vimeo.com/12345").embed_url.startswith(
        "https://player.vimeo.com/video/12345"
    )
    assert Lesson(video_url="https://example.org/video").embed_url == ""


def test_video_uploads_are_checked_by_content(admin, course):
    mp4 = SimpleUploadedFile("v.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100)
    webm = SimpleUploadedFile("v.webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 100)
    fake = SimpleUploadedFile("v.mp4", b"MZ\x90\x00 this is an exe" + b"\x00" * 100)
    assert check_video(mp4) == "mp4" and check_video(webm) == "webm"
    with pytest.raises(ValidationError):
        check_video(fake)
    lesson = lesson_save(
        by=admin, course=course, data=LessonData(title={"ru": "Видео"}), video_file=mp4
    )
    assert lesson.video_file.name.endswith(".mp4")


def test_materials_are_checked(admin, course):
    lesson = course.lessons.first()
    material = material_add(by=admin, lesson=lesson, name="", file=pdf_file("plan.pdf"))
    assert material.kind == "pdf" and material.name == "plan" and material.size > 0
    with pytest.raises(ValidationError):
        material_add(
            by=admin, lesson=lesson, name="x", file=SimpleUploadedFile("x.pdf", b"not a pdf")
        )
    with pytest.raises(ValidationError):
        material_add(by=admin, lesson=lesson, name="link", url="http://example.org")
    link = material_add(by=admin, lesson=lesson, name="Закон", url="https://cbd.minjust.gov.kg/")
    assert link.kind == "link"


def test_events_must_be_trainings(admin, course):
    from aimak.events.models import Event

    hearing = Event.objects.exclude(kind="training").first()
    with pytest.raises(ValidationError):
        course_save(
            by=admin,
            course=course,
            data=CourseData(
                title={"ru": "Курс"}, theme=course.theme, published=True, events=[hearing]
            ),
        )


def test_completing_every_lesson_issues_one_certificate(course, learner):
    lessons = list(course.lessons.order_by("position"))
    first = lesson_complete(user=learner, lesson=lessons[0])
    assert first.certificate is None and not first.course_completed
    again = lesson_complete(user=learner, lesson=lessons[0])
    assert again.progress.completed_at == first.progress.completed_at
    last = lesson_complete(user=learner, lesson=lessons[1])
    assert last.course_completed and last.certificate is not None
    assert Enrollment.objects.get(user=learner, course=course).completed_at is not None
    lesson_complete(user=learner, lesson=lessons[1])
    assert Certificate.objects.filter(user=learner, course=course).count() == 1
    number = last.certificate.number
    assert number.startswith(f"AIMAK-{timezone.now():%Y}-")
    rows = my_learning(user=learner)
    assert [(r.done, r.total, r.percent) for r in rows] == [(2, 2, 100)]


def test_anonymous_and_unpublished_refused(admin, course, learner):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        enroll(user=AnonymousUser(), course=course)
    draft = course_save(by=admin, data=CourseData(title={"ru": "Черновик"}, theme=course.theme))
    with pytest.raises(PermissionDenied):
        enroll(user=learner, course=draft)
    assert not Enrollment.objects.filter(user=learner).exists()


def test_certificate_pdf_text(course, learner):
    for lesson in course.lessons.all():
        result = lesson_complete(user=learner, lesson=lesson)
    certificate = result.certificate
    text = PdfReader(io.BytesIO(certificate_pdf(certificate))).pages[0].extract_text()
    assert "СЕРТИФИКАТ" in text
    assert "Айзада Learner" in text
    assert "Тестовый курс" in text  # the learner's language (Russian)
    assert certificate.number in text
    assert f"/ru/learning/certificates/{certificate.code}/" in text
    ky = PdfReader(io.BytesIO(certificate_pdf(certificate, lang="ky"))).pages[0].extract_text()
    assert "Сынак курсу" in ky


def test_learner_progress_rows(course, learner, demo_user):
    lesson_complete(user=learner, lesson=course.lessons.first())
    enroll(user=demo_user("staff"), course=course)
    rows = {r.email: r for r in learner_progress(course=course)}
    assert rows[learner.email].percent == 50 and rows[learner.email].last_activity
    assert rows[demo_user("staff").email].done == 0


def test_audience_contract(course, learner):
    since = timezone.now() - datetime.timedelta(hours=1)
    until = timezone.now() + datetime.timedelta(hours=1)
    before = activity_by_category(since=since, until=until).get("citizen", 0)
    lesson_complete(user=learner, lesson=course.lessons.first())
    ids = {row["user_id"] for row in active_user_ids(since=since, until=until)}
    assert learner.pk in ids
    assert activity_by_category(since=since, until=until)["citizen"] == before + 1
    assert LessonProgress.objects.filter(user=learner).count() == 1


def test_demo_has_courses_progress_and_a_certificate(demo_user):
    from aimak.learning.models import Course

    courses = Course.objects.filter(published=True, title_ru__contains="(демо)")
    assert courses.count() == 3
    staff = demo_user("staff")
    assert Certificate.objects.filter(user=staff).count() == 1
    assert any(lesson.embed_url for c in courses for lesson in c.lessons.all())
    from aimak.demo.learning import seed_learning

    seed_learning(None)  # type: ignore[arg-type]
    assert Course.objects.filter(title_ru__contains="(демо)").count() == 3
