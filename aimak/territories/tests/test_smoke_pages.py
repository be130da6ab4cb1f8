import pytest

PAGES = [
    "/ky/", "/ru/", "/en/", "/ky/about/", "/ru/territories/",
    "/ru/territories/41703204804000/", "/en/territories/41703204827000/",
    "/ky/territories/search/?q=kosh", "/ru/services/", "/ky/services/municipality/41703204804000/",
    "/ky/accounts/login/", "/ru/accounts/signup/", "/en/accounts/password-reset/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_public_page_opens(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"<html lang=" in response.content
