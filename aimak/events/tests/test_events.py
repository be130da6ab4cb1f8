import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from aimak.demo.events import DEMO_PRIORITIES_HEARING_KEY, demo_priorities_hearing
from aimak.events.models import Attendance, Event, EventMaterial, Participant
from aimak.events.selectors import event_manager_municipalities, events_managed
from aimak.events.services import (
    attendance_set_totals,
    events_send_reminders,
    participant_check_in,
    participant_register,
)
from aimak.notifications.models import Notification
from aimak.territories.models import Territory
from tests.factories import DEMO_ROLES

pytestmark = pytest.mark.django_db

NEIGHBOUR = "41703204806000"


def _url(name, args=()):
    with override("ru"):
        return reverse(name, args=args)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _register(client, event, **data):
    values = {
        "name": "Айгүл Асанова",
        "contact": "+996 555 12-34-56",
        "sex": "female",
        "age_group": "30_59",
    }
    values.update(data)
    return client.post(_url("events:register", args=[event.pk]), values)


# --- Public pages -------------------------------------------------------------------------


def test_public_pages_show_demo_events_with_attendance_by_sex(client):
    response = client.get("/ru/events/?when=past")
    assert response.status_code == 200
    assert "Публичные слушания по приоритетам развития, 2026 (демо)" in response.content.decode()
    event = demo_priorities_hearing()
    page = _text(client.get(f"/ru/events/{event.pk}/"))
    # Both municipalities' sheets and the total, with women, men and "not stated".
    assert "131" in page  # 90 + 41 people
    assert "Не указано" in page or "не указан" in page.lower()
    assert "Выбор приоритетов" in page  # agenda in Russian
    assert f"/events/{event.pk}/edit/" not in page  # anonymous: no organiser links


def test_public_list_filters_by_kind_municipality_and_dates(client):
    page = client.get("/ru/events/?when=past&kind=focus_group").content.decode()
    assert "Фокус-группа с женщинами" in page
    assert "Публичные слушания по тарифу на питьевую воду" not in page
    page = client.get(f"/ru/events/?when=past&municipality={NEIGHBOUR}").content.decode()
    assert "приоритетам развития" in page and "Фокус-группа с женщинами" not in page
    page = client.get("/ru/events/?when=past&from=2026-01-01&to=2026-03-31").content.decode()
    assert "приоритетам развития" in page and "бюджета на 2026" not in page


def test_public_detail_is_cached_and_refreshed_after_a_change(client, demo_user):
    event = demo_priorities_hearing()
    url = f"/ru/events/{event.pk}/"
    assert "131" in _text(client.get(url))
    attendance_set_totals(
        event=event,
        municipality=Territory.objects.get(code=NEIGHBOUR),
        user=demo_user("facilitator"),
        women=22,
        men=18,
        sex_not_stated=2,
        age_18_29=8,
        age_30_59=24,
        age_60_plus=8,
        age_under_18=1,
        age_not_stated=1,
    )
    assert "132" in _text(client.get(url))


def test_unknown_event_is_404(client):
    assert client.get("/ru/events/999999/").status_code == 404


# --- Permissions --------------------------------------------------------------------------


def test_organiser_permission_agrees_with_its_selector(demo_user, demo_municipality):
    for role in DEMO_ROLES:
        user = demo_user(role)
        allowed = set(event_manager_municipalities(user=user).values_list("pk", flat=True))
        assert user.has_perm("events.manage_events", demo_municipality) == (
            demo_municipality.pk in allowed
        ), role
    assert demo_user("staff").has_perm("events.manage_events", demo_municipality)
    assert demo_user("facilitator").has_perm("events.manage_events", demo_municipality)
    assert demo_user("programme").has_perm("events.manage_events", demo_municipality)
    assert not demo_user("deputy").has_perm("events.manage_events", demo_municipality)
    assert not demo_user("monitor").has_perm("events.manage_events", demo_municipality)


