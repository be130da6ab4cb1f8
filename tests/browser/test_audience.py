"""Audience monitoring: a portal user answers the demo feedback survey once (a second visit
says it is answered); the client-base administrator sees the per-category table with that
answer counted, and the client base; the public portal indicators need no account."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

SURVEY_RU = "Насколько портал полезен вам? (демо)"


def test_answer_the_survey_then_the_admin_sees_it_counted(new_context):
    admin = new_context().new_page()
    sign_in(admin, "demo-clientbase", lang="ru")
    admin.goto("/ru/audience/")
    table = admin.locator("table.category-table")
    lsg_row = table.locator("tbody tr", has_text="Органы местного самоуправления")
    before = int(lsg_row.locator("td").all_inner_texts()[-2])  # the survey responses column

    user = new_context().new_page()
    sign_in(user, "demo-deputy", lang="ru")  # a local council deputy: LSG bodies
    user.goto("/ru/audience/surveys/")
    user.get_by_role("link", name=SURVEY_RU).click()
    assert user.locator("h1").inner_text() == SURVEY_RU
    questions = user.locator("form.survey-form fieldset.question")
    # Sending nothing names the missing answers and saves nothing.
    user.get_by_role("button", name="Отправить ответы").click()
    assert "Ответьте на этот вопрос." in user.locator("main").inner_text()
    questions.nth(0).locator("input[value='4']").check()
    questions.nth(1).get_by_label("Шаблоны документов").check()
    questions.nth(1).get_by_label("Обучение и семинары").check()
    questions.nth(2).get_by_label("Новости", exact=True).check()
    user.get_by_label("Что стоит изменить?").fill("Больше видеоуроков, пожалуйста.")
    user.get_by_role("button", name="Отправить ответы").click()
    assert "Спасибо! Ваши ответы сохранены." in user.locator("main").inner_text()
    assert "Вы ответили на этот опрос" in user.locator("main").inner_text()
    user.reload()
    assert user.locator("form.survey-form").count() == 0

    admin.reload()
    after = int(lsg_row.locator("td").all_inner_texts()[-2])
    assert after == before + 1
    assert "Потребности" in admin.locator("main").inner_text()
    admin.get_by_role("link", name="Клиентская база").first.click()
    admin.get_by_label("Имя, e-mail или организация").fill("demo-audience-01")
    admin.get_by_role("button", name="Показать").click()
    assert "demo-audience-01@demo.aimak.local" in admin.locator("main table").inner_text()


def test_indicators_are_public(page):
    page.goto("/ky/audience/indicators/")
    text = page.locator("main").inner_text()
    assert page.locator("h1").inner_text() == "Порталдын көрсөткүчтөрү"
    assert "Максат:" in text and ("аткарылды" in text or "аткарылган жок" in text)
