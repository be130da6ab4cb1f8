"""News and the magazine in a real browser: the home page, the one search box, and a
content administrator writing, previewing and publishing a news item whose script never
runs."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_home_shows_news_and_the_current_issue(page):
    page.goto("/ru/")
    news = page.locator("section[aria-labelledby=home-news]")
    assert news.locator("li h3 a").count() >= 3
    assert "(демо)" in news.inner_text()
    issue = page.locator("section[aria-labelledby=home-issue]")
    assert "№ 2" in issue.inner_text()
    issue.locator("a[href='/ru/news/magazine/2/']").first.click()
    page.wait_for_url("**/news/magazine/2/")
    assert page.locator("main a[href$='.pdf']").count() == 1
    # Covers come in phone sizes and load lazily.
    page.goto("/ru/news/")
    image = page.locator("main .news-cards img").first
    assert image.get_attribute("loading") == "lazy" and image.get_attribute("srcset")


def test_one_search_box_finds_a_news_item_and_a_legal_act(page):
    page.goto("/ru/")
    page.fill("#home-q", "бюджет")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_url("**/search/?q=*")
    news = page.locator("section[aria-labelledby=group-news]")
    assert "слушания по бюджету" in news.inner_text()
    legal = page.locator("section[aria-labelledby=group-legal]")
    assert legal.locator("a[href*='/legal-acts/']").count() >= 1
    legal.locator("a[href*='/legal-acts/']").first.click()
    page.wait_for_url("**/legal-acts/**")
    assert page.locator("h1").is_visible()


def test_content_admin_writes_previews_and_publishes_and_no_script_runs(new_context):
    context = new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script("window.__pwned = false;")
    sign_in(page, "demo-content", lang="ru")
    page.goto("/ru/news/manage/new/")
    # The three languages side by side on a wide screen.
    page.set_viewport_size({"width": 1280, "height": 900})
    columns = page.locator(".side-by-side > fieldset")
    assert columns.count() == 3
    tops = {round(columns.nth(i).bounding_box()["y"]) for i in range(3)}
    assert len(tops) == 1
    page.fill("#id_title_ky", "Браузер сыноосу (демо)")
    page.fill("#id_title_ru", "Проверка в браузере (демо)")
    page.fill("#id_title_en", "Browser check (demo)")
    page.fill(
        "#id_body_ru",
        "<p>Безопасный текст</p><script>window.__pwned = true; alert(1)</script>"
        '<img src=x onerror="window.__pwned = true">'
        '<a href="javascript:window.__pwned = true">ссылка</a>',
    )
    page.select_option("#id_status", "draft")
    page.locator("main form.stack button[type=submit]").last.click()
    page.wait_for_url("**/news/manage/*/")
    page.locator("main a[href$='/preview/']").click()
    page.wait_for_url("**/preview/")
    assert "Проверка в браузере" in page.locator("h1").inner_text()
    assert page.locator(".preview-banner").is_visible()
    link = page.locator(".article-body a:has-text('ссылка')")
    assert link.get_attribute("href") is None  # the javascript: address was removed
    link.click()
    assert page.evaluate("window.__pwned") is False and dialogs == []
    assert "preview" in page.url
    page.locator(".preview-banner a").click()
    page.locator("button[name=action][value=publish]").click()
    page.wait_for_load_state()
    # The public page, as an anonymous visitor.
    anonymous = new_context().new_page()
    anonymous.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    anonymous.goto("/ru/news/")
    anonymous.locator("main a:has-text('Проверка в браузере')").first.click()
    assert "Безопасный текст" in anonymous.locator(".article-body").inner_text()
    assert anonymous.evaluate("window.__pwned === undefined || window.__pwned === false")
    assert dialogs == []