def test_staff_creates_an_event_on_the_page(client, demo_user, demo_municipality):
    client.force_login(demo_user("staff"))
    response = client.post(
        "/ru/events/new/",
        {
            "title_ky": "Бюджет боюнча угуу",
            "title_ru": "Слушания по бюджету",
            "kind": "hearing_budget",
            "municipalities": [demo_municipality.pk],
            "starts_at": "2027-01-15T10:00",
            "place": "Айыл өкмөтү",
            "agenda_ru": "Проект бюджета",
            "check_in_code": "ab 12",
            "registration_open": "on",
            "attendance_source": "participants",
        },
    )
    event = Event.objects.get(title_ru="Слушания по бюджету")
    assert response.status_code == 302 and response["Location"].endswith(f"/events/{event.pk}/")
    assert list(event.municipalities.all()) == [demo_municipality]
    assert event.check_in_code == "AB12"
    assert event.history.first().history_user == demo_user("staff")


def test_forged_municipality_in_the_form_is_refused(client, demo_user, other_municipality):
    client.force_login(demo_user("staff"))
    before = Event.objects.count()
    response = client.post(
        "/ru/events/new/",
        {
            "title_ru": "Чужое",
            "kind": "training",
            "municipalities": [other_municipality.pk],
            "starts_at": "2027-01-15T10:00",
            "place": "x",
            "attendance_source": "participants",
        },
    )
    assert response.status_code == 200
    assert Event.objects.count() == before


def test_event_needs_a_place_or_link_and_an_end_after_its_start(
    client, demo_user, demo_municipality
):
    client.force_login(demo_user("staff"))
    response = client.post(
        "/ru/events/new/",
        {
            "title_ru": "Без места",
            "kind": "training",
            "municipalities": [demo_municipality.pk],
            "starts_at": "2027-01-15T10:00",
            "ends_at": "2027-01-15T09:00",
            "attendance_source": "participants",
        },
    )
    page = _text(response)
    assert "Укажите место или ссылку" in page or "place or an online link" in page
    assert not Event.objects.filter(title_ru="Без места").exists()


def test_staff_of_another_municipality_cannot_manage(
    client, make_event, demo_user, other_municipality
):
    event = make_event([other_municipality], user=demo_user("programme"))
    client.force_login(demo_user("staff"))
    for name in ("edit", "participants", "attendance", "materials"):
        response = client.get(_url(f"events:{name}", args=[event.pk]))
        assert response.status_code == 403, name
    assert event not in events_managed(user=demo_user("staff"))


