import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override

from aimak.council.models import Resolution, ResolutionLink
from aimak.council.selectors import (
    council_editor_municipalities,
    gender_policy_resolution,
    resolutions_for,
)
from aimak.council.services import resolution_create, resolution_link_add
from aimak.demo.events import DEMO_BUDGET_HEARING_KEY
from aimak.events.models import Event
from aimak.surveys.models import Round
from tests.factories import DEMO_ROLES, api_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(name, args=()):
    with override("ru"):
        return reverse(name, args=args)


def _form(**values):
    data = {
        "number": "21-3",
        "date": "2026-05-14",
        "title_ky": "Токтом",
        "title_ru": "Решение о программе",
        "decision_kind_1": "approve_programme",
        "decision_summary_1": "Утвердить программу развития",
        "in_force": "on",
    }
    data.update(values)
    return data


def test_permission_agrees_with_its_selector(demo_user, demo_municipality):
    for role in DEMO_ROLES:
        user = demo_user(role)
        ids = set(council_editor_municipalities(user=user).values_list("pk", flat=True))
        assert user.has_perm("council.manage_resolutions", demo_municipality) == (
            demo_municipality.pk in ids
        ), role
    assert demo_user("deputy").has_perm("council.manage_resolutions", demo_municipality)
    assert not demo_user("monitor").has_perm("council.manage_resolutions", demo_municipality)


def test_public_list_and_detail_of_the_demo(client, demo_municipality):
    page = client.get(_url("council:list", [demo_municipality.code])).content.decode()
    assert "Об утверждении тарифа на питьевую воду (демо)" in page
    page = client.get(
        _url("council:list", [demo_municipality.code]) + "?kind=gender_policy"
    ).content.decode()
    assert "гендерно" in page and "тарифа на питьевую" not in page
    budget = Resolution.objects.get(key="demo:resolution:budget-2026")
    page = client.get(_url("council:detail", [budget.pk])).content.decode()
    assert "Публичные слушания по проекту бюджета на 2026 год (демо)" in page  # came out of
    assert "Открытая сессия" in page  # linked event
    crc = Resolution.objects.get(key="demo:resolution:crc-2025")
    assert ResolutionLink.objects.filter(resolution=crc).count() == 1
    assert "/edit/" not in page


def test_gender_policy_in_force_on_a_date(demo_municipality, demo_user):
    found = gender_policy_resolution(municipality=demo_municipality, day=datetime.date(2025, 6, 1))
    assert found is not None and found.key == "demo:resolution:gender-policy-2025"
    assert (
        gender_policy_resolution(municipality=demo_municipality, day=datetime.date(2025, 1, 1))
        is None
    )
    repeal = resolution_create(
        municipality=demo_municipality,
        number="30-1",
        date=datetime.date(2026, 2, 1),
        title_ru="Об отмене",
        decisions=[("other", "")],
        user=demo_user("deputy"),
    )
    from aimak.council.services import resolution_update

    resolution_update(
        resolution=found,
        number=found.number,
        date=found.date,
        title_ky=found.title_ky,
        title_ru=found.title_ru,
        decisions=[(d.kind, d.summary) for d in found.decisions.all()],
        repealed_on=datetime.date(2026, 2, 1),
        repealed_by=repeal,
        user=demo_user("deputy"),
    )
    found.refresh_from_db()
    assert not found.in_force
    assert (
        gender_policy_resolution(municipality=demo_municipality, day=datetime.date(2026, 3, 1))
        is None
    )
    assert (
        gender_policy_resolution(municipality=demo_municipality, day=datetime.date(2025, 12, 1))
        == found
    )
    assert found.history.count() >= 2


