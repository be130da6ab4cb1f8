import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aimak.mentoring.models import MentoringRequest, Pairing, PairingStatus, RequestStatus
from aimak.mentoring.selectors import (
    active_user_ids,
    activity_by_category,
    pairings_followed,
)
from aimak.mentoring.services import (
    offer_create,
    pairing_create,
    pairing_end,
    pairing_note_add,
    request_create,
    request_withdraw,
)
from aimak.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair_parts(demo_user, demo_municipality, other_municipality, other_staff, theme):
    request = request_create(
        by=demo_user("staff"),
        municipality=demo_municipality,
        theme=theme,
        description="Нужна помощь с цифровизацией услуг",
    )
    offer = offer_create(
        by=other_staff,
        municipality=other_municipality,
        theme=theme,
        description="Мы внедрили электронную очередь",
        capacity=1,
    )
    return request, offer


def test_staff_only_for_their_own_municipality(demo_user, other_municipality, theme):
    with pytest.raises(PermissionDenied, match="Кош-Дөбө"):
        request_create(
            by=demo_user("staff"),
            municipality=other_municipality,
            theme=theme,
            description="Поддельная заявка для чужого",
        )
    with pytest.raises(PermissionDenied):
        offer_create(
            by=demo_user("monitor"),
            municipality=other_municipality,
            theme=theme,
            description="Поддельное предложение",
        )
    assert not MentoringRequest.objects.filter(municipality=other_municipality).exists()


def test_one_open_request_per_theme(pair_parts, demo_user, demo_municipality, theme):
    with pytest.raises(ValidationError):
        request_create(
            by=demo_user("staff"),
            municipality=demo_municipality,
            theme=theme,
            description="Ещё одна такая же заявка",
        )


def test_pairing_notifies_both_sides_and_respects_capacity(
    pair_parts, manager, demo_user, demo_municipality, other_staff, theme
):
    request, offer = pair_parts
    with pytest.raises(PermissionDenied):
        pairing_create(by=demo_user("staff"), request=request, offer=offer, goals="Цели пары")
    pairing = pairing_create(by=manager, request=request, offer=offer, goals="Запустить э-очередь")
    request.refresh_from_db()
    assert request.status == RequestStatus.PAIRED
    mine = Notification.objects.filter(kind="mentoring.paired", target_id=str(pairing.pk))
    mentee_note = mine.get(recipient=demo_user("staff"))
    mentor_note = mine.get(recipient=other_staff)
    assert mentee_note.url == mentor_note.url == pairing.get_absolute_url()
    assert mentee_note.params["mentor"] == offer.municipality.name
    second = request_create(
        by=demo_user("staff"),
        municipality=demo_municipality,
        theme=theme,
        description="Вторая заявка после первой",
    )
    with pytest.raises(ValidationError):
        pairing_create(by=manager, request=second, offer=offer, goals="Места нет уже")


def test_a_municipality_cannot_mentor_itself(demo_user, demo_municipality, manager, theme):
    staff = demo_user("staff")
    request = request_create(
        by=staff, municipality=demo_municipality, theme=theme, description="Помогите нам сами"
    )
    offer = offer_create(
        by=staff, municipality=demo_municipality, theme=theme, description="Мы сами поможем"
    )
    with pytest.raises(ValidationError):
        pairing_create(by=manager, request=request, offer=offer, goals="Сами себе ментор")


def test_notes_by_either_side_and_the_no_contact_flag(pair_parts, manager, demo_user, other_staff):
    request, offer = pair_parts
    today = timezone.localdate()
    pairing = pairing_create(
        by=manager,
        request=request,
        offer=offer,
        goals="Цели пары на год",
        started_on=today - datetime.timedelta(days=50),
    )
    [row] = [r for r in pairings_followed(user=manager) if r.pairing.pk == pairing.pk]
    assert row.days == 50 and row.stale and not row.noted
    pairing_note_add(
        by=other_staff,
        pairing=pairing,
        date=today - datetime.timedelta(days=31),
        kind="meeting",
        text="Встреча",
    )
    [row] = [r for r in pairings_followed(user=manager) if r.pairing.pk == pairing.pk]
    assert row.days == 31 and row.stale
    pairing_note_add(
        by=demo_user("staff"), pairing=pairing, date=today, kind="progress", text="Прогресс"
    )
    [row] = [r for r in pairings_followed(user=manager) if r.pairing.pk == pairing.pk]
    assert row.days == 0 and not row.stale
    with pytest.raises(PermissionDenied):
        pairing_note_add(
            by=demo_user("monitor"), pairing=pairing, date=today, kind="other", text="Чужой"
        )
    with pytest.raises(ValidationError):
        pairing_note_add(
            by=manager,
            pairing=pairing,
            date=today + datetime.timedelta(days=1),
            kind="other",
            text="Будущее",
        )


def test_ending_closes_the_request(pair_parts, manager):
    request, offer = pair_parts
    pairing = pairing_create(by=manager, request=request, offer=offer, goals="Цели на полгода")
    pairing_end(by=manager, pairing=pairing, status=PairingStatus.COMPLETED, note="Готово")
    pairing.refresh_from_db()
    request.refresh_from_db()
    assert pairing.status == "completed" and request.status == "closed"
    assert pairing.history.count() >= 2
    with pytest.raises(ValidationError):
        pairing_note_add(
            by=manager, pairing=pairing, date=timezone.localdate(), kind="other", text="После"
        )


def test_withdraw_only_open(pair_parts, demo_user, other_staff):
    request, _offer = pair_parts
    with pytest.raises(PermissionDenied):
        request_withdraw(by=other_staff, request=request)
    request_withdraw(by=demo_user("staff"), request=request)
    with pytest.raises(ValidationError):
        request_withdraw(by=demo_user("staff"), request=request)


def test_audience_contract(pair_parts, demo_user, other_staff):
    since = timezone.now() - datetime.timedelta(hours=1)
    until = timezone.now() + datetime.timedelta(hours=1)
    ids = {row["user_id"] for row in active_user_ids(since=since, until=until)}
    assert {demo_user("staff").pk, other_staff.pk} <= ids
    counts = activity_by_category(since=since, until=until)
    assert counts.get("lsg", 0) >= 1 and counts.get("citizen", 0) >= 1


def test_demo_pairing_between_ak_korgon_and_a_neighbour(demo_municipality, manager):
    pairing = Pairing.objects.get(goals__contains="(демо)")
    assert pairing.request.municipality == demo_municipality
    assert pairing.offer.municipality != demo_municipality
    assert pairing.notes.count() == 2
    [row] = [r for r in pairings_followed(user=manager) if r.pairing.pk == pairing.pk]
    assert row.stale and row.days == 40
