"""Demo data for aimak.events and aimak.council (all marked as demo).

Eight events of Ак-Коргон (two shared with Ак-Там) over 2025–2026 with attendance — some
counted from registered participants, some typed from paper sign-in sheets — and four
council resolutions. Every object has a key, so a second seed changes nothing."""

from __future__ import annotations

import datetime
import random
from typing import Any
from zoneinfo import ZoneInfo

from aimak.accounts.models import User
from aimak.council.models import DecisionKind, Resolution
from aimak.council.services import resolution_create, resolution_link_add
from aimak.events.models import AgeGroup, AttendanceSource, Event, EventKind, Participant, Sex
from aimak.events.services import (
    attendance_set_totals,
    event_create,
    event_update,
    participant_register,
    participants_mark,
)
from aimak.surveys.models import Round
from aimak.territories.models import Territory

NEIGHBOUR = "41703204806000"  # Ак-Там айыл аймагы
TZ = ZoneInfo("Asia/Bishkek")

# plans' demo finds the priorities hearing by this key (see demo_priorities_hearing).
DEMO_PRIORITIES_HEARING_KEY = "demo:event:hearing-priorities-2026"
DEMO_BUDGET_HEARING_KEY = "demo:event:hearing-budget-2026"
DEMO_TARIFF_HEARING_KEY = "demo:event:hearing-tariff-water-2025"
DEMO_FOCUS_GROUP_KEY = "demo:event:focus-group-women-2025"


def demo_priorities_hearing() -> Event | None:
    """The demo's public hearing on priorities (2026), for other demo seeds."""
    return Event.objects.filter(key=DEMO_PRIORITIES_HEARING_KEY).first()


def _at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


def _sheet(
    women: int,
    men: int,
    ns: int,
    ages: tuple[int, int, int, int, int],
    vulnerable: tuple[int, int, int, int, int],
) -> dict[str, int]:
    assert sum(ages) == women + men + ns, "demo sheet must add up"
    return {
        "women": women,
        "men": men,
        "sex_not_stated": ns,
        "age_under_18": ages[0],
        "age_18_29": ages[1],
        "age_30_59": ages[2],
        "age_60_plus": ages[3],
        "age_not_stated": ages[4],
        "disability": vulnerable[0],
        "youth": vulnerable[1],
        "elderly": vulnerable[2],
        "minority": vulnerable[3],
        "low_income": vulnerable[4],
    }


