"""Learning in a real browser: the click-to-load video facade (no third-party frame before
the click, the privacy-enhanced player after it), and a learner who completes a course and
downloads the certificate, which the public verification page confirms."""

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import CHROMIUM_ARGS, MOBILE, is_local, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

COURSE_RU = "Открытый бюджет: бюджет для граждан (демо)"
LESSON_RU = "Что такое местный бюджет? (демо)"
SHORT_COURSE_RU = "Участие граждан: слушания и фокус-группы (демо)"
SHORT_COURSE_KY = "Жарандардын катышуусу: угуулар жана фокус-топтор (демо)"


def test_video_facade_loads_the_player_only_after_a_click(browser, server_url):
    context = browser.new_context(viewport=MOBILE, base_url=server_url, locale="ru-RU")
    context.set_default_timeout(10_000)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    # The player's host answers with a stub page: the test never leaves 127.0.0.1.
    context.route(
        re.compile(r"^https://www\.youtube-nocookie\.com/"),
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>player</p>"),
    )
    try:
        page = context.new_page()
        page.goto("/ru/learning/")
        page.get_by_role("link", name=COURSE_RU).click()
        page.get_by_role("link", name=LESSON_RU).click()
        facade = page.locator(".video-facade")
        assert facade.count() == 1
        assert page.locator("iframe").count() == 0
        button = facade.get_by_role("link")
        assert "Загружает видео с youtube-nocookie.com" in button.inner_text()
        assert button.get_attribute("href").startswith("https://www.youtube.com/watch")
        page.wait_for_load_state("networkidle")
        assert [url for url in requested if not is_local(url)] == []
        button.click()
        frame = page.locator(".video-facade iframe")
        frame.wait_for()
        assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
        assert page.url.endswith("/lessons/1/")  # the link was not followed
        external = [url for url in requested if not is_local(url)]
        assert external and all("youtube-nocookie.com" in url for url in external)
    finally:
        context.close()


def test_video_facade_without_javascript_is_a_link(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/ru/learning/")
    page.get_by_role("link", name=COURSE_RU).click()
    page.get_by_role("link", name=LESSON_RU).click()
    assert page.locator("iframe").count() == 0
    href = page.locator(".video-facade a").get_attribute("href")
    assert href.startswith("https://www.youtube.com/watch")


def test_complete_a_course_and_download_the_certificate(new_context):
    page = new_context().new_page()
    sign_in(page, "demo-enumerator", lang="ru")
    page.goto("/ru/learning/")
    page.get_by_role("link", name=SHORT_COURSE_RU).click()
    page.get_by_role("button", name="Записаться на курс").click()
    page.wait_for_url("**/lessons/1/")
    page.get_by_role("button", name="Отметить как пройденный").click()
    page.wait_for_load_state()
    assert "Вы прошли курс" in page.locator("main").inner_text()
    assert "1 из 1 уроков (100%)" in page.locator("main").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать сертификат (PDF)").click()
    data = Path(download_info.value.path()).read_bytes()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    # The demo enumerator reads Kyrgyz: the certificate is in Kyrgyz.
    assert "Эрлан Осмонов" in text and SHORT_COURSE_KY in " ".join(text.split())
    path = re.search(r"/ky/learning/certificates/[0-9a-f]+/", text).group(0)

    visitor = new_context().new_page()
    visitor.goto(path)
    main = visitor.locator("main").inner_text()
    assert "Эрлан Осмонов" in main and "чыныгы" in main

    page.goto("/ru/learning/mine/")
    assert SHORT_COURSE_RU in page.locator("main table").inner_text()
