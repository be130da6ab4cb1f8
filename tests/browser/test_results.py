"""Report-card dashboards in a real browser: the public page of a published round opens
without signing in, fits a phone, and switches its breakdown in place (htmx) or by the
form alone (no JavaScript)."""

import pytest

from .conftest import DEMO_MUNICIPALITY, MOBILE, sign_in
from .pages import DEMO_ROUND, PUBLISHED_ROUND

pytestmark = pytest.mark.browser


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_public_finds_a_published_round_from_the_municipality_page(page):
    page.goto(f"/en/territories/{DEMO_MUNICIPALITY}/")
    page.locator(f"main a[href='/en/results/rounds/{PUBLISHED_ROUND}/']").click()
    page.wait_for_url(f"**/en/results/rounds/{PUBLISHED_ROUND}/")
    assert page.locator("h1").inner_text().startswith("Citizen report card results")
    assert page.locator("section.service").count() == 2
    # Every headline index with its interval, and a chart a screen reader can name.
    first = page.locator("section.service").first
    assert first.locator(".index").count() == 3
    assert "95% interval" in first.locator(".index").first.inner_text()
    assert first.locator("svg[role=img] title").count() >= 2
    # An unpublished round is not public: the visitor is asked to sign in.
    page.goto(f"/en/results/rounds/{DEMO_ROUND}/")
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_the_dashboards_fit_a_phone(page, lang):
    assert page.viewport_size == MOBILE
    for path in (
        f"/{lang}/results/rounds/{PUBLISHED_ROUND}/",
        f"/{lang}/results/rounds/{PUBLISHED_ROUND}/?by=village&by2=sex",
        f"/{lang}/results/rounds/{PUBLISHED_ROUND}/services/solid-waste/?by=age_group",
        f"/{lang}/results/rounds/{PUBLISHED_ROUND}/change/",
    ):
        page.goto(path)
        assert width(page) <= MOBILE["width"], path
        # Charts scale to the column.
        for box in page.locator("svg.chart").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().right)"
        ):
            assert box <= MOBILE["width"], path


def test_switching_the_breakdown_swaps_the_figures_in_place(page):
    page.goto(f"/en/results/rounds/{PUBLISHED_ROUND}/")
    heading = page.locator("#dashboard h3[id^=groups-]").first
    assert heading.inner_text() == "Overall satisfaction by sex"
    page.evaluate("window.__stayed = true")  # gone if the page reloads
    page.select_option("#id_by", "village")
    page.wait_for_function(
        "document.querySelector('#dashboard h3[id^=groups-]').textContent.includes('village')"
    )
    assert page.evaluate("window.__stayed") is True
    assert "by=village" in page.url  # the address can be shared
    rows = page.locator("#dashboard table.groups").first.locator("tbody tr")
    assert rows.count() >= 10  # every village, "another settlement" and "not stated"
    assert "Not stated" in rows.last.inner_text()
    page.select_option("#id_by2", "sex")
    page.wait_for_function(
        "document.querySelector('#dashboard h3[id^=groups-]').textContent.includes('× sex')"
    )
    assert width(page) <= MOBILE["width"]


def test_the_breakdown_form_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"/en/results/rounds/{PUBLISHED_ROUND}/services/drinking-water/")
    page.select_option("#id_by", "age_group")
    page.locator("form.breakdown button[type=submit]").click()
    page.wait_for_url("**by=age_group**")
    assert "By age group" in page.locator("#questions h3").first.inner_text()


def test_the_round_people_see_results_and_change_before_publication(page):
    sign_in(page, "demo-monitor", lang="en")
    page.goto(f"/en/surveys/rounds/{DEMO_ROUND}/")
    page.locator(f"main a[href='/en/results/rounds/{DEMO_ROUND}/']").click()
    page.wait_for_url(f"**/results/rounds/{DEMO_ROUND}/")
    assert "Not published" in page.locator("main").inner_text()
    page.locator(f"main a[href='/en/results/rounds/{DEMO_ROUND}/change/']").click()
    page.wait_for_url("**/change/")
    text = page.locator("main").inner_text()
    assert "Share satisfied in each round" in text
    assert "significant" in text
    assert width(page) <= MOBILE["width"]