# key, kind, [municipality codes], start, end hour, title ky, title ru, place, agenda ky, agenda ru,
# attendance: {code: sheet} or "participants"
EVENTS: list[dict] = [
    {
        "key": "demo:event:training-crc-2025",
        "kind": EventKind.TRAINING,
        "where": ["own"],
        "at": _at(2025, 4, 10),
        "hours": 6,
        "title_ky": "Жарандардын отчеттук карточкалары боюнча мониторинг тобун окутуу (демо)",
        "title_ru": "Обучение мониторинговой группы методике отчетных карточек граждан (демо)",
        "place": "Ак-Коргон, айыл өкмөтүнүн чоң залы",
        "agenda_ky": "1. Жарандардын отчеттук карточкалары деген эмне.\n2. Сурамжылоо жүргүзүү.\n"
        "3. Тандоо жана квоталар.",
        "agenda_ru": "1. Что такое отчетные карточки граждан.\n2. Проведение опроса.\n"
        "3. Выборка и квоты.",
        "sheets": {"own": _sheet(11, 7, 0, (0, 6, 10, 2, 0), (1, 6, 2, 1, 2))},
    },
    {
        "key": DEMO_FOCUS_GROUP_KEY,
        "kind": EventKind.FOCUS_GROUP,
        "where": ["own"],
        "at": _at(2025, 6, 5, 14),
        "hours": 2,
        "title_ky": "Аялдар менен фокус-топ: ичүүчү суу жана таштанды (демо)",
        "title_ru": "Фокус-группа с женщинами: питьевая вода и вывоз мусора (демо)",
        "place": "Сафедбулан, маданият үйү",
        "agenda_ky": "Суу жана таштанды чыгаруу кызматтары боюнча аялдардын пикири.",
        "agenda_ru": "Мнение женщин об услугах водоснабжения и вывоза мусора.",
        "sheets": {"own": _sheet(12, 0, 0, (0, 3, 7, 2, 0), (1, 3, 2, 2, 4))},
    },
    {
        "key": DEMO_TARIFF_HEARING_KEY,
        "kind": EventKind.HEARING_TARIFF,
        "where": ["own"],
        "at": _at(2025, 8, 14),
        "hours": 3,
        "title_ky": "Ичүүчү суунун тарифи боюнча коомдук угуу (демо)",
        "title_ru": "Публичные слушания по тарифу на питьевую воду (демо)",
        "place": "Ак-Коргон, мектептин актовый залы",
        "agenda_ky": "1. СООПВ «Ак-Коргон Суу» тарифтин долбоорун сунуштайт.\n"
        "2. Суроолор жана сунуштар.\n3. Протокол.",
        "agenda_ru": "1. СООПВ «Ак-Коргон Суу» представляет проект тарифа.\n"
        "2. Вопросы и предложения жителей.\n3. Протокол.",
        "participants": 34,
        "present": 29,
    },
    {
        "key": DEMO_BUDGET_HEARING_KEY,
        "kind": EventKind.HEARING_BUDGET,
        "where": ["own"],
        "at": _at(2025, 11, 20),
        "hours": 3,
        "title_ky": "2026-жылдын бюджетинин долбоору боюнча коомдук угуу (демо)",
        "title_ru": "Публичные слушания по проекту бюджета на 2026 год (демо)",
        "place": "Ак-Коргон, айыл өкмөтүнүн чоң залы",
        "agenda_ky": "1. Кирешелер жана чыгашалар.\n2. Гендердик жактан сезимтал беренелер.\n"
        "3. Жашоочулардын сунуштары.",
        "agenda_ru": "1. Доходы и расходы.\n2. Гендерно-чувствительные статьи.\n"
        "3. Предложения жителей.",
        "sheets": {"own": _sheet(34, 41, 3, (2, 14, 44, 15, 3), (4, 12, 15, 6, 9))},
    },
    {
        "key": "demo:event:open-session-2025-12",
        "kind": EventKind.OPEN_SESSION,
        "where": ["own"],
        "at": _at(2025, 12, 25, 11),
        "hours": 3,
        "title_ky": "Айылдык кеңештин ачык сессиясы: 2026-жылдын бюджети (демо)",
        "title_ru": "Открытая сессия айылного кенеша: бюджет на 2026 год (демо)",
        "place": "Ак-Коргон, айылдык кеңештин залы",
        "agenda_ky": "2026-жылдын бюджетин бекитүү.",
        "agenda_ru": "Утверждение бюджета на 2026 год.",
        "sheets": {"own": _sheet(9, 17, 1, (0, 3, 18, 6, 0), (1, 3, 6, 2, 2))},
    },
    {
        "key": DEMO_PRIORITIES_HEARING_KEY,
        "kind": EventKind.HEARING_PRIORITIES,
        "where": ["own", NEIGHBOUR],
        "at": _at(2026, 3, 12),
        "hours": 4,
        "title_ky": "Өнүгүү артыкчылыктары боюнча коомдук угуу, 2026 (демо)",
        "title_ru": "Публичные слушания по приоритетам развития, 2026 (демо)",
        "place": "Ак-Коргон, маданият үйү",
        "agenda_ky": "1. 2025-жылдагы отчеттук карточкалардын жыйынтыктары.\n"
        "2. Артыкчылыктарды тандоо.\n3. Сунуштар.",
        "agenda_ru": "1. Итоги отчетных карточек граждан 2025 года.\n2. Выбор приоритетов.\n3. Рекомендации.",
        "sheets": {
            "own": _sheet(47, 39, 4, (3, 19, 49, 15, 4), (5, 17, 15, 8, 13)),
            NEIGHBOUR: _sheet(21, 18, 2, (1, 8, 23, 8, 1), (2, 7, 8, 3, 6)),
        },
    },
    {
        "key": "demo:event:campaign-crc-2026",
        "kind": EventKind.CAMPAIGN,
        "where": ["own", NEIGHBOUR],
        "at": _at(2026, 4, 20, 9),
        "hours": 8,
        "title_ky": "Маалымат кампаниясы: 2026-жылдагы отчеттук карточкалар боюнча сурамжылоо (демо)",
        "title_ru": "Информационная кампания: опрос по отчетным карточкам граждан 2026 года (демо)",
        "place": "Ак-Коргон жана Ак-Там айылдары, базар жана мектептер",
        "agenda_ky": "Жашоочуларга сурамжылоо жөнүндө маалымат берүү, баракчаларды таратуу.",
        "agenda_ru": "Информирование жителей об опросе, раздача листовок.",
        "sheets": {
            "own": _sheet(88, 64, 11, (14, 41, 71, 26, 11), (6, 38, 26, 12, 21)),
            NEIGHBOUR: _sheet(52, 40, 6, (9, 24, 43, 16, 6), (3, 22, 16, 7, 12)),
        },
    },
    {
        "key": "demo:event:consultation-action-plan-2026",
        "kind": EventKind.CONSULTATION,
        "where": ["own"],
        "at": _at(2026, 12, 17, 15),
        "hours": 2,
        "title_ky": "Иш-аракеттер планы боюнча консультация (демо)",
        "title_ru": "Консультация по плану действий (демо)",
        "place": "Ак-Коргон, айыл өкмөтү, 2-кабат",
        "online_url": "https://meet.jit.si/aimak-demo-ak-korgon",
        "agenda_ky": "Сунуштардын аткарылышы жана жаңы иш-аракеттер.",
        "agenda_ru": "Выполнение рекомендаций и новые действия.",
        "check_in_code": "4821",
        "participants": 6,
        "present": 0,
    },
]

