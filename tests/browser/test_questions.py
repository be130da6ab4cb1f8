"""Questions with a 24-hour answer: a registered user asks, the content administrator routes
the question to an expert, the expert answers from their queue, and the asker sees the
answer and rates it; the public list then finds it by a word of the answer."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

TITLE = "Кто отвечает за вывоз мусора с кладбища села?"
ANSWER = "Вывоз мусора с кладбища организует айыл окмоту через муниципальное предприятие."


def test_ask_route_answer_and_rate(new_context):
    asker = new_context().new_page()
    sign_in(asker, "demo-deputy", lang="en")
    asker.goto("/en/questions/ask/")
    asker.select_option("#id_theme", label="Solid waste")
    asker.fill("#id_title", TITLE)
    asker.fill("#id_body", "Мусор копится у ограды уже месяц.")
    asker.select_option("#id_language", "ru")
    asker.locator("main form.ask-form button[type=submit]").click()
    asker.wait_for_url("**/questions/*/")
    question_url = asker.url
    assert "Your question is received" in asker.locator("main").inner_text()
    clock = asker.locator("#clock").inner_text()
    assert "left" in clock and ("23 h" in clock or "24 h" in clock)

    admin = new_context().new_page()
    sign_in(admin, "demo-content", lang="en")
    admin.goto("/en/questions/queue/")
    admin.get_by_role("link", name=TITLE).click()
    admin.select_option("#id_target", label="Марат Исаков (DEMO)")
    admin.get_by_role("button", name="Route", exact=True).click()
    assert "The question is routed." in admin.locator("main").inner_text()

    expert = new_context().new_page()
    sign_in(expert, "demo-expert", lang="en")
    expert.goto("/en/questions/expert/")
    expert.get_by_role("link", name=TITLE).click()
    expert.fill("#id_body", ANSWER)
    expert.get_by_role("button", name="Send the answer").click()
    assert "The answer is published." in expert.locator("main").inner_text()

    asker.goto(question_url)
    main = asker.locator("main").inner_text()
    assert ANSWER in main and "answered in 0 h" in asker.locator("#clock").inner_text()
    asker.locator("input[name=rating][value='5']").check()
    asker.fill("#id_comment", "Спасибо, понятно.")
    asker.get_by_role("button", name="Send the rating").click()
    assert "Rated 5 of 5" in asker.locator("#rating").inner_text()

    visitor = new_context().new_page()
    visitor.goto("/en/questions/?q=кладбища")
    visitor.get_by_role("link", name=TITLE).click()
    assert ANSWER in visitor.locator("main").inner_text()
