"""Practice library: a registered user submits a practice, the content administrator returns
it with a comment, the author fixes and resubmits, the administrator publishes it, and the
public library shows it and finds it by search."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

TITLE_RU = "Солнечные фонари на улицах Жаңы-Жол"
TITLE_KY = "Жаңы-Жолдун көчөлөрүндөгү күн фонарлары"


def test_submit_return_fix_publish_and_find(new_context):
    author = new_context().new_page()
    sign_in(author, "demo-deputy", lang="ru")
    author.goto("/ru/practices/submit/")
    author.fill("#id_title_ru", TITLE_RU)
    author.fill("#id_problem_ru", "Улицы не освещались, люди боялись выходить вечером.")
    author.fill("#id_solution_ru", "Установили сорок фонарей на солнечных батареях.")
    author.locator("input[name=themes][value=communal-services]").check()
    author.locator("main form.practice-form button[type=submit]").click()
    author.wait_for_url("**/edit/")
    author.locator("main form[action$='/submit/'] button").click()
    author.wait_for_url("**/practices/mine/")
    assert "Отправлена" in author.locator("main table").inner_text()

    admin = new_context().new_page()
    sign_in(admin, "demo-content", lang="ru")
    admin.goto("/ru/practices/moderation/")
    admin.get_by_role("link", name=TITLE_RU).click()
    admin.get_by_role("button", name="Взять на рассмотрение").click()
    admin.fill("#id_comment", "Добавьте описание на кыргызском языке.")
    admin.get_by_role("button", name="Вернуть автору").click()
    assert "Возвращена на доработку" in admin.locator("main").inner_text()

    author.goto("/ru/practices/mine/")
    author.get_by_role("link", name=TITLE_RU).click()
    assert "Добавьте описание на кыргызском языке." in author.locator("main").inner_text()
    author.fill("#id_title_ky", TITLE_KY)
    author.fill("#id_problem_ky", "Көчөлөр караңгы болчу.")
    author.fill("#id_solution_ky", "Күн батареялуу кырк фонарь орнотулду.")
    author.locator("main form.practice-form button[type=submit]").click()
    author.wait_for_load_state()
    author.locator("main form[action$='/submit/'] button").click()
    author.wait_for_url("**/practices/mine/")

    admin.reload()
    admin.get_by_role("button", name="Взять на рассмотрение").click()
    admin.get_by_role("button", name="Опубликовать практику").click()
    assert "Практика опубликована." in admin.locator("main").inner_text()
    history = admin.locator("#moderation-history + ol").inner_text()
    assert history.count("Отправлена") == 2 and "Добавьте описание" in history

    visitor = new_context().new_page()
    visitor.goto("/ru/practices/")
    assert visitor.get_by_role("link", name=TITLE_RU).is_visible()
    visitor.goto("/ru/practices/?q=фонарей")
    visitor.get_by_role("link", name=TITLE_RU).click()
    assert visitor.locator("h1").inner_text() == TITLE_RU
    visitor.goto("/ky/practices/?q=фонарлары")
    assert visitor.get_by_role("link", name=TITLE_KY).is_visible()
