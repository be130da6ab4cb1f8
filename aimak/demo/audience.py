"""Demo data for aimak.audience (all marked as demo): one active feedback survey of the
portal's users and about forty responses from demo users of every audience category.

Running it twice changes nothing: the survey is found by its English title, the users by
their usernames.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from aimak.accounts.models import AudienceCategory, User
from aimak.audience.models import FeedbackSurvey, QuestionKind, QuestionRole
from aimak.audience.services import SurveyData, question_add, response_submit, survey_save
from aimak.territories.models import Territory

SURVEY_TITLE_EN = "How useful is the portal to you? (DEMO)"
USERS_PER_CATEGORY = 5
NEEDS = [
    ("legal-consultations", "Юридикалык кеңештер", "Юридические консультации",
     "Legal consultations"),
    ("trainings", "Окуулар жана семинарлар", "Обучение и семинары", "Trainings and seminars"),
    ("best-practices", "Мыкты тажрыйбалар", "Лучшие практики", "Best practices"),
    ("contests", "Сынактар", "Конкурсы", "Contests"),
    ("document-templates", "Документтердин үлгүлөрү", "Шаблоны документов",
     "Templates of documents"),
    ("mentoring", "Тажрыйба алмашуу жана насаатчылык", "Обмен опытом и наставничество",
     "Peer exchange and mentoring"),
    ("legal-news", "Мыйзамдардагы жаңылыктар", "Новости законодательства", "Legal news"),
]  # fmt: skip
SECTIONS = [
    ("news", "Жаңылыктар", "Новости", "News"),
    ("practices", "Мыкты тажрыйбалар китепканасы", "Библиотека лучших практик",
     "Best-practice library"),
    ("legal-acts", "Ченемдик укуктук актылар", "Нормативные правовые акты", "Legal acts"),
    ("magazine", "«Муниципалитет» журналы", "Журнал «Муниципалитет»", "The magazine"),
    ("experts", "Эксперттер", "Эксперты", "Experts"),
]  # fmt: skip
# Made-up first names and surnames for the demo respondents (marked DEMO).
NAMES = [
    "Азамат", "Айпери", "Бакыт", "Гүлзат", "Данияр", "Жылдыз", "Канат", "Мээрим", "Нурлан",
    "Салтанат", "Тилек", "Чолпон", "Эркин", "Айдана", "Бектур", "Назгүл", "Руслан", "Асель",
]  # fmt: skip
SURNAMES = ["Асанов", "Токтогулова", "Жээнбеков", "Осмонова", "Сыдыков", "Мамбетова", "Кадыров"]
ORGANISATIONS = {
    "lsg": "Айыл өкмөтү (демо)",
    "university": "Университет (демо)",
    "state": "Министерство (демо)",
    "expert_ngo": "ОО «Демо-Консалт»",
    "community": "Жамаат (демо)",
    "donor": "Проект развития (демо)",
    "business": "ОсОО «Демо-Бизнес»",
    "citizen": "",
}
# Each category's mean leaning for the satisfaction mark (made up).
LEANING = {
    "lsg": 4,
    "university": 4,
    "state": 3,
    "expert_ngo": 4,
    "community": 3,
    "donor": 5,
    "business": 3,
    "citizen": 4,
}
COMMENTS = [
    "Кыргызча материалдар көбүрөөк болсо жакшы болмок. (демо)",
    "Хотелось бы больше шаблонов документов для айыл окмоту. (демо)",
    "Сайт телефондон жакшы ачылат, рахмат. (демо)",
    "Добавьте видеоуроки по бюджетированию. (демо)",
]


def _choices(rows: list[tuple[str, str, str, str]]) -> list[dict[str, str]]:
    return [{"key": k, "ky": ky, "ru": ru, "en": en} for k, ky, ru, en in rows]


def _survey(admin: User, today: datetime.date) -> FeedbackSurvey:
    survey = survey_save(
        by=admin,
        data=SurveyData(
            title={
                "ky": "Портал сизге канчалык пайдалуу? (демо)",
                "ru": "Насколько портал полезен вам? (демо)",
                "en": SURVEY_TITLE_EN,
            },
            intro={
                "ky": "Төрт суроо, эки мүнөт. Жоопторуңуз порталдын ишин жакшыртууга жардам "
                "берет. (демо)",
                "ru": "Четыре вопроса, две минуты. Ваши ответы помогут улучшить работу "
                "портала. (демо)",
                "en": "Four questions, two minutes. Your answers help improve the portal. (DEMO)",
            },
            opens_on=today - datetime.timedelta(days=90),
            closes_on=today + datetime.timedelta(days=180),
            for_all=True,
            active=True,
        ),
    )
    question_add(
        survey=survey,
        by=admin,
        kind=QuestionKind.RATING,
        role=QuestionRole.SATISFACTION,
        label={
            "ky": "Жалпысынан порталга канчалык ыраазысыз?",
            "ru": "Насколько вы в целом удовлетворены порталом?",
            "en": "Overall, how satisfied are you with the portal?",
        },
    )
    question_add(
        survey=survey,
        by=admin,
        kind=QuestionKind.MULTIPLE,
        role=QuestionRole.NEEDS,
        label={
            "ky": "Порталдан эмнеге көбүрөөк муктаждык сезесиз?",
            "ru": "Что вам больше всего нужно от портала?",
            "en": "What do you need most from the portal?",
        },
        choices=_choices(NEEDS),
    )
    question_add(
        survey=survey,
        by=admin,
        kind=QuestionKind.CHOICE,
        label={
            "ky": "Кайсы бөлүмдү эң көп колдоносуз?",
            "ru": "Каким разделом вы пользуетесь чаще всего?",
            "en": "Which section do you use most?",
        },
        choices=_choices(SECTIONS),
    )
    question_add(
        survey=survey,
        by=admin,
        kind=QuestionKind.TEXT,
        required=False,
        label={
            "ky": "Эмнени өзгөртүү керек?",
            "ru": "Что стоит изменить?",
            "en": "What should change?",
        },
    )
    return survey


def _respondents(rng: random.Random, now: datetime.datetime) -> list[User]:
    users = []
    number = 0
    for category in AudienceCategory:
        for _i in range(USERS_PER_CATEGORY):
            number += 1
            username = f"demo-audience-{number:02d}"
            name = f"{rng.choice(NAMES)} {rng.choice(SURNAMES)} (DEMO)"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@demo.aimak.local",
                    "full_name": name,
                    "audience_category": category.value,
                    "organisation": ORGANISATIONS[category.value],
                    "preferred_language": rng.choice(["ky", "ky", "ru"]),
                    "is_demo": True,
                    "date_joined": now - datetime.timedelta(days=rng.randint(1, 200)),
                },
            )
            if created:
                user.set_unusable_password()
                user.last_login = now - datetime.timedelta(days=rng.randint(0, 20))
                user.save(update_fields=["password", "last_login"])
            users.append(user)
    return users


def seed_audience(municipality: Territory) -> None:
    """One active demo survey and a response from each demo respondent (idempotent)."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    now = timezone.now()
    today = timezone.localdate()
    survey = FeedbackSurvey.objects.filter(title_en=SURVEY_TITLE_EN).first()
    if survey is not None:
        return
    admin = User.objects.get(username="demo-clientbase")
    survey = _survey(admin, today)
    questions = list(survey.questions.order_by("position"))
    rating, needs, section, comment = questions
    for user in _respondents(rng, now):
        mark = min(5, max(1, LEANING[user.audience_category] + rng.choice([-1, 0, 0, 1])))
        answers: dict[str, object] = {
            str(rating.pk): mark,
            str(needs.pk): rng.sample([k for k, *_rest in NEEDS], rng.randint(1, 3)),
            str(section.pk): rng.choice(SECTIONS)[0],
        }
        if rng.random() < 0.3:
            answers[str(comment.pk)] = rng.choice(COMMENTS)
        joined = max(0, (now - user.date_joined).days - 1)  # answered after joining
        hours = rng.randint(0, 23) if joined else 0
        response_submit(
            survey=survey,
            user=user,
            answers=answers,
            language=user.preferred_language,
            now=now - datetime.timedelta(days=rng.randint(0, min(60, joined)), hours=hours),
        )