def test_deputy_records_a_resolution_with_a_document(client, demo_user, demo_municipality):
    client.force_login(demo_user("deputy"))
    hearing = Event.objects.get(key=DEMO_BUDGET_HEARING_KEY)
    doc = SimpleUploadedFile("решение 21-3.pdf", b"%PDF-1.5\n%%\n", content_type="application/pdf")
    response = client.post(
        _url("council:create", [demo_municipality.code]),
        _form(
            document=doc, event=hearing.pk, decision_kind_2="budget", decision_summary_2="Бюджет"
        ),
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    r = Resolution.objects.get(number="21-3")
    assert r.document.name.startswith(f"council/{demo_municipality.pk}/")
    assert [d.kind for d in r.decisions.all()] == ["approve_programme", "budget"]
    assert r.event == hearing
    assert r in resolutions_for(hearing)
    # The event page lists it.
    assert "21-3" in client.get(_url("events:detail", [hearing.pk])).content.decode()


def test_bad_document_and_missing_decision_are_refused(client, demo_user, demo_municipality):
    client.force_login(demo_user("staff"))
    fake = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")
    response = client.post(_url("council:create", [demo_municipality.code]), _form(document=fake))
    assert response.status_code == 200 and "не подходит" in response.content.decode()
    response = client.post(
        _url("council:create", [demo_municipality.code]),
        _form(decision_kind_1="", decision_summary_1=""),
    )
    assert response.status_code == 200 and "хотя бы одно" in response.content.decode()
    assert not Resolution.objects.filter(number="21-3").exists()


def test_other_municipality_and_other_roles_are_refused(
    client, demo_user, demo_municipality, other_municipality
):
    client.force_login(demo_user("deputy"))
    assert client.get(_url("council:create", [other_municipality.code])).status_code == 403
    client.force_login(demo_user("monitor"))
    assert client.post(_url("council:create", [demo_municipality.code]), _form()).status_code == 403
    budget = Resolution.objects.get(key="demo:resolution:budget-2026")
    assert client.get(_url("council:edit", [budget.pk])).status_code == 403
    assert not Resolution.objects.filter(number="21-3").exists()


def test_links_from_the_picker_and_from_other_services(
    client, demo_user, demo_municipality, other_municipality
):
    client.force_login(demo_user("staff"))
    r = Resolution.objects.get(key="demo:resolution:water-tariff-2025")
    round = Round.objects.filter(municipality=demo_municipality).first()
    response = client.post(_url("council:link_add", [r.pk]), {"target": f"round:{round.pk}"})
    assert response.status_code == 302
    assert r in resolutions_for(round)
    # A forged target of another municipality is refused.
    foreign = Event.objects.create(
        title="Чужое", kind="training", starts_at="2026-01-01T10:00:00+06:00", place="x"
    )
    foreign.municipalities.set([other_municipality])
    client.post(_url("council:link_add", [r.pk]), {"target": f"event:{foreign.pk}"})
    assert not resolutions_for(foreign).exists()
    with pytest.raises(Exception, match=r"another municipality|другому"):
        resolution_link_add(resolution=r, target=foreign, user=demo_user("staff"))
    # Any model can be linked by a service (a budget, a recommendation ...): here a user.
    link = resolution_link_add(resolution=r, target=demo_user("staff"), user=demo_user("staff"))
    assert link.target == demo_user("staff")
    page = client.get(_url("council:detail", [r.pk])).content.decode()
    assert round.__str__() in page
    client.post(_url("council:link_remove", [r.pk, link.pk]))
    assert not ResolutionLink.objects.filter(pk=link.pk).exists()


def test_api_list_detail_and_create(client, demo_user, demo_municipality, other_municipality):
    data = client.get(
        f"/api/v1/resolutions?municipality={demo_municipality.code}&kind=tariff"
    ).json()
    assert data["count"] == 1 and data["items"][0]["decisions"][0]["kind"] == "tariff"
    assert client.get("/api/v1/resolutions?from=2025-12-01&to=2025-12-31").json()["count"] >= 1
    crc = Resolution.objects.get(key="demo:resolution:crc-2025")
    detail = client.get(f"/api/v1/resolutions/{crc.pk}").json()
    assert detail["links"][0]["type"] == "surveys.round"
    _, raw = api_token(demo_user("deputy"))
    body = {
        "number": "7",
        "date": "2026-06-01",
        "title_ru": "О программе",
        "decisions": [{"kind": "approve_programme"}],
    }
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post(
        f"/api/v1/municipalities/{demo_municipality.code}/resolutions",
        body,
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201 and response.json()["municipality"] == demo_municipality.code
    response = client.post(
        f"/api/v1/municipalities/{other_municipality.code}/resolutions",
        body,
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    body["decisions"] = []
    response = client.post(
        f"/api/v1/municipalities/{demo_municipality.code}/resolutions",
        body,
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
