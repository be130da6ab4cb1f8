"""Events: an organiser creates an event with a check-in code, a visitor registers and
checks in, the organiser sees the attendance by sex, then types a sign-in sheet whose
totals do not add up and sees why."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from .conftest import DEMO_MUNICIPALITY, sign_in
from .test_accessibility import serious_violations

pytestmark = pytest.mark.browser


def _women(page) -> str:
    """The women count of the first row of the attendance-by-sex table."""
    return (
        page.locator("table:has(caption#att-sex) tbody tr").first.locator("td").first.inner_text()
    )


def test_register_check_in_and_sheet_with_a_mismatch(new_context):
    organiser = new_context().new_page()
    sign_in(organiser, "demo-staff", lang="ru")
    organiser.goto("/ru/events/new/")
    today = datetime.datetime.now(ZoneInfo("Asia/Bishkek")).strftime("%Y-%m-%d")
    organiser.fill("#id_title_ru", "Слушания по тарифу на вывоз мусора")
    organiser.fill("#id_title_ky", "Таштанды чыгаруу тарифи боюнча угуу")
    organiser.select_option("#id_kind", "hearing_tariff")
    organiser.locator("input[name=municipalities]").first.check()  # demo-staff: Ак-Коргон only
    organiser.fill("#id_starts_at", f"{today}T00:05")
    organiser.fill("#id_ends_at", f"{today}T23:55")
    organiser.fill("#id_place", "Маданият үйү")
    organiser.fill("#id_check_in_code", "2468")
    organiser.locator("main form.stack button[type=submit]").click()
    organiser.wait_for_url(re.compile(r"/ru/events/\d+/$"))
    event_url = organiser.url
    event_path = re.sub(r"^https?://[^/]+", "", event_url)

    visitor = new_context().new_page()
    visitor.goto(event_path)
    visitor.locator("main a[href$='/register/']").click()
    visitor.fill("#id_name", "Жыпар Садыкова")
    visitor.fill("#id_contact", "+996 700 11 22 33")
    visitor.check("input[name=sex][value=female]")
    visitor.check("input[name=age_group][value='30_59']")
    visitor.check("#id_low_income")
    visitor.locator("main form.stack button[type=submit]").click()
    visitor.wait_for_url(event_url)
    assert "зарегистрированы" in visitor.locator(".messages").inner_text()
    # The same phone again is refused with a clear message.
    visitor.goto(event_path + "register/")
    visitor.fill("#id_name", "Жыпар")
    visitor.fill("#id_contact", "0700112233")
    visitor.locator("main form.stack button[type=submit]").click()
    assert "уже кто-то зарегистрирован" in visitor.locator("main").inner_text()
    assert not serious_violations(visitor)

    visitor.goto(event_path + "check-in/")
    visitor.fill("#id_contact", "0700 112233")
    visitor.fill("#id_code", "1357")
    visitor.locator("main form.stack button[type=submit]").click()
    assert "неверный" in visitor.locator("main").inner_text()
    visitor.fill("#id_contact", "0700 112233")
    visitor.fill("#id_code", "2468")
    visitor.locator("main form.stack button[type=submit]").click()
    visitor.wait_for_url(event_url)

    organiser.goto(event_path + "participants/")
    assert organiser.locator(".code").inner_text() == "2468"
    assert _women(organiser) == "1"
    assert organiser.locator("input[name=present]:checked").count() == 1

    organiser.goto(event_path + "attendance/")
    organiser.fill("#id_women", "20")
    organiser.fill("#id_men", "15")
    organiser.fill("#id_sex_not_stated", "2")
    organiser.fill("#id_age_30_59", "30")
    organiser.fill("#id_age_60_plus", "5")
    organiser.locator("main form.stack button[type=submit]").click()
    problems = organiser.locator("#sheet-problems")
    assert problems.is_visible()
    assert "37" in problems.inner_text() and "35" in problems.inner_text()
    assert not serious_violations(organiser)
    # Nothing was saved: the event still shows the one woman who checked in.
    organiser.goto(event_path)
    assert _women(organiser) == "1"
    assert DEMO_MUNICIPALITY
