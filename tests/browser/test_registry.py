"""The territorial registry as a visitor uses it: browse down, search live, follow history."""

import re

import pytest

from .conftest import DEMO_MUNICIPALITY, ENDED_UNIT, OTHER_MUNICIPALITY

pytestmark = pytest.mark.browser


def test_browse_from_the_country_down_to_a_village(page, server_url):
    page.goto("/ky/")
    page.locator(".main-nav a[href='/ky/territories/']").click()
    page.wait_for_url("**/ky/territories/")

    steps = [
        ("Жалал-Абад облусу", "41703000000000"),
        ("Ала-Бука району", "41703204000000"),
        ("Ак-Коргон айыл аймагы", DEMO_MUNICIPALITY),
        ("Ак-Коргон", "41703204804010"),  # the village (its Russian name, no Kyrgyz one)
    ]
    for name, code in steps:
        page.locator("main table a", has_text=re.compile(f"^{re.escape(name)}$")).click()
        page.wait_for_url(f"**/ky/territories/{code}/")
        assert page.locator("h1").inner_text() == name

    # The village page shows where it is: the breadcrumbs lead back up the whole way.
    crumbs = page.locator(".breadcrumbs li").all_inner_texts()
    assert crumbs[1:] == [
        "Жалал-Абад облусу",
        "Ала-Бука району",
        "Ак-Коргон айыл аймагы",
        "Ак-Коргон",
    ]
    assert page.locator("dl.facts code").inner_text() == "41703204804010"
    assert page.locator("main table").count() == 0  # nothing below a village
    page.locator(".breadcrumbs a", has_text="Ала-Бука району").click()
    page.wait_for_url("**/ky/territories/41703204000000/")


def _type_and_wait_for_results(page, text: str):
    page.goto("/ky/territories/")
    page.evaluate("window.__notReloaded = true")
    page.locator("#q").press_sequentially(text, delay=20)
    results = page.locator("#results")
    results.locator("a").first.wait_for()
    # Shown in place by htmx: the page was not reloaded and the form was not submitted.
    assert page.evaluate("window.__notReloaded === true")
    return results


def test_search_shows_results_while_typing_latin_letters(page, server_url):
    results = _type_and_wait_for_results(page, "kosh-dobo")
    # Two ayil aimaks have this name (Naryn and Talas regions); both are found.
    names = results.locator("tbody tr td:first-child a").all_inner_texts()
    assert names.count("Кош-Дөбө айыл аймагы") >= 2, names
    link = results.locator(f"a[href='/ky/territories/{OTHER_MUNICIPALITY}/']")
    assert link.inner_text() == "Кош-Дөбө айыл аймагы"
    assert "kosh-dobo" in results.locator("[role=status]").inner_text()
    # The address follows the search, so it can be shared or reloaded.
    assert page.url == f"{server_url}/ky/territories/search/?q=kosh-dobo&level="
    page.reload()
    link = page.locator(f"#results a[href='/ky/territories/{OTHER_MUNICIPALITY}/']")
    link.click()
    page.wait_for_url(f"**/ky/territories/{OTHER_MUNICIPALITY}/")
    assert page.locator("h1").inner_text() == "Кош-Дөбө айыл аймагы"


def test_search_by_soate_code(page):
    results = _type_and_wait_for_results(page, OTHER_MUNICIPALITY)
    rows = results.locator("tbody tr")
    assert rows.count() == 1
    assert rows.locator("a").inner_text() == "Кош-Дөбө айыл аймагы"
    assert rows.locator("code").inner_text() == OTHER_MUNICIPALITY


def test_search_from_the_home_page(page):
    page.goto("/en/")
    page.fill("#home-q", "Ak-Korgon")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/en/search/?q=Ak-Korgon")
    # The one search box finds places of the registry first.
    places = page.locator("section[aria-labelledby=group-places]")
    places.locator("a", has_text="Ak-Korgon ayil aimak").first.click()
    page.wait_for_url(f"**/en/territories/{DEMO_MUNICIPALITY}/")


def test_ended_unit_shows_its_end_and_its_successor(page, server_url):
    page.goto(f"/en/territories/{ENDED_UNIT}/")
    assert page.locator("h1").inner_text() == "Kok-Serek ayil aimak"
    notice = page.locator("main .notice")
    assert "ended" in notice.inner_text()
    assert "2025" in notice.inner_text()
    successor = notice.locator("a")
    assert successor.inner_text() == "Ak-Korgon ayil aimak"
    facts = page.locator("dl.facts").inner_text()
    assert "Valid until" in facts

    successor.click()
    page.wait_for_url(f"**/en/territories/{DEMO_MUNICIPALITY}/")
    # The successor lists what it was formed from, marked as ended.
    formed_from = page.locator("main ul li", has_text="Kok-Serek ayil aimak")
    assert formed_from.locator(".badge.ended").count() == 1
    assert formed_from.locator("a").get_attribute("href") == f"/en/territories/{ENDED_UNIT}/"


def test_ended_unit_is_marked_in_search_results(page):
    page.goto("/en/territories/search/?q=Kok-Serek")
    row = page.locator("#results tbody tr", has=page.locator(f"a[href$='/{ENDED_UNIT}/']"))
    assert row.locator(".badge.ended").count() == 1


def test_home_page_counts_the_whole_registry(page):
    page.goto("/en/")
    registry_card = page.locator(".card", has=page.locator("a[href='/en/territories/']"))
    count = int(registry_card.locator(".stat").inner_text().replace(",", "").replace("\u00a0", ""))
    assert count > 400  # about 450 ayil aimaks, not one
    assert "villages" in registry_card.inner_text()
