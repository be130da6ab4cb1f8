"""Demo data for aimak.mentoring (all marked as demo): Ак-Коргон asks for a mentor on the
budget and offers its experience with report cards; Ак-Там (a neighbour) offers mentoring on
open budgets and is paired with Ак-Коргон, with follow-up notes; one more open request."""

from __future__ import annotations

import datetime

from django.utils import timezone

from aimak.accounts.models import Membership, Role, User
from aimak.accounts.services import membership_grant
from aimak.mentoring.models import MentoringOffer, MentoringRequest, NoteKind, PairingNote
from aimak.mentoring.services import (
    offer_create,
    pairing_create,
    pairing_note_add,
    request_create,
)
from aimak.practices.models import Theme
from aimak.territories.models import Territory

NEIGHBOUR = "41703204806000"  # Ак-Там айыл аймагы
MENTOR_USERNAME = "demo-staff-aktam"
DEMO_PASSWORD = "aimak-demo-2026"  # noqa: S105 - the demo's printed password


def _mentor_staff(neighbour: Territory) -> User:
    """A demo staff member of Ак-Там, so the other side of the pairing can sign in."""
    user, created = User.objects.get_or_create(
        username=MENTOR_USERNAME,
        defaults={
            "email": f"{MENTOR_USERNAME}@demo.aimak.local",
            "full_name": "Нурлан Бекмуратов (демо)",
            "preferred_language": "ky",
            "audience_category": "lsg",
            "organisation": "DEMO",
            "is_demo": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if not Membership.objects.active().filter(user=user, role=Role.STAFF).exists():
        admin = User.objects.filter(username="demo-admin").first()
        membership_grant(
            user=user, role=Role.STAFF, municipality=neighbour, granted_by=admin, note="DEMO"
        )
    return user


def seed_mentoring(municipality: Territory) -> None:
    """Idempotent: nothing is added once the demo request exists."""
    if MentoringRequest.objects.filter(description__contains="(демо)").exists():
        return
    neighbour = Territory.objects.get(code=NEIGHBOUR)
    staff = User.objects.get(username="demo-staff")
    mentor_staff = _mentor_staff(neighbour)
    admin = User.objects.get(username="demo-programme")
    budget = Theme.objects.get(slug="budget-planning")
    request = request_create(
        by=staff,
        municipality=municipality,
        theme=budget,
        description="Бюджетти жарандар үчүн түшүнүктүү кылып жарыялоону үйрөнгүбүз келет (демо).",
    )
    request_create(
        by=staff,
        municipality=municipality,
        theme=Theme.objects.get(slug="waste"),
        description="Хотим наладить раздельный сбор отходов и тариф на вывоз мусора (демо).",
    )
    offer = offer_create(
        by=mentor_staff,
        municipality=neighbour,
        theme=budget,
        description="Ак-Там 3 жылдан бери жарандар үчүн бюджетти чыгарат, угууларды өткөрөт (демо).",
        capacity=2,
    )
    offer_create(
        by=staff,
        municipality=municipality,
        theme=Theme.objects.get(slug="monitoring"),
        description="Ак-Коргон провёл отчётную карточку граждан и готов поделиться опытом (демо).",
        capacity=1,
    )
    today = timezone.localdate()
    pairing = pairing_create(
        by=admin,
        request=request,
        offer=offer,
        goals="Ак-Коргон 2027-жылдын бюджетин жарандар үчүн жарыялайт жана угуу өткөрөт (демо).",
        started_on=today - datetime.timedelta(days=60),
    )
    notes = (
        (55, NoteKind.MEETING, mentor_staff, "Биринчи жолугушуу Ак-Тамда: үлгүлөр берилди (демо)."),
        (40, NoteKind.PROGRESS, staff, "Подготовили черновик бюджета для граждан (демо)."),
    )
    for days_ago, kind, author, text in notes:
        pairing_note_add(
            by=author,
            pairing=pairing,
            date=today - datetime.timedelta(days=days_ago),
            kind=kind,
            text=text,
        )
    assert PairingNote.objects.filter(pairing=pairing).count() == 2
    assert MentoringOffer.objects.filter(pk=offer.pk).exists()