def test_programme_manager_creates_an_event_for_several_municipalities(
    client, demo_user, demo_municipality, other_municipality
):
    client.force_login(demo_user("programme"))
    response = client.post(
        "/ru/events/new/",
        {
            "title_ru": "Совместное обучение",
            "kind": "training",
            # Programme managers type SOATE codes (every municipality is too many to tick).
            "municipalities": f"{demo_municipality.code}, {other_municipality.code}",
            "starts_at": "2027-02-01T10:00",
            "online_url": "https://meet.example.kg/x",
            "attendance_source": "sheet",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title_ru="Совместное обучение")
    assert event.municipalities.count() == 2
    response = client.post(
        "/ru/events/new/",
        {
            "title_ru": "Неверный код",
            "kind": "training",
            "municipalities": "41703000000000",  # a region, not a municipality
            "starts_at": "2027-02-01T10:00",
            "place": "x",
            "attendance_source": "sheet",
        },
    )
    assert "41703000000000" in response.content.decode()
    assert not Event.objects.filter(title_ru="Неверный код").exists()


# --- Registration and check-in ------------------------------------------------------------


def test_anonymous_registration_and_duplicate_contact(client, make_event, demo_municipality):
    event = make_event([demo_municipality], days=3)
    response = _register(client, event)
    assert response.status_code == 302
    p = Participant.objects.get(event=event)
    assert (p.sex, p.age_group, p.municipality) == ("female", "30_59", demo_municipality)
    # The same phone written differently is the same person.
    response = _register(client, event, name="Другое имя", contact="0555 123456")
    assert response.status_code == 200
    assert "уже кто-то зарегистрирован" in response.content.decode()
    assert event.participants.count() == 1
    # Registering notified the organiser.
    assert Notification.objects.filter(
        kind="events.registered", recipient__username="demo-staff"
    ).exists()


def test_anonymous_registration_needs_a_contact(client, make_event, demo_municipality):
    event = make_event([demo_municipality], days=3)
    response = _register(client, event, contact="")
    assert response.status_code == 200 and not event.participants.exists()


def test_prefer_not_to_say_is_stored_as_not_stated(
    client, make_event, demo_municipality, demo_user
):
    event = make_event([demo_municipality], days=3)
    client.force_login(demo_user("monitor"))
    response = _register(client, event, contact="", sex="not_stated", age_group="not_stated")
    assert response.status_code == 302
    p = event.participants.get()
    assert (p.user, p.sex, p.age_group) == (demo_user("monitor"), "not_stated", "not_stated")
    # Signed in: the same account twice is refused.
    response = _register(client, event, contact="other@example.kg")
    assert "уже зарегистрированы" in response.content.decode()
    assert event.participants.count() == 1


def test_closed_registration_is_refused(client, make_event, demo_municipality):
    event = make_event([demo_municipality], days=3, registration_open=False)
    response = _register(client, event)
    assert response.status_code == 200 and "закрыта" in response.content.decode()
    assert not event.participants.exists()
    with pytest.raises(ValidationError):
        participant_register(event=event, name="X", contact="x@example.kg")


def test_check_in_with_the_code_counts_the_participant(client, make_event, demo_municipality):
    event = make_event([demo_municipality], check_in_code="7731")
    _register(client, event, sex="male", age_group="18_29", youth="on", contact="a@example.kg")
    url = _url("events:check_in", args=[event.pk])
    response = client.post(url, {"contact": "a@example.kg", "code": "0000"})
    assert (
        "Код отметки неверный" in response.content.decode()
        or "not right" in response.content.decode()
    )
    assert not Attendance.objects.filter(event=event).exists()
    response = client.post(url, {"contact": "A@example.kg", "code": "77 31"})
    assert response.status_code == 302
    row = Attendance.objects.get(event=event, municipality=demo_municipality)
    assert (row.men, row.women, row.sex_not_stated, row.age_18_29, row.youth) == (1, 0, 0, 1, 1)
    # Not registered: a clear refusal.
    response = client.post(url, {"contact": "nobody@example.kg", "code": "7731"})
    assert (
        "не найдена" in response.content.decode() or "No registration" in response.content.decode()
    )


def test_check_in_without_a_code_or_on_another_day_is_refused(make_event, demo_municipality):
    event = make_event([demo_municipality])
    p = participant_register(event=event, name="A", contact="a@example.kg")
    with pytest.raises(ValidationError, match=r"no check-in code|нет кода"):
        participant_check_in(event=event, participant=p, code="1")
    later = make_event([demo_municipality], days=5, check_in_code="1")
    p = participant_register(event=later, name="A", contact="a@example.kg")
    with pytest.raises(ValidationError):
        participant_check_in(event=later, participant=p, code="1")


def test_organiser_ticks_names_and_attendance_follows(
    client, make_event, demo_municipality, demo_user
):
    event = make_event([demo_municipality])
    a = participant_register(
        event=event, name="A", contact="1@x.kg", sex="female", age_group="60_plus", elderly=True
    )
    b = participant_register(event=event, name="B", contact="2@x.kg", sex="male", age_group="30_59")
    c = participant_register(event=event, name="C", contact="3@x.kg")
    client.force_login(demo_user("staff"))
    url = _url("events:participants", args=[event.pk])
    client.post(url, {"present": [a.pk, b.pk, c.pk]})
    row = Attendance.objects.get(event=event)
    assert (row.women, row.men, row.sex_not_stated, row.elderly, row.age_not_stated) == (
        1,
        1,
        1,
        1,
        1,
    )
    client.post(url, {"present": [a.pk]})
    row.refresh_from_db()
    assert (row.women, row.men, row.sex_not_stated) == (1, 0, 0)
    # A forged id of another event's participant changes nothing.
    other = make_event([demo_municipality])
    x = participant_register(event=other, name="X", contact="9@x.kg")
    response = client.post(url, {"present": [a.pk, x.pk]}, follow=True)
    assert (
        "не зарегистрированы" in response.content.decode()
        or "not registered" in response.content.decode()
    )
    assert Participant.objects.get(pk=a.pk).checked_in_at is not None
    # The history of the counts is on the event page, with who.
    page = _text(client.get(_url("events:detail", args=[event.pk])))
    assert "1 → 0" in page


# --- Sign-in sheets -----------------------------------------------------------------------


def _sheet(**values):
    data = dict.fromkeys(
        (
            "women",
            "men",
            "sex_not_stated",
            "age_under_18",
            "age_18_29",
            "age_30_59",
            "age_60_plus",
            "age_not_stated",
            "disability",
            "youth",
            "elderly",
            "minority",
            "low_income",
        ),
        0,
    )
    data.update(values)
    return data


def test_sheet_with_a_mismatch_shows_the_error_and_saves_nothing(
    client, make_event, demo_municipality, demo_user
):
    event = make_event([demo_municipality], days=-1)
    client.force_login(demo_user("staff"))
    url = _url("events:attendance", args=[event.pk])
    response = client.post(url, _sheet(women=10, men=8, age_30_59=17, disability=2))
    page = _text(response)
    assert "18" in page and "17" in page and "не сходятся" in page
    assert not Attendance.objects.filter(event=event).exists()
    response = client.post(url, _sheet(women=10, men=8, age_30_59=18, disability=19))
    assert "больше" in _text(response)
    assert not Attendance.objects.filter(event=event).exists()


def test_sheet_totals_and_their_corrections_are_kept(
    client, make_event, demo_municipality, demo_user
):
    event = make_event([demo_municipality], days=-1)
    client.force_login(demo_user("staff"))
    url = _url("events:attendance", args=[event.pk])
    response = client.post(
        url, _sheet(women=10, men=8, sex_not_stated=2, age_30_59=20, low_income=3)
    )
    assert response.status_code == 302
    client.post(
        url,
        _sheet(women=12, men=8, sex_not_stated=2, age_30_59=22, low_income=3, note="пересчитали"),
    )
    row = Attendance.objects.get(event=event)
    assert (row.women, row.source) == (12, "sheet")
    assert row.history.count() == 2
    event.refresh_from_db()
    assert event.attendance_source == "sheet"
    page = _text(client.get(_url("events:detail", args=[event.pk])))
    assert ("10 → 12" in page and "22 человека" in page) or "22 человек" in page


def test_sheet_for_another_municipality_of_a_joint_event_is_refused(
    client, make_event, demo_municipality, demo_user
):
    neighbour = Territory.objects.get(code=NEIGHBOUR)
    event = make_event([demo_municipality, neighbour], user=demo_user("programme"), days=-1)
    staff = demo_user("staff")
    assert not staff.has_perm("events.manage_events", neighbour)
    client.force_login(staff)
    response = client.post(
        _url("events:attendance", args=[event.pk]),
        {**_sheet(women=1, age_30_59=1), "municipality": NEIGHBOUR},
    )
    assert response.status_code == 403
    assert not Attendance.objects.filter(event=event).exists()


# --- Materials ----------------------------------------------------------------------------


def test_materials_are_checked_by_content_and_size(
    client, make_event, demo_municipality, demo_user
):
    event = make_event([demo_municipality], days=-1)
    client.force_login(demo_user("staff"))
    url = _url("events:materials", args=[event.pk])
    fake = SimpleUploadedFile(
        "minutes.pdf", b"just text, not a pdf", content_type="application/pdf"
    )
    response = client.post(url, {"kind": "document", "title": "Протокол", "file": fake})
    assert (
        "не подходит" in response.content.decode()
        or "not an accepted type" in response.content.decode()
    )
    big = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10))
    response = client.post(url, {"kind": "photo", "title": "Фото", "file": big})
    assert "MB" in response.content.decode() or "МБ" in response.content.decode()
    assert not EventMaterial.objects.filter(event=event).exists()
    pdf = SimpleUploadedFile(
        "Протокол №1.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"
    )
    assert (
        client.post(url, {"kind": "document", "title": "Протокол", "file": pdf}).status_code == 302
    )
    assert (
        client.post(
            url, {"kind": "link", "title": "Видео", "url": "https://example.kg/v"}
        ).status_code
        == 302
    )
    material = EventMaterial.objects.get(event=event, kind="document")
    assert material.file.name.startswith(f"events/{event.pk}/")
    page = client.get(_url("events:detail", args=[event.pk])).content.decode()
    assert "Протокол" in page and "https://example.kg/v" in page
    client.post(_url("events:material_remove", args=[event.pk, material.pk]))
    assert not EventMaterial.objects.filter(pk=material.pk).exists()