FIRST_NAMES_F = ["Айгүл", "Гүлнара", "Нургүл", "Айжан", "Бермет", "Жыпар", "Чолпон", "Динара"]
FIRST_NAMES_M = ["Бакыт", "Нурлан", "Азамат", "Улан", "Талант", "Эрмек", "Мирлан", "Адилет"]
LAST_NAMES = ["Асанова", "Токтосунова", "Садыкова", "Жумабаева", "Абдыраева", "Осмонова"]


def _participants(event: Event, count: int, rng: random.Random) -> list[Participant]:
    made = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.52:
            sex, name = Sex.FEMALE, f"{rng.choice(FIRST_NAMES_F)} {rng.choice(LAST_NAMES)}"
        elif roll < 0.95:
            sex = Sex.MALE
            name = f"{rng.choice(FIRST_NAMES_M)} {rng.choice(LAST_NAMES).removesuffix('а')}"
        else:
            sex, name = Sex.NOT_STATED, f"{rng.choice(FIRST_NAMES_M)} (демо)"
        age = rng.choices(
            [AgeGroup.AGE_18_29, AgeGroup.AGE_30_59, AgeGroup.AGE_60_PLUS, AgeGroup.NOT_STATED],
            weights=[20, 55, 20, 5],
        )[0]
        made.append(
            participant_register(
                event=event,
                name=f"{name} (демо)" if "(демо)" not in name else name,
                contact=f"+996 700 {event.pk % 100:02d}{i:02d} 00",
                sex=sex,
                age_group=age,
                disability=rng.random() < 0.06,
                youth=age == AgeGroup.AGE_18_29 and rng.random() < 0.8,
                elderly=age == AgeGroup.AGE_60_PLUS,
                minority=rng.random() < 0.08,
                low_income=rng.random() < 0.15,
                notify_organisers=False,
            )
        )
    return made


def seed_events(municipality: Territory) -> None:
    """Add the demo's events and council resolutions; idempotent (keyed)."""
    staff = User.objects.get(username="demo-staff")
    facilitator = User.objects.get(username="demo-facilitator")
    deputy = User.objects.get(username="demo-deputy")
    neighbour = Territory.objects.filter(code=NEIGHBOUR).first()
    places = {"own": municipality, NEIGHBOUR: neighbour}
    rng = random.Random(2026)  # noqa: S311 - made-up demo people, not a secret
    for spec in EVENTS:
        if Event.objects.filter(key=spec["key"]).exists():
            continue
        where = [unit for c in spec["where"] if (unit := places.get(c)) is not None]
        joint = len(where) > 1
        user = facilitator if joint else staff
        sheets = spec.get("sheets")
        event = event_create(
            key=spec["key"],
            title_ky=spec["title_ky"],
            title_ru=spec["title_ru"],
            kind=spec["kind"],
            municipalities=where,
            starts_at=spec["at"],
            ends_at=spec["at"] + datetime.timedelta(hours=spec["hours"]),
            place=spec["place"],
            online_url=spec.get("online_url", ""),
            agenda_ky=spec["agenda_ky"],
            agenda_ru=spec["agenda_ru"],
            check_in_code=spec.get("check_in_code", ""),
            registration_open=not sheets,
            attendance_source=AttendanceSource.SHEET if sheets else AttendanceSource.PARTICIPANTS,
            minutes=(
                "Протокол (демо): слушания проведены, предложения жителей записаны."
                if spec["at"] < _at(2026, 12, 1)
                else ""
            ),
            user=user,
        )
        if sheets:
            for code, values in sheets.items():
                unit = places.get(code)
                if unit is not None:
                    attendance_set_totals(event=event, municipality=unit, user=user, **values)
        else:
            people = _participants(event, spec["participants"], rng)
            if spec["present"]:
                participants_mark(
                    event=event, present=[p.pk for p in people[: spec["present"]]], user=user
                )
            if spec["at"] < _at(2026, 12, 1):
                event_update(event=event, user=user, registration_open=False)
    _resolutions(municipality, deputy)


