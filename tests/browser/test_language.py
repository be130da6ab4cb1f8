"""Language: the browser's language picks the first page; the switcher keeps the page."""

import pytest

from .conftest import DEMO_MUNICIPALITY

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ru-RU", "/ru/"),
        ("en-US", "/en/"),
        ("ky-KG", "/ky/"),
        ("de-DE", "/ky/"),  # unsupported: Kyrgyz, the fallback
    ],
)
def test_first_visit_lands_in_the_browsers_language(new_context, server_url, accept, expected):
    page = new_context(locale=accept).new_page()
    page.goto("/")
    assert page.url == f"{server_url}{expected}"
    assert page.locator("html").get_attribute("lang") == expected.strip("/")


def test_switcher_keeps_you_on_the_same_page_in_the_other_language(page, server_url):
    path = f"/territories/{DEMO_MUNICIPALITY}/"
    page.goto(f"/ky{path}")
    assert page.locator("h1").inner_text() == "Ак-Коргон айыл аймагы"
    current = page.locator(".lang-switch [aria-current]")
    assert current.get_attribute("lang") == "ky"
    assert current.evaluate("e => e.tagName") == "SPAN"  # the current language is no link

    page.locator(".lang-switch a[lang=ru]").click()
    page.wait_for_url(f"**/ru{path}")
    assert page.url == f"{server_url}/ru{path}"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Ак-Коргонский айылный аймак"

    page.locator(".lang-switch a[lang=en]").click()
    page.wait_for_url(f"**/en{path}")
    assert page.locator("h1").inner_text() == "Ak-Korgon ayil aimak"

    # The choice is remembered: the bare address now opens in English.
    page.goto("/")
    assert page.url == f"{server_url}/en/"


def test_switcher_keeps_the_search_query(page, server_url):
    page.goto("/ky/territories/search/?q=kosh-dobo")
    page.locator(".lang-switch a[lang=ru]").click()
    page.wait_for_url("**/ru/territories/search/**")
    assert page.url == f"{server_url}/ru/territories/search/?q=kosh-dobo"
    link = page.locator("#results a[href='/ru/territories/41704210820000/']")
    assert link.inner_text() == "Кош-Дебенский айылный аймак"
