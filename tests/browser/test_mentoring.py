"""Mentoring in a real browser: the programme manager follows the demo pairing, sees it
flagged for no contact, writes a follow-up note, and the flag goes away."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_follow_a_silent_pairing_and_note_a_meeting(new_context):
    page = new_context().new_page()
    sign_in(page, "demo-programme", lang="ru")
    page.goto("/ru/mentoring/pairings/")
    table = page.locator("main table").inner_text()
    assert "Ак-Коргон" in table and "нет контакта 40 дней" in table
    page.locator("main table a").first.click()
    page.fill("#id_text", "Встреча в Ак-Коргоне: обсудили бюджет для граждан.")
    page.get_by_role("button", name="Добавить запись").click()
    page.wait_for_load_state()
    assert "Запись добавлена." in page.locator("main").inner_text()
    page.goto("/ru/mentoring/pairings/")
    assert "нет контакта" not in page.locator("main table").inner_text()
