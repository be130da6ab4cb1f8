import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aimak.accounts.models import Membership, Role
from aimak.contests.models import (
    Application,
    AppStatus,
    Contest,
    ContestField,
    Criterion,
    FieldKind,
    JuryMember,
    VerificationMethod,
    VoterVerification,
)
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DAY = datetime.timedelta(days=1)

# Offsets (in days from now) of call opens, call closes, voting opens, voting closes.
STAGES = {
    "announced": (5, 10, 12, 20),
    "call": (-5, 10, 12, 20),
    "review": (-20, -5, 5, 20),
    "voting": (-20, -10, -2, 20),
    "closed": (-30, -20, -10, -2),
}


def pdf_file(name="regulations.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def admin(demo_user):
    return demo_user("content")


@pytest.fixture
def staff(demo_user):
    return demo_user("staff")


@pytest.fixture
def other_staff(db, other_municipality):
    user = UserFactory(username="kosh-dobo-staff")
    Membership.objects.create(user=user, role=Role.STAFF, municipality=other_municipality)
    return user


@pytest.fixture
def expert(db):
    user = UserFactory(username="jury-expert-1")
    Membership.objects.create(user=user, role=Role.EXPERT, municipality=None)
    return user


@pytest.fixture
def expert2(db):
    user = UserFactory(username="jury-expert-2")
    Membership.objects.create(user=user, role=Role.EXPERT, municipality=None)
    return user


def verified(user, by=None):
    VoterVerification.objects.get_or_create(
        user=user, defaults={"method": VerificationMethod.ADMIN, "verified_by": by}
    )
    return user


@pytest.fixture
def voter(db):
    return verified(UserFactory(username="voter-1"))


@pytest.fixture
def make_contest(admin):
    def make(stage="call", slug="test-contest", criteria=((10, "2"), (5, "1"))):
        now = timezone.now()
        a, b, c, d = STAGES[stage]
        contest = Contest.objects.create(
            slug=slug, number=f"2026-{Contest.objects.count() + 50:02d}",
            title_ru="Тестовый конкурс", title_ky="Сынак тест", secretary=admin,
            call_opens=now + a * DAY, call_closes=now + b * DAY,
            voting_opens=now + c * DAY, voting_closes=now + d * DAY,
            announced_at=now - 30 * DAY,
        )  # fmt: skip
        ContestField.objects.create(contest=contest, kind=FieldKind.SHORT, label_ru="Название",
                                    required=True, position=1)  # fmt: skip
        ContestField.objects.create(contest=contest, kind=FieldKind.NUMBER, label_ru="Бюджет",
                                    required=True, position=2)  # fmt: skip
        ContestField.objects.create(contest=contest, kind=FieldKind.CHOICE, label_ru="Сфера",
                                    required=False, choices=["Вода", "Дороги"], position=3)  # fmt: skip
        ContestField.objects.create(contest=contest, kind=FieldKind.FILE, label_ru="Смета",
                                    required=True, position=4)  # fmt: skip
        for n, (top, weight) in enumerate(criteria, start=1):
            Criterion.objects.create(contest=contest, name_ru=f"Критерий {n}", max_score=top,
                                     weight=Decimal(weight), position=n)  # fmt: skip
        return contest

    return make


@pytest.fixture
def registered(demo_municipality, other_municipality, staff, admin):
    """Registered applications of a contest (made directly, as if registered earlier)."""

    def make(contest, places=None):
        places = places or [demo_municipality, other_municipality]
        apps = []
        for seq, place in enumerate(places, start=1):
            apps.append(
                Application.objects.create(
                    contest=contest,
                    municipality=place,
                    title=f"Проект {seq}",
                    submitted_by=staff,
                    status=AppStatus.REGISTERED,
                    registration_seq=seq,
                    registration_number=f"{contest.number}/{seq:03d}",
                )
            )
        return apps

    return make


@pytest.fixture
def jury(expert, expert2):
    def make(contest):
        return [JuryMember.objects.create(contest=contest, user=u) for u in (expert, expert2)]

    return make
