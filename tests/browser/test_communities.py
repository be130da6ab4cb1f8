"""Communities of practice: a member replies with a mention (the mention links to the
member's posts), three people report the reply and it disappears for everyone else (its
author still sees it), and a moderator restores it."""

import re

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

THREAD = "Ачык бюджет: жарандар үчүн бюджет (демо)"
REPLY = "Мы публикуем бюджет для граждан каждый год, спросите @demo-staff о шаблоне."


def _open_thread(page) -> None:
    page.goto("/ru/communities/demo-local-budget/")
    page.get_by_role("link", name=THREAD).click()
    page.wait_for_load_state()


def _reply(page):
    return page.locator("article.post", has_text="Мы публикуем бюджет для граждан")


def test_reply_with_mention_report_hide_and_restore(new_context):
    author = new_context().new_page()
    sign_in(author, "demo-monitor", lang="ru")
    _open_thread(author)
    author.fill("#id_body", REPLY)
    author.get_by_role("button", name="Опубликовать ответ").click()
    author.wait_for_load_state()
    assert "Ваш ответ опубликован." in author.locator("main").inner_text()
    mention = _reply(author).get_by_role("link", name="@demo-staff")
    assert mention.get_attribute("href") == "/ru/communities/members/demo-staff/"

    for username in ("demo-staff", "demo-deputy", "demo-facilitator"):
        reporter = new_context().new_page()
        sign_in(reporter, username, lang="ru")
        _open_thread(reporter)
        _reply(reporter).get_by_role("link", name="Пожаловаться").click()
        reporter.select_option("#id_reason", "spam")
        reporter.get_by_role("button", name="Отправить жалобу").click()
        reporter.wait_for_load_state()
        assert "Модераторы посмотрят это сообщение" in reporter.locator("main").inner_text()

    visitor = new_context().new_page()
    _open_thread(visitor)
    main = visitor.locator("main").inner_text()
    assert "Это сообщение скрыто до решения модератора." in main
    assert "Мы публикуем бюджет для граждан" not in main
    author.reload()
    assert REPLY.split(",")[0] in author.locator("main").inner_text()

    moderator = new_context().new_page()
    sign_in(moderator, "demo-content", lang="ru")
    moderator.goto("/ru/communities/moderation/")
    moderator.locator("main table").get_by_role(
        "link", name=re.compile("Мы публикуем бюджет")
    ).click()
    moderator.get_by_label("Восстановить (жалобы отклонены)").check()
    moderator.get_by_role("button", name="Сохранить решение").click()
    moderator.wait_for_load_state()
    assert "Ваше решение сохранено." in moderator.locator("main").inner_text()

    visitor.reload()
    main = visitor.locator("main").inner_text()
    assert "Мы публикуем бюджет для граждан" in main
    assert "скрыто до решения модератора" not in main