def _resolutions(municipality: Territory, user: User) -> None:
    from aimak.demo.seed import DEMO_PUBLISHED_ROUND_KEY

    events = {e.key: e for e in Event.objects.filter(key__startswith="demo:event:")}
    specs: list[dict[str, Any]] = [
        {
            "key": "demo:resolution:gender-policy-2025",
            "number": "14-2 (демо)",
            "date": datetime.date(2025, 3, 28),
            "title_ky": "Гендердик жана социалдык жактан сезимтал кызмат көрсөтүү саясатын "
            "кабыл алуу жөнүндө (демо)",
            "title_ru": "О принятии гендерно- и социально-чувствительной политики "
            "предоставления услуг (демо)",
            "decisions": [
                (
                    DecisionKind.GENDER_POLICY,
                    "Услуги планируются и оцениваются с учётом мнения женщин, мужчин и "
                    "уязвимых групп (демо).",
                )
            ],
        },
        {
            "key": "demo:resolution:crc-2025",
            "number": "16-4 (демо)",
            "date": datetime.date(2025, 7, 18),
            "title_ky": "Жарандардын отчеттук карточкаларын жыл сайын жүргүзүү жөнүндө (демо)",
            "title_ru": "О ежегодном проведении отчетных карточек граждан (демо)",
            "decisions": [
                (
                    DecisionKind.INSTITUTIONALISE_CRC,
                    "Отчетные карточки граждан проводятся ежегодно; итоги рассматриваются на сессии (демо).",
                )
            ],
            "round": DEMO_PUBLISHED_ROUND_KEY,
        },
        {
            "key": "demo:resolution:water-tariff-2025",
            "number": "17-1 (демо)",
            "date": datetime.date(2025, 8, 29),
            "title_ky": "Ичүүчү суунун тарифин бекитүү жөнүндө (демо)",
            "title_ru": "Об утверждении тарифа на питьевую воду (демо)",
            "decisions": [
                (
                    DecisionKind.TARIFF,
                    "Тариф 25 сомов за кубометр; льгота для малообеспеченных семей (демо).",
                )
            ],
            "event": DEMO_TARIFF_HEARING_KEY,
        },
        {
            "key": "demo:resolution:budget-2026",
            "number": "19-1 (демо)",
            "date": datetime.date(2025, 12, 25),
            "title_ky": "Ак-Коргон айыл аймагынын 2026-жылга бюджетин бекитүү жөнүндө (демо)",
            "title_ru": "Об утверждении бюджета Ак-Коргонского айыл аймака на 2026 год (демо)",
            "decisions": [(DecisionKind.BUDGET, "Бюджет на 2026 год утверждён (демо).")],
            "event": DEMO_BUDGET_HEARING_KEY,
            "links": ["demo:event:open-session-2025-12"],
        },
    ]
    for spec in specs:
        if Resolution.objects.filter(key=spec["key"]).exists():
            continue
        resolution = resolution_create(
            key=spec["key"],
            municipality=municipality,
            number=spec["number"],
            date=spec["date"],
            title_ky=spec["title_ky"],
            title_ru=spec["title_ru"],
            decisions=spec["decisions"],
            event=events.get(spec.get("event", "")),
            user=user,
        )
        round = Round.objects.filter(key=spec.get("round") or "-").first()
        if round is not None:
            resolution_link_add(resolution=resolution, target=round, user=user)
        for key in spec.get("links", []):
            if key in events:
                resolution_link_add(resolution=resolution, target=events[key], user=user)
