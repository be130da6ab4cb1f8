"""Demo data for aimak.plans (all marked as demo): Ак-Коргон's action plan after the
published 2025 report-card round (drinking water, solid waste) and a hearing or study."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aimak.accounts.models import User
from aimak.catalogue.models import Service
from aimak.events.models import Event, EventKind
from aimak.plans.models import (
    ActionStatus,
    FollowUp,
    FollowUpAnswer,
    Recommendation,
    Source,
    Verdict,
)
from aimak.plans.services import (
    EvidenceIn,
    action_create,
    action_set_status,
    contact_add,
    follow_up_answer,
    follow_ups_ask,
    milestone_add,
    recommendation_create,
    verification_add,
)
from aimak.surveys.models import Round
from aimak.territories.models import Territory

ROUND_KEY = "demo:round:41703204804000:2025"
DEMO_MUNICIPALITY = "41703204804000"
EVIDENCE_URL = "https://example.org/demo/ak-korgon/"

# Each recommendation: its texts, source, and actions as
# (ky, ru, responsible, days from today to the deadline, budget, funding, status key,
#  [(days ago, progress %, note, link)], verdict or "").
PLAN: list[dict[str, Any]] = [
    {
        "title_ky": "Ичүүчү сууну үзгүлтүксүз берүү (демо)",
        "title_ru": "Бесперебойная подача питьевой воды (демо)",
        "text_ky": "Жооп бергендердин көбү суу күнүнө бир нече саат гана келерин айтышты.",
        "text_ru": "Многие респонденты сообщили, что вода подаётся лишь несколько часов в день.",
        "source": Source.CRC_FINDING,
        "service": "drinking-water",
        "index": "water_reliability",
        "value": "41 % довольны",
        "priority": "high",
        "actions": [
            (
                "Борбордук суу түтүгүн оңдоо",
                "Отремонтировать магистральный водопровод",
                "Айыл өкмөтү, ЖКХ бөлүмү",
                -120,
                Decimal("850000"),
                "Жергиликтүү бюджет",
                "done",
                [(150, 40, "Закуплены трубы", "pipes"), (130, 80, "Заменено 2 км труб", "repair")],
                Verdict.VERIFIED,
            ),
            (
                "Суу берүү графигин илүү",
                "Вывесить график подачи воды в каждом селе",
                "Айыл өкмөтү",
                30,
                None,
                "",
                "in_progress",
                [(10, 60, "График вывешен в 3 из 5 сёл", "schedule")],
                "",
            ),
            (
                "Жаңы суу сактагыч куруу",
                "Построить новый резервуар",
                "Айыл өкмөтү, донор",
                300,
                Decimal("2400000"),
                "Донордук грант",
                "planned",
                [],
                "",
            ),
        ],
    },
    {
        "title_ky": "Суунун сапатын үзгүлтүксүз текшерүү (демо)",
        "title_ru": "Регулярная проверка качества воды (демо)",
        "text_ky": "Суунун сапатына канааттангандар аз.",
        "text_ru": "Качеством воды довольны немногие.",
        "source": Source.CRC_FINDING,
        "service": "drinking-water",
        "index": "water_quality",
        "value": "38 % довольны",
        "priority": "high",
        "actions": [
            (
                "Квартал сайын лабораториялык анализ",
                "Ежеквартальный лабораторный анализ воды",
                "Санэпиднадзор, айыл өкмөтү",
                -60,
                Decimal("60000"),
                "Жергиликтүү бюджет",
                "done",
                [(70, 100, "Анализ за 2-й квартал", "lab")],
                Verdict.DISPUTED,
            ),
            (
                "Анализдин жыйынтыктарын жарыялоо",
                "Публиковать результаты анализов",
                "Айыл өкмөтү",
                -30,
                None,
                "",
                "delayed",
                [],
                "",
            ),
        ],
    },
    {
        "title_ky": "Таштанды ташуунун графиги (демо)",
        "title_ru": "График вывоза мусора (демо)",
        "text_ky": "Таштанды качан ташыларын тургундар билбейт.",
        "text_ru": "Жители не знают, когда вывозят мусор.",
        "source": Source.CRC_FINDING,
        "service": "solid-waste",
        "index": "waste_reliability",
        "value": "",
        "priority": "medium",
        "actions": [
            (
                "Графикти жарыялоо",
                "Опубликовать график вывоза",
                "Муниципальное предприятие «Тазалык»",
                -40,
                None,
                "",
                "done",
                [(45, 100, "График на сайте и в WhatsApp-группах", "waste-schedule")],
                "",
            ),
            (
                "Контейнерлерди сатып алуу",
                "Закупить 40 контейнеров",
                "Муниципальное предприятие «Тазалык»",
                90,
                Decimal("320000"),
                "Жергиликтүү бюджет",
                "in_progress",
                [(5, 40, "Закуплено 16 контейнеров", "containers")],
                "",
            ),
        ],
    },
    {
        "title_ky": "Айылдардагы контейнер аянтчалары (демо)",
        "title_ru": "Контейнерные площадки в сёлах (демо)",
        "text_ky": "",
        "text_ru": "",
        "source": Source.CRC_FINDING,
        "service": "solid-waste",
        "index": "waste_satisfaction",
        "value": "52 % довольны",
        "priority": "low",
        "actions": [
            (
                "Аянтчалардын ордун тандоо",
                "Выбрать места площадок с жителями",
                "Айыл өкмөтү, староста",
                60,
                None,
                "",
                "planned",
                [],
                "",
            ),
        ],
    },
    {
        "title_ky": "Көчөлөрдү жарыктандыруу (демо)",
        "title_ru": "Уличное освещение на центральных улицах (демо)",
        "text_ky": "Тургундар кечинде көчөлөр караңгы экенин айтышты.",
        "text_ru": "Жители говорили, что вечером улицы не освещены.",
        "source": Source.HEARING,  # a study when the demo has no hearing
        "priority": "medium",
        "actions": [
            (
                "Чырактарды орнотуу",
                "Установить 60 светодиодных фонарей",
                "Айыл өкмөтү",
                150,
                Decimal("540000"),
                "Жергиликтүү бюджет",
                "in_progress",
                [(20, 25, "Установлено 15 фонарей", "lights")],
                "",
            ),
            (
                "Эски чырактарды алмаштыруу",
                "Заменить старые лампы",
                "Айыл өкмөтү",
                20,
                None,
                "",
                "cancelled",
                [],
                "",
            ),
        ],
    },
    {
        "title_ky": "Суу түтүгүн өнүгүү программасына киргизүү (демо)",
        "title_ru": "Включить водопровод в программу развития (демо)",
        "text_ky": "",
        "text_ru": "",
        "source": Source.PROGRAMME,
        "reference": "Программа социально-экономического развития Ак-Коргонского АА на 2026–2030 гг. (демо)",
        "priority": "high",
        "actions": [
            (
                "Долбоорду кеңешке киргизүү",
                "Внести проект в айылный кенеш",
                "Глава айыл окмоту",
                -10,
                None,
                "",
                "done",
                [],
                "",
            ),
        ],
    },
]


def seed_plans(municipality: Territory) -> None:
    """Add the demo's plans data; idempotent (a second seed changes nothing)."""
    if municipality.code != DEMO_MUNICIPALITY:
        return
    round = Round.objects.filter(key=ROUND_KEY).first()
    staff = User.objects.get(username="demo-staff")
    monitor = User.objects.get(username="demo-monitor")
    statuses = {s.key: s for s in ActionStatus.objects.all()}
    hearing = (
        Event.objects.filter(municipalities=municipality, kind=EventKind.HEARING_PRIORITIES)
        .order_by("starts_at")
        .first()
    )
    now = timezone.now()
    today = timezone.localdate()
    for spec in PLAN:
        if Recommendation.objects.filter(
            municipality=municipality, title_ru=spec["title_ru"]
        ).exists():
            continue
        source = spec["source"]
        values: dict[str, Any] = {}
        if source == Source.CRC_FINDING:
            if round is None:
                continue
            values.update(
                round=round,
                service=Service.objects.get(slug=spec["service"]),
                index=spec["index"],
                finding_value=spec["value"],
            )
        elif source == Source.HEARING:
            if hearing is not None:
                values["event"] = hearing
            else:
                source = Source.STUDY
                values["reference"] = "Опрос жителей на сельском сходе, 2025 (демо)"
        else:
            values["reference"] = spec["reference"]
        rec = recommendation_create(
            municipality=municipality,
            user=staff,
            title_ky=spec["title_ky"],
            title_ru=spec["title_ru"],
            text_ky=spec["text_ky"],
            text_ru=spec["text_ru"],
            source=source,
            priority=spec["priority"],
            published=True,
            **values,
        )
        if spec["title_ru"].startswith("Бесперебойная"):
            contact_add(
                recommendation=rec,
                user=staff,
                name="Айгүл (демо)",
                email="demo-resident@example.org",
                consent=True,
            )
        for ky, ru, responsible, due, budget, funding, key, milestones, verdict in spec["actions"]:
            started = now - datetime.timedelta(days=200)
            action = action_create(
                recommendation=rec,
                user=staff,
                title_ky=ky,
                title_ru=ru,
                responsible=responsible,
                responsible_user=staff if key != "cancelled" else None,
                deadline=today + datetime.timedelta(days=due),
                budget=budget,
                funding_source=funding,
                status=statuses["planned"],
                at=started,
            )
            for days_ago, progress, note, slug in milestones:
                milestone_add(
                    action=action,
                    user=staff,
                    date=today - datetime.timedelta(days=days_ago),
                    progress=progress,
                    note=note + " (демо)",
                    evidence=[EvidenceIn(url=EVIDENCE_URL + slug, title=note + " (демо)")],
                )
            if key != "planned":
                # Done actions were reported done a month ago, so follow-ups are due.
                when = now - datetime.timedelta(days=30 if key == "done" else 60)
                action_set_status(action=action, status=statuses[key], user=staff, at=when)
            if verdict:
                verification_add(
                    action=action,
                    user=monitor,
                    verdict=verdict,
                    comment=(
                        "Проверили на месте: трубы заменены (демо)."
                        if verdict == Verdict.VERIFIED
                        else "В двух сёлах анализ не проводился (демо)."
                    ),
                    evidence=[EvidenceIn(url=EVIDENCE_URL + "check", title="Фото проверки (демо)")],
                    at=now - datetime.timedelta(days=25),
                )
    # Ask whether done actions really are done; the demo resident answers the first one.
    if follow_ups_ask():
        first = Recommendation.objects.filter(
            municipality=municipality, title_ru=PLAN[0]["title_ru"]
        ).first()
        if first is not None:
            for follow_up in first.actions.filter(
                follow_ups__email="demo-resident@example.org"
            ).values_list("follow_ups__pk", flat=True):
                follow_up_answer(
                    follow_up=FollowUp.objects.get(pk=follow_up),
                    answer=FollowUpAnswer.DONE,
                    comment="Да, вода теперь идёт весь день (демо).",
                )
