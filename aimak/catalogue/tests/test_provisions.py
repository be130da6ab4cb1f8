"""Who provides which service: recorded, changed and ended without losing anything."""

import pytest
from django.core.exceptions import ValidationError

from aimak.catalogue.models import ProviderType, Service, ServiceProvision
from aimak.catalogue.selectors import provision_list
from aimak.catalogue.services import provision_end, provision_set
from aimak.territories.models import Territory

pytestmark = pytest.mark.django_db

DEMO = "41703204804000"
PAGE = f"/en/services/municipality/{DEMO}/"  # English page: the text asserted


def current(municipality, slug):
    return ServiceProvision.objects.get(
        municipality=municipality, service__slug=slug, ended_at__isnull=True
    )


def test_changing_the_provider_ends_the_old_record_and_keeps_it(
    client, demo_user, demo_municipality
):
    staff = demo_user("staff")
    old = current(demo_municipality, "solid-waste")
    client.force_login(staff)

    response = client.post(
        PAGE,
        {
            "service": old.service_id,
            "provider_type": ProviderType.PRIVATE,
            "provider_name": "ОсОО «Чистый город»",
        },
    )

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.ended_at is not None
    new = current(demo_municipality, "solid-waste")
    assert new.pk != old.pk
    assert (new.provider_type, new.provider_name, new.created_by) == (
        ProviderType.PRIVATE,
        "ОсОО «Чистый город»",
        staff,
    )
    # The history records who made the new record and who ended the old one.
    assert new.history.get().history_type == "+"
    assert new.history.get().history_user == staff
    ended = old.history.order_by("-history_id").first()
    assert ended.history_type == "~" and ended.ended_at is not None
    assert ended.history_user == staff

    page = client.get(PAGE).content.decode()
    assert "ОсОО «Чистый город»" in page
    assert "Earlier records" in page and old.provider_name in page


def test_saving_the_same_provider_again_changes_nothing(demo_municipality, demo_user):
    old = current(demo_municipality, "drinking-water")
    again = provision_set(
        municipality=demo_municipality,
        service=old.service,
        provider_type=old.provider_type,
        provider_name=old.provider_name,
        note=old.note,
        user=demo_user("staff"),
    )
    assert again.pk == old.pk
    assert (
        ServiceProvision.objects.filter(municipality=demo_municipality, service=old.service).count()
        == 1
    )


def test_ending_a_provision_keeps_the_row(client, demo_user, demo_municipality):
    provision = current(demo_municipality, "pastures")
    client.force_login(demo_user("staff"))

    response = client.post(f"{PAGE}{provision.pk}/end/")

    assert response.status_code == 302
    provision.refresh_from_db()
    assert provision.ended_at is not None
    assert provision not in provision_list(municipality=demo_municipality)
    assert provision in provision_list(municipality=demo_municipality, include_ended=True)
    assert provision.history.order_by("-history_id").first().history_user == demo_user("staff")
    # Ending twice keeps the first date.
    first_end = provision.ended_at
    provision_end(provision=provision)
    provision.refresh_from_db()
    assert provision.ended_at == first_end


def test_provisions_cannot_be_recorded_for_units_that_are_not_municipalities():
    rayon = Territory.objects.get(code="41703204000000")
    with pytest.raises(ValidationError, match="is not a municipality"):
        provision_set(
            municipality=rayon, service=Service.objects.first(), provider_type=ProviderType.LSG
        )
    assert not ServiceProvision.objects.filter(municipality=rayon).exists()


def test_unknown_provider_type_is_refused(demo_municipality):
    with pytest.raises(ValidationError, match="Unknown kind of provider"):
        provision_set(
            municipality=demo_municipality, service=Service.objects.first(), provider_type="alien"
        )


def test_form_errors_are_shown_and_nothing_saved(client, demo_user):
    client.force_login(demo_user("staff"))
    before = ServiceProvision.objects.count()
    response = client.post(PAGE, {"service": "", "provider_type": "nonsense"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"service", "provider_type"}
    assert ServiceProvision.objects.count() == before


def test_municipality_services_page_lists_current_providers_for_everyone(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "СООПВ «Ак-Коргон Суу» (демо)" in page
    assert response.context["can_edit"] is False
    assert "Record who provides a service" not in page


@pytest.mark.parametrize("code", ["41703204000000", "41799999999999"])
def test_services_page_of_a_non_municipality_is_404(client, code):
    assert client.get(f"/ky/services/municipality/{code}/").status_code == 404


def test_service_list_shows_all_three_languages_and_the_staffs_municipality(client, demo_user):
    service = Service.objects.get(slug="drinking-water")
    anonymous = client.get("/en/services/").content.decode()
    for name in (service.name_ky, service.name_ru, service.name_en):
        assert name in anonymous
    assert "Your municipalities" not in anonymous

    client.force_login(demo_user("staff"))
    response = client.get("/en/services/")
    assert [m.code for m in response.context["my_municipalities"]] == [DEMO]
    assert f'href="/en/services/municipality/{DEMO}/"' in response.content.decode()


@pytest.mark.django_db
def test_an_ended_municipality_takes_no_new_providers():
    ended = Territory.objects.get(code="41703204827000")  # merged into Ак-Коргон (demo)
    with pytest.raises(ValidationError, match="successor"):
        provision_set(
            municipality=ended,
            service=Service.objects.get(slug="drinking-water"),
            provider_type=ProviderType.LSG,
        )
    assert not ServiceProvision.objects.filter(municipality=ended).exists()
