"""Demo data for aimak.learning (all marked as demo): three courses in Kyrgyz and Russian
(text lessons, one lesson with an embedded YouTube video, one with a material file), an
online training linked to a course, demo learners with progress and one certificate."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from aimak.accounts.models import User
from aimak.events.models import Event, EventKind
from aimak.events.services import event_create
from aimak.learning.models import Course
from aimak.learning.services import (
    CourseData,
    LessonData,
    course_save,
    enroll,
    lesson_complete,
    lesson_save,
    material_add,
)
from aimak.practices.models import Theme
from aimak.territories.models import Territory

TZ = ZoneInfo("Asia/Bishkek")
WEBINAR_KEY = "demo:learning:webinar-budget"

# (theme, title ky, title ru, summary ky, summary ru, lessons: (title ky, title ru, body ky,
#  body ru, video url, minutes))
COURSES = [
    (
        "budget-planning",
        "Ачык бюджет: жарандар үчүн бюджет (демо)",
        "Открытый бюджет: бюджет для граждан (демо)",
        "Жергиликтүү бюджетти калкка түшүнүктүү кылып түзүү жана талкуулоо.",
        "Как составить местный бюджет понятным для жителей и обсудить его с ними.",
        [
            (
                "Бюджет деген эмне? (демо)",
                "Что такое местный бюджет? (демо)",
                "Жергиликтүү бюджет — айыл өкмөтүнүн бир жылдагы кирешелери жана чыгашалары.\n\n"
                "Бюджет кеңеште бекитилет жана калкка ачык болушу керек.",
                "Местный бюджет — доходы и расходы айыл окмоту на год.\n\n"
                "Бюджет утверждает местный кенеш, и он должен быть открыт для жителей.",
                "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
                12,
            ),
            (
                "Жарандар үчүн бюджет (демо)",
                "Бюджет для граждан (демо)",
                "Жарандар үчүн бюджет — бюджеттин кыска, сүрөттөлгөн, жөнөкөй тилдеги баяны.",
                "Бюджет для граждан — короткий, наглядный рассказ о бюджете простым языком.",
                "",
                15,
            ),
            (
                "Бюджеттик угуулар (демо)",
                "Бюджетные слушания (демо)",
                "Угууга кантип чакыруу, катышуучуларды каттоо жана сунуштарды эсепке алуу.",
                "Как пригласить жителей на слушания, зарегистрировать участников и учесть "
                "их предложения.",
                "",
                20,
            ),
        ],
    ),
    (
        "monitoring",
        "Жарандардын отчеттук карточкасы (демо)",
        "Отчётная карточка граждан (демо)",
        "Кызматтардын сапатын жарандардын пикири боюнча баалоо.",
        "Оценка качества услуг по мнению жителей: анкета, выборка, опрос, результаты.",
        [
            (
                "Отчеттук карточка эмне үчүн керек (демо)",
                "Зачем нужна отчётная карточка (демо)",
                "Карточка кызматтардын сапатын жана жеткиликтүүлүгүн өлчөйт.",
                "Карточка измеряет качество и доступность муниципальных услуг.",
                "",
                10,
            ),
            (
                "Тандоо жана сурамжылоо (демо)",
                "Выборка и опрос (демо)",
                "Тандоонун көлөмү, айылдар боюнча бөлүштүрүү, интервьюерлердин маршруттары.",
                "Размер выборки, распределение по сёлам, маршруты интервьюеров.",
                "",
                25,
            ),
        ],
    ),
    (
        "participation",
        "Жарандардын катышуусу: угуулар жана фокус-топтор (демо)",
        "Участие граждан: слушания и фокус-группы (демо)",
        "Калкты чечим кабыл алууга тартуунун жолдору.",
        "Способы вовлечь жителей в принятие решений.",
        [
            (
                "Катышуунун деңгээлдери (демо)",
                "Уровни участия (демо)",
                "Маалымдоо, консультация, биргелешип чечим кабыл алуу.",
                "Информирование, консультации, совместное принятие решений.",
                "",
                10,
            ),
        ],
    ),
]


def _material_pdf() -> ContentFile:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 760, "DEMO: Budget for citizens - template (Aimak demo)")
    pdf.showPage()
    pdf.save()
    return ContentFile(out.getvalue(), name="budget-for-citizens-demo.pdf")


def _webinar(municipality: Territory, admin: User) -> Event:
    event = Event.objects.filter(key=WEBINAR_KEY).first()
    if event is not None:
        return event
    start = timezone.now().astimezone(TZ).replace(hour=15, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=14)
    return event_create(
        key=WEBINAR_KEY,
        title_ky="Онлайн-тренинг: жарандар үчүн бюджет (демо)",
        title_ru="Онлайн-тренинг: бюджет для граждан (демо)",
        title_en="Online training: budget for citizens (DEMO)",
        kind=EventKind.TRAINING,
        municipalities=[municipality],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        online_url="https://meet.example.org/aimak-demo-budget",
        agenda_ru="Разбор бюджета для граждан, вопросы и ответы (демо).",
        agenda_ky="Жарандар үчүн бюджетти талдоо, суроо-жооптор (демо).",
        user=admin,
    )


def seed_learning(municipality: Territory) -> None:
    """Idempotent: a course is made only when its Russian title is not there yet."""
    admin = User.objects.get(username="demo-content")
    webinar = _webinar(municipality, admin)
    courses = []
    for theme, title_ky, title_ru, summary_ky, summary_ru, lessons in COURSES:
        course = Course.objects.filter(title_ru=title_ru).first()
        if course is None:
            data = CourseData(
                title={"ky": title_ky, "ru": title_ru},
                summary={"ky": summary_ky, "ru": summary_ru},
                theme=Theme.objects.get(slug=theme),
                events=[webinar] if theme == "budget-planning" else [],
            )
            course = course_save(by=admin, data=data)
            for l_ky, l_ru, b_ky, b_ru, url, minutes in lessons:
                lesson = lesson_save(
                    by=admin,
                    course=course,
                    data=LessonData(
                        title={"ky": l_ky, "ru": l_ru},
                        body={"ky": b_ky, "ru": b_ru},
                        video_url=url,
                        duration_minutes=minutes,
                    ),
                )
                if lesson.position == 2 and theme == "budget-planning":
                    material_add(
                        by=admin,
                        lesson=lesson,
                        name="Жарандар үчүн бюджеттин үлгүсү / Шаблон бюджета для граждан (демо)",
                        file=_material_pdf(),
                    )
            data.published = True
            course = course_save(by=admin, course=course, data=data)
        courses.append(course)
    # Demo learners: the staff member finished the budget course (certificate issued), the
    # deputy and the monitoring-group member are part-way.
    budget, report_card, _participation = courses
    progress = (
        ("demo-staff", budget, 3),
        ("demo-deputy", budget, 1),
        ("demo-monitor", report_card, 1),
    )
    for username, course, done in progress:
        user = User.objects.get(username=username)
        enroll(user=user, course=course)
        for lesson in course.lessons.order_by("position")[:done]:
            lesson_complete(user=user, lesson=lesson)
