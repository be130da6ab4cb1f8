import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aimak.learning.services import CourseData, LessonData, course_save, lesson_save
from aimak.practices.models import Theme
from tests.factories import UserFactory


@pytest.fixture
def admin(demo_user):
    return demo_user("content")


@pytest.fixture
def learner(db):
    return UserFactory(username="learner1", full_name="Айзада Learner", preferred_language="ru")


@pytest.fixture
def course(admin):
    data = CourseData(
        title={"ky": "Сынак курсу", "ru": "Тестовый курс", "en": "Test course"},
        summary={"ru": "О курсе"},
        theme=Theme.objects.get(slug="budget-planning"),
    )
    course = course_save(by=admin, data=data)
    for n in (1, 2):
        lesson_save(
            by=admin,
            course=course,
            data=LessonData(
                title={"ky": f"Сабак {n}", "ru": f"Урок {n}"},
                body={"ru": f"Текст урока {n}"},
                video_url="https://www.youtube.com/watch?v=abcDEF12345" if n == 1 else "",
                duration_minutes=10,
            ),
        )
    data.published = True
    return course_save(by=admin, course=course, data=data)


def pdf_file(name: str = "doc.pdf") -> SimpleUploadedFile:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, "material")
    c.showPage()
    c.save()
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")
