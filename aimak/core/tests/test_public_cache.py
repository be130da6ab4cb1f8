"""Public pages are cached whole for anonymous visitors and fresh after every change."""

import pytest

from aimak.catalogue.models import ProviderType, Service
from aimak.catalogue.services import provision_set
from aimak.territories.models import Territory
from aimak.territories.services import territory_population_set

DEMO = "41703204804000"


@pytest.mark.django_db
def test_second_anonymous_visit_is_served_from_the_cache(client, django_assert_num_queries):
    url = f"/ru/territories/{DEMO}/"
    first = client.get(url)
    with django_assert_num_queries(1):  # the content version only
        second = client.get(url)
    assert second.content == first.content


@pytest.mark.django_db
def test_a_population_change_shows_at_once(client):
    url = f"/ru/territories/{DEMO}/"
    assert "14\xa0870" in client.get(url).content.decode()
    territory_population_set(
        territory=Territory.objects.get(code=DEMO),
        population=15210,
        year=2026,
        source="Похозяйственная книга",
    )
    page = client.get(url).content.decode()
    assert "15\xa0210" in page and "14\xa0870" not in page


@pytest.mark.django_db
def test_a_new_provider_shows_at_once(client):
    url = f"/ky/services/municipality/{DEMO}/"
    assert "Сугат-Сервис" in client.get(url).content.decode()
    provision_set(
        municipality=Territory.objects.get(code=DEMO),
        service=Service.objects.get(slug="irrigation"),
        provider_type=ProviderType.COMMUNITY,
        provider_name="СПВ «Жаңы Арык»",
    )
    page = client.get(url).content.decode()
    assert "Жаңы Арык" in page


@pytest.mark.django_db
def test_signed_in_visitors_never_get_the_anonymous_copy(client, demo_user):
    url = f"/ru/services/municipality/{DEMO}/"
    anonymous = client.get(url).content.decode()
    assert 'name="provider_type"' not in anonymous
    client.force_login(demo_user("staff"))
    own = client.get(url).content.decode()
    assert 'name="provider_type"' in own  # the staff's edit form, not the cached page
    client.logout()
    assert 'name="provider_type"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_each_language_is_cached_apart(client):
    ky = client.get(f"/ky/territories/{DEMO}/").content.decode()
    ru = client.get(f"/ru/territories/{DEMO}/").content.decode()
    assert "<h1>Ак-Коргон айыл аймагы</h1>" in ky
    assert "<h1>Ак-Коргонский айылный аймак</h1>" in ru


@pytest.mark.django_db
def test_language_switch_keeps_the_page_and_remembers_the_choice(client, settings):
    response = client.get(f"/i18n/ru/?next=/ky/territories/{DEMO}/%3Fpage%3D1")
    assert response.status_code == 302
    assert response["Location"] == f"/ru/territories/{DEMO}/?page=1"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert client.get("/")["Location"] == "/ru/"


@pytest.mark.django_db
def test_language_switch_never_sends_you_to_another_site(client):
    response = client.get("/i18n/en/?next=https://evil.example/ky/")
    assert response["Location"] == "/en/"
    assert client.get("/i18n/xx/?next=/ru/about/")["Location"] == "/ky/about/"
