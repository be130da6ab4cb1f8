"""The demo municipality: Ак-Коргон ayil aimak (Ala-Buka district, Jalal-Abad region),
one of the pilot municipalities of the Union of LSGs (seed 002). Everything made here is
demo data, marked as such; running the seed twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from aimak.accounts.models import Membership, Role, User
from aimak.accounts.services import membership_grant
from aimak.catalogue.models import ProviderType, Service, ServiceProvision
from aimak.catalogue.services import provision_set
from aimak.demo.answers import demo_answers
from aimak.demo.audience import seed_audience
from aimak.demo.communities import seed_communities
from aimak.demo.contests import seed_contests
from aimak.demo.events import seed_events
from aimak.demo.inclusion import seed_inclusion
from aimak.demo.learning import seed_learning
from aimak.demo.mentoring import seed_mentoring
from aimak.demo.news import seed_news
from aimak.demo.notifications import seed_notifications
from aimak.demo.plans import seed_plans
from aimak.demo.practices import seed_practices
from aimak.demo.questions import seed_questions
from aimak.legal.loader import DEFAULT_FILES as LEGAL_ACTS_FILES
from aimak.legal.services import legal_acts_load
from aimak.results.models import PopulationStructure
from aimak.results.services import population_structure_set
from aimak.surveys.collection import interview_submit, version_checker
from aimak.surveys.definition import QuestionType, Text
from aimak.surveys.models import (
    InterviewSource,
    PopulationUnit,
    Questionnaire,
    Round,
    RoundStatus,
)
from aimak.surveys.rounds import (
    VillageFigure,
    plan_allocate,
    plan_assign,
    plan_set,
    plan_villages_set,
    round_advance,
    round_create,
)
from aimak.surveys.selectors import plan_villages
from aimak.surveys.services import (
    questionnaire_create_from_templates,
    questionnaire_templates_load,
    version_publish,
)
from aimak.territories.models import Territory, TerritoryLoad
from aimak.territories.services import territories_load, territory_population_set

DEMO_MUNICIPALITY = "41703204804000"  # Ак-Коргон айыл аймагы
DEMO_NEIGHBOUR = "41703204806000"  # Ак-Там айыл аймагы, also a pilot
DEMO_PASSWORD = "aimak-demo-2026"  # noqa: S105 - printed for the demo on purpose
REFORM_FILE = Path(__file__).parent / "data" / "reform_example.csv"
DEMO_LABEL = "DEMO: illustrative merger (not official)"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    role: str
    language: str
    audience: str
    where: tuple[str, ...] = ()


PEOPLE = (
    DemoPerson("demo-staff", "Айгүл Токтосунова", Role.STAFF, "ky", "lsg", (DEMO_MUNICIPALITY,)),
    DemoPerson("demo-deputy", "Бакыт Абдыкалыков", Role.DEPUTY, "ky", "lsg", (DEMO_MUNICIPALITY,)),
    DemoPerson(
        "demo-monitor", "Жылдыз Мамытова", Role.MONITOR, "ky", "community", (DEMO_MUNICIPALITY,)
    ),
    DemoPerson(
        "demo-enumerator", "Эрлан Осмонов", Role.ENUMERATOR, "ky", "community", (DEMO_MUNICIPALITY,)
    ),
    DemoPerson(
        "demo-facilitator",
        "Наталья Ким",
        Role.FACILITATOR,
        "ru",
        "expert_ngo",
        (DEMO_MUNICIPALITY, DEMO_NEIGHBOUR),
    ),
    DemoPerson("demo-programme", "Марат Исаев", Role.PROGRAMME_MANAGER, "ru", "donor"),
    DemoPerson("demo-content", "Гүлнара Асанова", Role.CONTENT_ADMIN, "ky", "state"),
    DemoPerson("demo-clientbase", "Елена Петрова", Role.CLIENTBASE_ADMIN, "ru", "state"),
    DemoPerson("demo-expert", "Таалай Жумабаев", Role.EXPERT, "ru", "expert_ngo"),
    DemoPerson("demo-admin", "Азамат Садыков", Role.SYSADMIN, "ky", "state"),
)

PROVIDERS = (
    ("drinking-water", ProviderType.COMMUNITY, "СООПВ «Ак-Коргон Суу» (демо)"),
    ("solid-waste", ProviderType.MUNICIPAL_ENTERPRISE, "МП «Таза Айыл» (демо)"),
    ("street-lighting", ProviderType.LSG, ""),
    ("local-roads", ProviderType.LSG, ""),
    ("kindergartens", ProviderType.LSG, "Бала бакча «Балапан» (демо)"),
    ("culture", ProviderType.LSG, "Маданият үйү (демо)"),
    ("pastures", ProviderType.COMMUNITY, "Жайыт комитети (демо)"),
    ("irrigation", ProviderType.PRIVATE, "ЖЧК «Сугат-Сервис» (демо)"),
)


def demo_seed() -> list[tuple[str, str, str]]:
    """Create the demo; returns (username, role, where) for each demo account."""
    with transaction.atomic():
        if not TerritoryLoad.objects.filter(label=DEMO_LABEL).exists():
            territories_load(path=REFORM_FILE, label=DEMO_LABEL, allow_partial=True)
        municipality = Territory.objects.get(code=DEMO_MUNICIPALITY)
        admin = _people()
        if municipality.population is None:
            territory_population_set(
                territory=municipality,
                population=14_870,
                year=2025,
                source="DEMO: household register of the ayil okmotu",
            )
        for slug, provider_type, name in PROVIDERS:
            service = Service.objects.get(slug=slug)
            if not ServiceProvision.objects.filter(
                municipality=municipality, service=service
            ).exists():
                provision_set(
                    municipality=municipality,
                    service=service,
                    provider_type=provider_type,
                    provider_name=name,
                    note="",
                    user=admin,
                )
        _questionnaires(municipality)
        # Real legal acts (not demo data): idempotent, so a second seed changes nothing.
        legal_acts_load(paths=LEGAL_ACTS_FILES)
        _round(municipality)
        _published_round(municipality)
        # Each area's demo lives beside this module; the order follows their dependencies.
        seed_events(municipality)
        seed_plans(municipality)
        seed_inclusion(municipality)
        seed_notifications(municipality)
        seed_news(municipality)
        seed_practices(municipality)
        seed_questions(municipality)
        seed_contests(municipality)
        seed_learning(municipality)
        seed_mentoring(municipality)
        seed_communities(municipality)
        seed_audience(municipality)
    return [
        (
            p.username,
            str(Role(p.role).label),
            ", ".join(Territory.objects.get(code=c).name_ru or c for c in p.where) or "national",
        )
        for p in PEOPLE
    ]


DEMO_QUESTIONNAIRE_KEY = f"demo:crc:{DEMO_MUNICIPALITY}"
DEMO_QUESTIONNAIRE_SERVICES = ("drinking-water", "solid-waste")


def _questionnaires(municipality: Territory) -> None:
    """The standard templates, and a published report card on drinking water and solid
    waste for the demo municipality, made and published by its demo staff member."""
    questionnaire_templates_load()
    if Questionnaire.objects.filter(key=DEMO_QUESTIONNAIRE_KEY).exists():
        return
    staff = User.objects.get(username="demo-staff")
    questionnaire = questionnaire_create_from_templates(
        municipality=municipality,
        services=Service.objects.filter(slug__in=DEMO_QUESTIONNAIRE_SERVICES),
        user=staff,
        key=DEMO_QUESTIONNAIRE_KEY,
        title=Text(
            ky="ДЕМО: Жарандардын отчеттук карточкасы, 2026",
            ru="ДЕМО: Отчетная карточка граждан, 2026",
            en="DEMO: Citizen report card, 2026",
        ),
    )
    version_publish(version=questionnaire.versions.get(number=1), user=staff)


def _people() -> User:
    admin = None
    for person in PEOPLE:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "email": f"{person.username}@demo.aimak.local",
                "full_name": person.full_name,
                "preferred_language": person.language,
                "audience_category": person.audience,
                "organisation": "DEMO",
                "is_demo": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if person.role == Role.SYSADMIN:
                user.is_staff = user.is_superuser = True
            user.save()
        if person.role == Role.SYSADMIN:
            admin = user
        places = person.where or (None,)
        for code in places:
            unit = Territory.objects.get(code=code) if code else None
            if (
                not Membership.objects.active()
                .filter(user=user, role=person.role, municipality=unit)
                .exists()
            ):
                membership_grant(
                    user=user, role=person.role, municipality=unit, granted_by=admin, note="DEMO"
                )
    assert admin is not None
    return admin


DEMO_ROUND_KEY = f"demo:round:{DEMO_MUNICIPALITY}"
DEMO_VILLAGE_SOURCE = "DEMO: made-up household counts, not official"
# DEMO: made-up household counts per village of Ак-Коргон; they add up to 3,305
# households, about the municipality's 14,870 persons at 4.5 persons per household.
DEMO_VILLAGE_HOUSEHOLDS = {
    "41703204804010": 820,  # Ак-Коргон
    "41703204804020": 410,  # Сафедбулан
    "41703204804030": 295,  # Падек
    "41703204804040": 260,  # Баястан
    "41703204827010": 350,  # Тенги
    "41703204827020": 280,  # Ак-Тайлак
    "41703204827030": 240,  # Бирлешкен
    "41703204827040": 225,  # Кош-Болот
    "41703204827050": 230,  # Сара-Кол
    "41703204827060": 195,  # Телеке
}


def _round(municipality: Territory) -> None:
    """DEMO: a round on drinking water and solid waste with the demo questionnaire, in
    collection, with its sample plan computed, allocated and given to the demo enumerator."""
    monitor = User.objects.get(username="demo-monitor")
    enumerator = User.objects.get(username="demo-enumerator")
    existing = Round.objects.filter(key=DEMO_ROUND_KEY).first()
    if existing is not None:
        if existing.status == RoundStatus.COLLECTING and not existing.interviews.exists():
            _interviews(existing, enumerator)
        return
    questionnaire = Questionnaire.objects.get(key=DEMO_QUESTIONNAIRE_KEY)
    round = round_create(
        municipality=municipality,
        version=questionnaire.versions.get(number=1),
        services=list(Service.objects.filter(slug__in=DEMO_QUESTIONNAIRE_SERVICES)),
        start_date=datetime.date(2026, 5, 4),
        end_date=datetime.date(2026, 5, 29),
        monitors=[monitor],
        enumerators=[enumerator],
        user=monitor,
        key=DEMO_ROUND_KEY,
    )
    plan = plan_set(
        round=round,
        margin=Decimal("5"),
        confidence=95,
        design_effect=Decimal("1.5"),
        proportion=Decimal("0.5"),
        unit=PopulationUnit.HOUSEHOLDS,
        household_size=Decimal("4.5"),
        men_share=Decimal("49"),
        sex_source="",
        user=monitor,
    )
    rows = plan_villages(plan=plan)
    plan_villages_set(
        plan=plan,
        figures=[
            VillageFigure(
                village_id=row.village_id,
                figure=DEMO_VILLAGE_HOUSEHOLDS.get(row.village.code),
                year=2025,
                source=DEMO_VILLAGE_SOURCE,
                excluded=row.village.code not in DEMO_VILLAGE_HOUSEHOLDS,
            )
            for row in rows
        ],
        user=monitor,
    )
    plan_allocate(plan=plan, user=monitor)
    plan_assign(plan=plan, assignments={row.pk: [enumerator] for row in rows}, user=monitor)
    round = round_advance(round=round, to_status=RoundStatus.COLLECTING, user=monitor)
    _interviews(round, enumerator)


# DEMO: how many made-up interviews the demo round holds (about a third of its sample), so
# progress against quotas shows a round half way through its field work.
DEMO_INTERVIEWS = 120
DEMO_INTERVIEW_NAMESPACE = uuid.UUID("6f1c1a52-4d0e-4c55-9a57-0d3c7b0c2a11")


def _interviews(round: Round, enumerator: User) -> None:
    """DEMO: made-up interviews by the demo enumerator, spread over the planned villages
    in proportion to their quotas, sent through the same service as the phone form."""
    checker = version_checker(round.version)
    plan_rows = [r for r in plan_villages(plan=round.plan) if r.sample]
    codes = [r.village.code for r in plan_rows]
    weights = [r.sample or 0 for r in plan_rows]
    rng = random.Random(2026)  # noqa: S311 - made-up demo answers, not a secret
    made = 0
    while made < DEMO_INTERVIEWS:
        village = rng.choices(codes, weights=weights)[0]
        answers = demo_answers(checker, rng, villages=[village])
        if answers.get("consent") != "yes":
            continue
        answers["village"] = village
        completed = datetime.datetime(
            2026,
            5,
            4 + made * 20 // DEMO_INTERVIEWS,
            9 + rng.randint(0, 8),
            rng.randint(0, 59),
            tzinfo=datetime.UTC,
        )
        interview_submit(
            round=round,
            interview_id=uuid.uuid5(DEMO_INTERVIEW_NAMESPACE, str(made)),
            answers=answers,
            user=enumerator,
            source=InterviewSource.PHONE,
            started_at=completed - datetime.timedelta(minutes=rng.randint(12, 25)),
            completed_at=completed,
        )
        made += 1


# --- DEMO: an earlier, published round with results (the report-card dashboards) ----------

DEMO_PUBLISHED_ROUND_KEY = f"demo:round:{DEMO_MUNICIPALITY}:2025"
DEMO_PUBLISHED_INTERVIEWS = 300
DEMO_STRUCTURE_SOURCE = "DEMO: made-up figures, not official"
# DEMO: made-up adults of Ак-Коргон by sex and age group (weights both demo rounds).
DEMO_STRUCTURE_CELLS = {
    "male": {"18_29": 1450, "30_44": 1350, "45_59": 950, "60_plus": 550},
    "female": {"18_29": 1400, "30_44": 1400, "45_59": 1050, "60_plus": 800},
}


def _published_round(municipality: Territory) -> None:
    """DEMO: the 2025 round of the demo municipality, closed and published with 300
    made-up interviews (ratings a little lower than in 2026, so that the change between
    rounds shows something), and a made-up population structure that weights its results:
    the demo's public results page and its change between rounds."""
    if Round.objects.filter(key=DEMO_PUBLISHED_ROUND_KEY).exists():
        return
    monitor = User.objects.get(username="demo-monitor")
    enumerator = User.objects.get(username="demo-enumerator")
    if not PopulationStructure.objects.filter(municipality=municipality).exists():
        population_structure_set(
            municipality=municipality,
            year=2025,
            source=DEMO_STRUCTURE_SOURCE,
            cells=DEMO_STRUCTURE_CELLS,
            user=monitor,
        )
    version = Questionnaire.objects.get(key=DEMO_QUESTIONNAIRE_KEY).versions.get(number=1)
    round = round_create(
        municipality=municipality,
        version=version,
        services=list(Service.objects.filter(slug__in=DEMO_QUESTIONNAIRE_SERVICES)),
        start_date=datetime.date(2025, 5, 5),
        end_date=datetime.date(2025, 5, 30),
        monitors=[monitor],
        user=monitor,
        key=DEMO_PUBLISHED_ROUND_KEY,
    )
    round = round_advance(round=round, to_status=RoundStatus.COLLECTING, user=monitor)
    checker = version_checker(round.version)
    ratings = {
        name
        for name, compiled in checker.questions.items()
        if compiled.question.type == QuestionType.RATING
    }
    codes = list(DEMO_VILLAGE_HOUSEHOLDS)
    weights = list(DEMO_VILLAGE_HOUSEHOLDS.values())
    rng = random.Random(2025)  # noqa: S311 - made-up demo answers, not a secret
    made = 0
    while made < DEMO_PUBLISHED_INTERVIEWS:
        village = rng.choices(codes, weights=weights)[0]
        answers = demo_answers(checker, rng, villages=[village])
        if answers.get("consent") != "yes":
            continue
        for name in ratings & answers.keys():  # a year earlier, services rated lower
            value = answers[name]
            if value in ("2", "3", "4", "5") and rng.random() < 0.3:
                answers[name] = str(int(value) - 1)
        completed = datetime.datetime(
            2025,
            5,
            5 + made * 24 // DEMO_PUBLISHED_INTERVIEWS,
            9 + rng.randint(0, 8),
            rng.randint(0, 59),
            tzinfo=datetime.UTC,
        )
        interview_submit(
            round=round,
            interview_id=uuid.uuid5(DEMO_INTERVIEW_NAMESPACE, f"2025:{made}"),
            answers=answers,
            user=enumerator,
            source=InterviewSource.PAPER if made % 3 else InterviewSource.PHONE,
            started_at=completed - datetime.timedelta(minutes=rng.randint(12, 25)),
            completed_at=completed,
        )
        made += 1
    round = round_advance(round=round, to_status=RoundStatus.CLOSED, user=monitor)
    round_advance(round=round, to_status=RoundStatus.PUBLISHED, user=monitor)