# --- Reminders, demo ----------------------------------------------------------------------


def test_reminders_go_once_to_registrants_of_tomorrows_events(
    make_event, demo_municipality, demo_user
):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    event = make_event([demo_municipality], starts_at=tomorrow)
    participant_register(event=event, user=demo_user("monitor"), name="M")
    participant_register(event=event, name="Anon", contact="a@x.kg")
    assert events_send_reminders() == 1
    assert events_send_reminders() == 0
    note = Notification.objects.get(kind="events.reminder", target_id=str(event.pk))
    assert note.recipient == demo_user("monitor")


def test_demo_events_and_resolutions(demo_municipality):
    hearing = Event.objects.get(key=DEMO_PRIORITIES_HEARING_KEY)
    assert "(демо)" in hearing.title_ru and hearing.kind == "hearing_priorities"
    assert Event.objects.filter(key__startswith="demo:event:").count() == 8
    for row in Attendance.objects.filter(event__key__startswith="demo:event:"):
        assert row.total == row.age_total
    assert Attendance.objects.filter(source="participants").exists()
    assert Attendance.objects.filter(source="sheet").exists()
    from aimak.demo.events import seed_events

    before = (Event.objects.count(), Participant.objects.count(), Attendance.history.count())
    seed_events(demo_municipality)
    assert before == (
        Event.objects.count(),
        Participant.objects.count(),
        Attendance.history.count(),
    )


def test_reminders_command_is_idempotent(make_event, demo_municipality, demo_user):
    from django.core.management import call_command

    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    event = make_event([demo_municipality], starts_at=tomorrow)
    participant_register(event=event, user=demo_user("deputy"), name="D")
    call_command("events_reminders", verbosity=0)
    call_command("events_reminders", verbosity=0)
    assert Notification.objects.filter(kind="events.reminder", target_id=str(event.pk)).count() == 1
    event.refresh_from_db()
    assert event.reminders_sent_on == timezone.localdate()


def test_participants_page_shows_the_code_and_marks_without_a_code(
    client, make_event, demo_municipality, demo_user
):
    event = make_event([demo_municipality], check_in_code="9090")
    participant_register(event=event, name="Асан", contact="asan@example.kg", sex="male")
    client.force_login(demo_user("facilitator"))
    page = client.get(_url("events:participants", [event.pk])).content.decode()
    assert "9090" in page and "Асан" in page and "asan@example.kg" in page
    # Anonymous visitors never see the list.
    client.logout()
    response = client.get(_url("events:participants", [event.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
