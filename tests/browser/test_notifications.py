"""Notifications: a staff member sees the demo's notifications in Kyrgyz, opens one (it
becomes read), then marks all read and the unread count is gone."""

import re

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _unread(page) -> int:
    text = page.locator("#unread-count").inner_text()
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else 0


def test_staff_reads_notifications_and_marks_all_read(page):
    sign_in(page, "demo-staff", lang="ky")
    page.goto("/ky/notifications/")
    items = page.locator(".notif-list li.unread")
    assert items.count() >= 2
    assert "Мөөнөтү өттү" in page.locator(".notif-list").inner_text()  # in the reader's language
    before = _unread(page)
    assert before >= items.count() >= 2  # the count covers every page

    # Opening one follows its link and marks it read.
    page.locator(".notif-list li.unread a[href*='/open/']").first.click()
    page.wait_for_load_state()
    assert "/notifications/" not in page.url
    page.goto("/ky/notifications/")
    assert _unread(page) == before - 1

    page.locator("form[action$='/notifications/read-all/'] button").click()
    page.wait_for_url("**/ky/notifications/")
    assert _unread(page) == 0
    assert page.locator(".notif-list li.unread").count() == 0
    assert page.locator(".messages .msg-success").count() == 1

    # The settings page saves a weekly digest.
    page.goto("/ky/notifications/settings/")
    page.check("input[name=digest][value=weekly]")
    page.select_option("#id_weekday", "4")
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url("**/ky/notifications/settings/")
    assert page.locator("input[name=digest][value=weekly]").is_checked()
    assert page.locator("#id_weekday").input_value() == "4"


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_notification_pages_are_accessible_and_fit_a_phone(page, lang):
    from .test_accessibility import serious_violations

    sign_in(page, "demo-monitor", lang=lang)
    for path in ("/notifications/", "/notifications/settings/"):
        response = page.goto(f"/{lang}{path}")
        assert response is not None and response.ok
        assert serious_violations(page) == [], path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    page.goto(f"/{lang}/notifications/")
    assert page.locator(".notif-list li.unread").count() >= 2
