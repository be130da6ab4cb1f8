"""The legal-acts database as a visitor uses it: search in Russian and in Kyrgyz."""

import pytest

pytestmark = pytest.mark.browser


def _search(page, text: str):
    page.locator("#id_q").fill(text)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/legal-acts/?q=*")


def test_russian_word_form_finds_the_budget_code_with_the_word_highlighted(page, server_url):
    page.goto("/ru/")
    page.locator(".main-nav a[href='/ru/legal-acts/']").click()
    page.wait_for_url("**/ru/legal-acts/")
    _search(page, "бюджета")
    result = page.locator(
        "ol.acts li", has=page.locator("a[href='/ru/legal-acts/kr-budget-code-2016-59/']")
    )
    assert "Бюджетный кодекс" in result.locator("h2").inner_text()
    marks = [m.lower() for m in result.locator(".snippet mark").all_inner_texts()]
    assert any(m.startswith("бюджет") for m in marks), marks
    result.locator("h2 a").click()
    page.wait_for_url("**/ru/legal-acts/kr-budget-code-2016-59/")
    assert page.locator(".notice a").get_attribute("href")  # partial: the official source


def test_kyrgyz_search_without_special_letters_finds_a_kyrgyz_act(page, server_url):
    page.goto("/ky/legal-acts/")
    _search(page, "жергиликтуу оз алдынча башкаруу органдарына")
    href = "a[href='/ky/legal-acts/kr-law-2013-127/']"
    result = page.locator("ol.acts li", has=page.locator(href))
    assert "Жергиликтүү өз алдынча башкаруу органдарына" in result.locator("h2").inner_text()
    marks = result.locator(".snippet mark").all_inner_texts()
    assert "Жергиликтүү" in marks or "жергиликтүү" in marks, marks
