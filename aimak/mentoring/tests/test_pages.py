import pytest

from aimak.mentoring.models import MentoringOffer, MentoringRequest, Pairing
from aimak.mentoring.services import offer_create, request_create
from tests.factories import api_token

pytestmark = pytest.mark.django_db


def test_staff_asks_for_a_mentor(client, demo_user, demo_municipality, theme):
    client.force_login(demo_user("staff"))
    form = client.get("/ru/mentoring/requests/new/")
    assert form.status_code == 200 and demo_municipality.name in form.content.decode()
    response = client.post(
        "/ru/mentoring/requests/new/",
        {"municipality": demo_municipality.pk, "theme": theme.pk,
         "description": "Нужна помощь с цифровыми услугами"},
    )  # fmt: skip
    assert response.status_code == 302
    assert MentoringRequest.objects.filter(municipality=demo_municipality, theme=theme).exists()


def test_a_forged_municipality_is_refused(client, demo_user, other_municipality, theme):
    client.force_login(demo_user("staff"))
    response = client.post(
        "/ru/mentoring/offers/new/",
        {"municipality": other_municipality.pk, "theme": theme.pk,
         "description": "Поддельное предложение чужого", "capacity": 1},
    )  # fmt: skip
    assert response.status_code == 403
    assert "Кош-Д" in response.content.decode()
    assert not MentoringOffer.objects.filter(municipality=other_municipality).exists()


def test_rate_limit(client, settings, demo_user, demo_municipality):
    from aimak.practices.models import Theme

    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "mentoring": "2/h"}
    client.force_login(demo_user("staff"))
    themes = list(Theme.objects.all()[:3])
    codes = []
    for theme in themes:
        codes.append(
            client.post(
                "/ru/mentoring/requests/new/",
                {
                    "municipality": demo_municipality.pk,
                    "theme": theme.pk,
                    "description": f"Просьба о помощи {theme.slug}",
                },
            ).status_code
        )
    assert codes[:2] == [302, 302] and codes[2] == 429
    assert not MentoringRequest.objects.filter(theme=themes[2], description__contains="Просьба")
    page = client.post("/ru/mentoring/requests/new/", {}).content.decode()
    assert "Ничего не сохранено" in page


def test_admin_pairs_and_follows(client, manager, demo_user, demo_municipality,
                                 other_municipality, other_staff, theme):  # fmt: skip
    request = request_create(
        by=demo_user("staff"), municipality=demo_municipality, theme=theme,
        description="Нужна помощь с цифровыми услугами",
    )  # fmt: skip
    offer = offer_create(
        by=other_staff, municipality=other_municipality, theme=theme,
        description="Поделимся опытом электронной очереди",
    )  # fmt: skip
    client.force_login(demo_user("staff"))
    assert client.get(f"/ru/mentoring/requests/{request.pk}/pair/").status_code == 403
    client.force_login(manager)
    page = client.get(f"/ru/mentoring/requests/{request.pk}/pair/").content.decode()
    assert "Поделимся опытом" in page
    response = client.post(
        f"/ru/mentoring/requests/{request.pk}/pair/",
        {"offer": offer.pk, "goals": "Запустить очередь"},
    )
    pairing = Pairing.objects.get(request=request)
    assert response["Location"] == pairing.get_absolute_url()
    follow = client.get("/ru/mentoring/pairings/").content.decode()
    assert other_municipality.name in follow and "нет контакта 40 дн" in follow  # the demo's
    client.force_login(other_staff)
    client.post(
        f"/ru/mentoring/pairings/{pairing.pk}/notes/",
        {"date": "2026-01-01", "kind": "meeting", "text": "Первая встреча прошла"},
    )
    assert pairing.notes.count() in (0, 1)  # a date before the start is refused
    from django.utils import timezone

    client.post(
        f"/ru/mentoring/pairings/{pairing.pk}/notes/",
        {"date": timezone.localdate().isoformat(), "kind": "meeting", "text": "Встреча"},
    )
    assert pairing.notes.filter(text="Встреча", author=other_staff).exists()
    client.force_login(demo_user("monitor"))
    assert client.get(pairing.get_absolute_url()).status_code == 404


def test_api(client, manager, demo_user, demo_municipality, theme):
    _t, staff_raw = api_token(user=demo_user("staff"))
    _t, manager_raw = api_token(user=manager)
    staff = {"Authorization": f"Bearer {staff_raw}"}
    admin = {"Authorization": f"Bearer {manager_raw}"}
    created = client.post(
        "/api/v1/mentoring/requests",
        {"municipality": demo_municipality.code, "theme": theme.slug,
         "description": "Через API: нужна помощь"},
        content_type="application/json", headers=staff,
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["status"] == "open"
    forged = client.post(
        "/api/v1/mentoring/offers",
        {"municipality": "41704210820000", "theme": theme.slug, "description": "Чужое предложение"},
        content_type="application/json", headers=staff,
    )  # fmt: skip
    assert forged.status_code == 403
    assert client.get("/api/v1/mentoring/requests", headers=staff).status_code == 403
    listed = client.get("/api/v1/mentoring/requests", headers=admin).json()
    assert any(r["description"] == "Через API: нужна помощь" for r in listed)
    pairings = client.get("/api/v1/mentoring/pairings", headers=admin).json()
    assert any(p["no_contact"] and p["days_since_contact"] == 40 for p in pairings)
    offers = client.get("/api/v1/mentoring/offers", headers=admin).json()
    assert offers and "active_pairings" in offers[0]
