"""Rounds: a monitoring-group member recomputes the demo round's sample size and opens a
route sheet."""

import re

import pytest

from .conftest import DEMO_MUNICIPALITY, sign_in

pytestmark = pytest.mark.browser


def test_monitor_changes_the_margin_and_opens_a_route_sheet(page):
    sign_in(page, "demo-monitor", lang="ru")
    page.goto(f"/ru/surveys/municipality/{DEMO_MUNICIPALITY}/")
    page.locator(f"a[href='/ru/surveys/municipality/{DEMO_MUNICIPALITY}/rounds/']").click()
    page.locator("main table a").first.click()
    page.locator("main a[href$='/plan/']").first.click()
    page.wait_for_url("**/plan/")
    result = page.locator("#sample-size")
    assert re.sub(r"\D", "", result.inner_text()) == "491"

    # htmx recomputes as the margin changes, without saving (the button saves, with or
    # without JavaScript; the server-side tests cover that).
    page.fill("#id_margin", "4")
    page.wait_for_function(
        "document.querySelector('#sample-size').textContent.replace(/\\D/g, '') === '708'"
    )
    assert "708" in re.sub(r"\D", "", result.inner_text())

    page.locator("main a[href*='/route/demo-enumerator/']").first.click()
    page.wait_for_url("**/route/demo-enumerator/")
    assert page.locator("table.route").first.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("table.route tbody tr").count() >= 1
