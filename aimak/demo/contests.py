"""Demo data for aimak.contests (all marked as demo): a finished contest with published
results, and one in public voting with a jury at work, verified voters, votes and one
flagged pattern."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from aimak.accounts.models import User
from aimak.contests.models import (
    Application,
    AppStatus,
    ConflictDeclaration,
    Contest,
    ContestField,
    Criterion,
    FieldKind,
    JuryMember,
    VerificationMethod,
    Vote,
    VoterVerification,
)
from aimak.contests.services import Award, scores_save, vote_cast, winners_set
from aimak.practices.models import Theme
from aimak.territories.models import MUNICIPAL_LEVELS, Territory

FINISHED = "demo-best-municipal-service-2025"
VOTING = "demo-clean-village-2026"
# Voting over, results not yet published: the secretary's next task.
CLOSED = "demo-open-budget-2026"
NEIGHBOUR = "41703204806000"  # Ак-Там
JURY = ("demo-expert", "demo-facilitator", "demo-programme")
VOTERS = tuple(f"demo-voter-{n}" for n in range(1, 7))
# Verified, but left without a vote so that a visitor can try voting as them.
VERIFIED_ONLY = ("demo-deputy", "demo-clientbase")
VOTED = ("demo-monitor", "demo-enumerator")
DEMO_PASSWORD = "aimak-demo-2026"  # noqa: S105 - the demo password, as in seed.py

# A minimal valid PDF (one empty page) stands for the demo contests' regulations document.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

FIELDS: tuple[tuple[str, str, str, bool, list[str]], ...] = (
    (FieldKind.LONG, "Долбоордун кыскача баяндамасы", "Краткое описание проекта", True, []),
    (FieldKind.NUMBER, "Долбоордун бюджети, сом", "Бюджет проекта, сом", True, []),
    (
        FieldKind.CHOICE,
        "Тармак",
        "Сфера",
        True,
        ["Суу / Вода", "Таштанды / Отходы", "Жол / Дороги"],
    ),
    (FieldKind.FILE, "Колдоо каты (милдеттүү эмес)", "Письмо поддержки (необязательно)", False, []),
)
CRITERIA = (
    ("Актуалдуулугу", "Актуальность", 10, Decimal("2")),
    ("Жарандардын катышуусу", "Участие жителей", 10, Decimal("1.5")),
    ("Туруктуулугу", "Устойчивость", 10, Decimal("1")),
)
PROJECTS = (
    ("Таза суу ар бир үйгө (демо)", "Чистая вода в каждый дом (демо)", "Суу / Вода", 1_250_000),
    (
        "Таштанды сорттоо пункту (демо)",
        "Пункт сортировки отходов (демо)",
        "Таштанды / Отходы",
        480_000,
    ),
    ("Айыл көчөлөрүн оңдоо (демо)", "Ремонт сельских улиц (демо)", "Жол / Дороги", 2_100_000),
    ("Жашыл айыл (демо)", "Зелёное село (демо)", "Таштанды / Отходы", 300_000),
)


def _municipalities(home: Territory) -> list[Territory]:
    today = datetime.date.today()
    others = (
        Territory.objects.filter(level__in=MUNICIPAL_LEVELS)
        .exclude(pk=home.pk)
        .exclude(valid_to__lt=today)
        .order_by("code")
    )
    chosen = [home]
    neighbour = others.filter(code=NEIGHBOUR).first()
    if neighbour is not None:
        chosen.append(neighbour)
    chosen += list(others.exclude(code=NEIGHBOUR).exclude(parent_id=home.parent_id)[:2])
    return chosen[:4]


def _contest(*, slug: str, number: str, title: tuple[str, str], description: tuple[str, str],
             dates: tuple[datetime.datetime, ...], secretary: User, theme: Theme | None) -> Contest:  # fmt: skip
    contest = Contest(
        slug=slug, number=number, secretary=secretary, theme=theme,
        title_ky=title[0], title_ru=title[1], title_en="",
        description_ky=f"<p>{description[0]}</p>", description_ru=f"<p>{description[1]}</p>",
        call_opens=dates[0], call_closes=dates[1], voting_opens=dates[2], voting_closes=dates[3],
        announced_at=dates[0] - datetime.timedelta(days=7),
    )  # fmt: skip
    contest.regulations.save(f"{slug}-regulations.pdf", ContentFile(PDF), save=False)
    contest.regulations_kind = "pdf"
    contest.save()
    for n, (kind, ky, ru, required, choices) in enumerate(FIELDS, start=1):
        ContestField.objects.create(contest=contest, kind=kind, label_ky=ky, label_ru=ru,
                                    required=required, choices=choices, position=n)  # fmt: skip
    for n, (ky, ru, top, weight) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(contest=contest, name_ky=ky, name_ru=ru, max_score=top,
                                 weight=weight, position=n)  # fmt: skip
    return contest


def _applications(
    contest: Contest, places: list[Territory], staff: User, secretary: User
) -> list[Application]:
    fields = list(contest.fields.all())
    made = []
    for seq, (place, (ky, ru, sector, budget)) in enumerate(
        zip(places, PROJECTS, strict=False), start=1
    ):
        made.append(
            Application.objects.create(
                contest=contest, municipality=place, title=f"{ru} / {ky}",
                submitted_by=staff if seq == 1 else secretary, status=AppStatus.REGISTERED,
                answers={str(fields[0].pk): f"{ru}. {ky}.", str(fields[1].pk): str(budget),
                         str(fields[2].pk): sector},
                submitted_at=contest.call_closes - datetime.timedelta(days=3),
                registration_seq=seq, registration_number=f"{contest.number}/{seq:03d}",
                registered_at=contest.call_closes - datetime.timedelta(days=1),
                registered_by=secretary,
            )
        )  # fmt: skip
    return made


def _jury(contest: Contest, applications: list[Application], *, conflict: bool, all_: bool) -> None:
    criteria = list(contest.criteria.all())
    members = [
        JuryMember.objects.create(contest=contest, user=user)
        for user in User.objects.filter(username__in=JURY).order_by("username")
    ]
    for m, member in enumerate(members):
        for a, application in enumerate(applications):
            if not all_ and a >= 2 and m == 0:
                continue  # the commission is still at work
            has_conflict = conflict and m == 1 and a == 0
            ConflictDeclaration.objects.create(member=member, application=application,
                                               has_conflict=has_conflict,
                                               note="Демо: мурдагы кызматташ (демо)" if has_conflict else "")  # fmt: skip
            if has_conflict:
                continue
            values = {c.pk: max(0, c.max_score - 1 - ((a + m + c.position) % 4)) for c in criteria}
            scores_save(member=member, application=application, by=member.user, values=values)


def _voter(username: str, n: int) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@demo.aimak.local", "full_name": f"Жаран {n} (демо)",
                  "preferred_language": "ky", "audience_category": "citizen",
                  "organisation": "DEMO", "is_demo": True},
    )  # fmt: skip
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed_contests(municipality: Territory) -> None:
    if Contest.objects.filter(slug__in=(FINISHED, VOTING, CLOSED)).exists():
        return
    with transaction.atomic():
        secretary = User.objects.get(username="demo-content")
        staff = User.objects.get(username="demo-staff")
        theme = Theme.objects.order_by("position").first()
        places = _municipalities(municipality)
        now = timezone.now()
        day = datetime.timedelta(days=1)

        # Finished, with published results.
        finished = _contest(
            slug=FINISHED, number=f"{(now - 200 * day).year}-90",
            title=("Мыкты муниципалдык кызмат (демо)", "Лучшая муниципальная услуга (демо)"),
            description=("Мыкты кызмат көрсөткөн муниципалитеттердин сынагы (демо).",
                         "Конкурс муниципалитетов с лучшими услугами (демо)."),
            dates=(now - 200 * day, now - 170 * day, now - 150 * day, now - 140 * day),
            secretary=secretary, theme=theme,
        )  # fmt: skip
        done = _applications(finished, places, staff, secretary)
        _jury(finished, done, conflict=False, all_=True)
        winners_set(contest=finished, by=secretary, awards=[
            Award(application_id=done[0].pk, place=1), Award(application_id=done[1].pk, place=2),
            Award(application_id=done[2].pk, place=3), Award(application_id=done[3].pk, mention=True),
        ][: len(done)])  # fmt: skip
        Contest.objects.filter(pk=finished.pk).update(results_published_at=now - 130 * day)
        finished.refresh_from_db()

        # In public voting.
        voting = _contest(
            slug=VOTING, number=f"{now.year}-91",
            title=("Таза айыл 2026 (демо)", "Чистое село 2026 (демо)"),
            description=("Таштанды жана таза суу боюнча мыкты долбоорлордун сынагы (демо).",
                         "Конкурс лучших проектов по отходам и чистой воде (демо)."),
            dates=(now - 40 * day, now - 10 * day, now - 2 * day, now + 60 * day),
            secretary=secretary, theme=theme,
        )  # fmt: skip
        open_apps = _applications(voting, places, staff, secretary)
        _jury(voting, open_apps, conflict=True, all_=False)
        _votes(finished, voting, done, open_apps, secretary)

        # Voting closed, the secretary has yet to mark the winners and publish.
        closed = _contest(
            slug=CLOSED, number=f"{now.year}-92",
            title=("Ачык бюджет 2026 (демо)", "Открытый бюджет 2026 (демо)"),
            description=("Бюджеттик угуулардын мыкты тажрыйбасынын сынагы (демо).",
                         "Конкурс лучшей практики бюджетных слушаний (демо)."),
            dates=(now - 90 * day, now - 60 * day, now - 30 * day, now - 5 * day),
            secretary=secretary, theme=theme,
        )  # fmt: skip
        closed_apps = _applications(closed, places, staff, secretary)
        _jury(closed, closed_apps, conflict=False, all_=True)
        when = closed.voting_opens + datetime.timedelta(hours=3)
        voters = User.objects.filter(username__in=VOTERS).order_by("username")
        for n, user in enumerate(voters):
            Vote.objects.create(contest=closed, application=closed_apps[(n * 7) % len(closed_apps)],
                                voter=user, created_at=when + datetime.timedelta(hours=n))  # fmt: skip


def _votes(finished: Contest, voting: Contest, done: list[Application],
           open_apps: list[Application], secretary: User) -> None:  # fmt: skip
    voters = [_voter(name, n) for n, name in enumerate(VOTERS, start=1)]
    known = list(User.objects.filter(username__in=VERIFIED_ONLY + VOTED).order_by("username"))
    for user in voters + known:
        VoterVerification.objects.get_or_create(
            user=user, defaults={"method": VerificationMethod.ADMIN, "verified_by": secretary}
        )
    # The finished contest: votes written as they were counted then.
    when = finished.voting_opens + datetime.timedelta(hours=5)
    for n, user in enumerate(voters + known):
        Vote.objects.create(contest=finished, application=done[n % len(done)], voter=user,
                            created_at=when + datetime.timedelta(hours=n))  # fmt: skip
    # The open contest: six demo citizens voting from one address within minutes (a
    # flagged pattern), two members of the monitoring group from elsewhere.
    for n, user in enumerate(voters):
        vote_cast(contest=voting, application=open_apps[n % 3], voter=user, ip="192.0.2.10")
    for n, user in enumerate(u for u in known if u.username in VOTED):
        vote_cast(contest=voting, application=open_apps[0], voter=user, ip=f"198.51.100.{n + 1}")
