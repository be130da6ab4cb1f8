import io

import pytest
from pypdf import PdfReader

from aimak.learning.models import Certificate, Enrollment, LessonProgress
from aimak.learning.services import lesson_complete

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def test_course_list_and_page_are_public(client, course):
    page = client.get("/ru/learning/")
    assert page.status_code == 200 and "Тестовый курс" in page.content.decode()
    detail = client.get(course.get_absolute_url()).content.decode()
    assert "Урок 1" in detail and "Войдите, чтобы пройти курс" in detail


def test_the_video_is_a_facade_not_an_iframe(client, course):
    html = client.get("/ru/learning/" + course.slug + "/lessons/1/").content.decode()
    assert "<iframe" not in html
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abcDEF12345' in html
    assert 'href="https://www.youtube.com/watch?v=abcDEF12345"' in html
    assert "Загружает видео с youtube-nocookie.com" in html
    assert "learning/facade.js" in html


def test_enrol_complete_and_download_the_certificate(client, course, learner):
    client.force_login(learner)
    response = client.post(f"/ru/learning/{course.slug}/enroll/")
    assert response.status_code == 302 and response["Location"].endswith("/lessons/1/")
    client.post(f"/ru/learning/{course.slug}/lessons/1/complete/")
    page = client.get(course.get_absolute_url()).content.decode()
    assert "1 из 2 уроков (50%)" in page
    response = client.post(f"/ru/learning/{course.slug}/lessons/2/complete/", follow=True)
    assert "Вы прошли курс" in response.content.decode()
    pdf = client.get(f"/ru/learning/{course.slug}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Тестовый курс" in text
    mine = client.get("/ru/learning/mine/").content.decode()
    assert "Тестовый курс" in mine and "100%" in mine


def test_certificate_verification_page(client, course, learner):
    for lesson in course.lessons.all():
        certificate = lesson_complete(user=learner, lesson=lesson).certificate
    page = client.get(f"/ru/learning/certificates/{certificate.code}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Сертификат подлинный" in html
    assert learner.full_name in html and certificate.number in html
    missing = client.get("/ru/learning/certificates/nope/")
    assert missing.status_code == 404 and "Сертификат подлинный" not in missing.content.decode()


def test_no_certificate_before_completion(client, course, learner):
    client.force_login(learner)
    assert client.get(f"/ru/learning/{course.slug}/certificate.pdf").status_code == 404


def test_learners_table_and_csv_for_the_admin_only(client, course, learner, admin, demo_user):
    lesson_complete(user=learner, lesson=course.lessons.first())
    client.force_login(demo_user("staff"))
    refused = client.get(f"/ru/learning/{course.slug}/learners/")
    assert refused.status_code == 403
    client.force_login(admin)
    table = client.get(f"/ru/learning/{course.slug}/learners/").content.decode()
    assert learner.full_name in table and "50%" in table
    csv = client.get(f"/ru/learning/{course.slug}/learners.csv")
    body = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    assert learner.email in body and ",1,2,50," in body


def test_admin_creates_a_course_and_lesson_on_pages(client, admin):
    from aimak.learning.models import Course
    from aimak.practices.models import Theme

    client.force_login(admin)
    theme = Theme.objects.get(slug="digital")
    response = client.post(
        "/ru/learning/new/",
        {"title_ru": "Цифровой айыл", "title_ky": "Санариптик айыл", "theme": theme.pk},
    )
    course = Course.objects.get(title_ru="Цифровой айыл")
    assert response.status_code == 302 and not course.published
    response = client.post(
        f"/ru/learning/{course.slug}/lessons/new/",
        {"title_ru": "Введение", "body_ru": "Текст", "duration_minutes": 5},
    )
    assert response.status_code == 302 and course.lessons.count() == 1
    response = client.post(
        f"/ru/learning/{course.slug}/lessons/1/materials/",
        {"name": "Шаблон", "file": pdf_file()},
    )
    assert course.lessons.get().materials.count() == 1
    material = course.lessons.get().materials.get()
    client.post(
        f"/ru/learning/{course.slug}/edit/",
        {"title_ru": "Цифровой айыл", "theme": theme.pk, "published": "on"},
    )
    course.refresh_from_db()
    assert course.published
    client.logout()
    download = client.get(f"/ru/learning/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_forged_course_edit_is_refused(client, course, demo_user):
    client.force_login(demo_user("staff"))
    response = client.post(
        f"/ru/learning/{course.slug}/edit/",
        {"title_ru": "Взломано", "theme": course.theme_id, "published": "on"},
    )
    assert response.status_code == 403
    assert "для администратора контента" in response.content.decode()
    course.refresh_from_db()
    assert course.title_ru == "Тестовый курс"


def test_a_draft_course_is_not_public(client, admin):
    from aimak.learning.services import CourseData, course_save
    from aimak.practices.models import Theme

    draft = course_save(
        by=admin, data=CourseData(title={"ru": "Черновик курса"}, theme=Theme.objects.first())
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Черновик курса" not in client.get("/ru/learning/").content.decode()


def test_anonymous_cannot_complete(client, course):
    response = client.post(f"/ru/learning/{course.slug}/lessons/1/complete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert (
        not LessonProgress.objects.exists() or not Enrollment.objects.filter(course=course).exists()
    )
    assert not Certificate.objects.filter(course=course).exists()
