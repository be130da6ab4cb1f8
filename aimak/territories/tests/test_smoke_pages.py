import pytest

PAGES = [
    "/ky/",
    "/ru/",
    "/en/",
    "/ky/about/",
    "/ru/territories/",
    "/ru/territories/41703204804000/",
    "/en/territories/41703204827000/",
    "/ky/territories/search/?q=kosh",
    "/ru/services/",
    "/ky/services/municipality/41703204804000/",
    "/ky/accounts/login/",
    "/ru/accounts/signup/",
    "/en/accounts/password-reset/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_public_page_opens(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert b"<html lang=" in response.content


@pytest.mark.django_db
def test_live_search_answers_htmx_with_results_only_but_history_restore_with_the_page(client):
    url = "/ky/territories/search/?q=kosh-dobo"
    partial = client.get(url, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"41704210820000" in partial.content
    assert "HX-Request" in partial["Vary"]
    restored = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert b"<html" in restored.content and b"41704210820000" in restored.content
