"""Contests: a verified user votes in the demo contest and sees the count go up; a second
vote is refused; the secretary marks the winners of a closed contest, publishes, and an
anonymous visitor sees the winners."""

import re

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

VOTING = "/ru/contests/demo-clean-village-2026/"
CLOSED = "/ru/contests/demo-open-budget-2026/"


def test_verified_user_votes_and_sees_the_count(new_context):
    page = new_context().new_page()
    sign_in(page, "demo-deputy", lang="ru")
    page.goto(VOTING)
    first_row = page.locator("#applications tbody tr").first
    before = int(first_row.locator("td[data-votes]").inner_text())
    total_before = int(
        re.search(r"(\d+)", page.locator("#applications p.muted").inner_text()).group(1)
    )
    first_row.get_by_role("button").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "Спасибо, ваш голос учтён." in main or "your vote is counted" in main
    assert "Вы проголосовали за" in main
    after = int(page.locator("#applications tbody tr").first.locator("td[data-votes]").inner_text())
    assert after == before + 1
    assert str(total_before + 1) in page.locator("#applications p.muted").inner_text()
    # No vote buttons any more: one vote per person.
    assert page.locator("#applications button").count() == 0


def test_secretary_publishes_results(new_context):
    admin = new_context().new_page()
    sign_in(admin, "demo-content", lang="ru")
    admin.goto(CLOSED + "results/")
    assert (
        "Предварительный просмотр" in admin.locator("main").inner_text()
        or admin.locator("#h-award").is_visible()
    )
    selects = admin.locator("main form select")
    selects.nth(0).select_option("1")
    selects.nth(1).select_option("2")
    admin.locator("main form button[name=publish]").click()
    admin.wait_for_load_state()
    assert admin.locator("#h-winners").is_visible()

    visitor = new_context().new_page()
    visitor.goto(CLOSED + "results/")
    winners = visitor.locator("ul.winners").inner_text()
    assert "1" in winners and "(демо)" in winners
    response = visitor.request.get(CLOSED + "results/protocol.xlsx")
    assert response.status == 200 and response.body()[:2] == b"PK"
