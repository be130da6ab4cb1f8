"""Action plans, the whole loop: a report-card finding → a recommendation → actions →
progress → done → verified by the monitoring group → the public page, anonymously."""

import datetime

import pytest

from .conftest import DEMO_MUNICIPALITY, sign_in
from .pages import PUBLISHED_ROUND

pytestmark = pytest.mark.browser


def test_finding_to_verified_action_on_the_public_page(new_context):
    staff = new_context().new_page()
    sign_in(staff, "demo-staff", lang="en")
    # The link a results page can give: the round, the service and the index, prefilled.
    staff.goto(
        f"/en/plans/{DEMO_MUNICIPALITY}/new/?round={PUBLISHED_ROUND}"
        "&service=solid-waste&index=waste_quality&value=33+%25"
    )
    assert staff.locator("#id_source_0").is_checked()  # report-card finding
    selected = staff.locator("#id_finding").input_value()
    assert selected == f"{PUBLISHED_ROUND}:solid-waste:waste_quality"
    assert staff.locator("#id_finding_value").input_value() == "33 %"
    staff.fill("#id_title_ru", "Чистые контейнерные площадки (браузер)")
    staff.fill("#id_title_ky", "Таза контейнер аянтчалары (браузер)")
    staff.check("#id_published")
    staff.locator("main form.stack button[type=submit]").click()
    staff.wait_for_url("**/plans/recommendations/*/")
    rec_url = staff.url

    for title, deadline in (("Убрать площадки", "2027-03-01"), ("Поставить навесы", "2027-06-01")):
        staff.locator("main a[href$='/actions/new/']").click()
        staff.fill("#id_title_ru", title)
        staff.fill("#id_responsible", "МП «Тазалык»")
        staff.fill("#id_deadline", deadline)
        staff.fill("#id_budget", "25000")
        staff.locator("main form.stack button[type=submit]").click()
        staff.wait_for_url(rec_url)
    assert staff.locator("li.action").count() == 2

    first = staff.locator("li.action").first
    first.locator("a[href$='/milestones/new/']").click()
    staff.fill("#id_date", datetime.date.today().isoformat())
    staff.fill("#id_progress", "60")
    staff.fill("#id_note", "Убрано 3 площадки из 5")
    staff.fill("#id_evidence_url", "https://example.org/photo-report")
    staff.locator("main form.stack button[type=submit]").click()
    staff.wait_for_url(rec_url)
    first = staff.locator("li.action").first
    assert "60 % done" in first.inner_text()
    # Mean of 60 and 0 (planned): 30 %.
    assert "30 % done" in staff.locator("main > p").nth(1).inner_text()

    first.locator("select[name=status]").select_option(label="Done")
    first.locator("button", has_text="Set status").click()
    staff.wait_for_url(rec_url)
    assert "100 % done" in staff.locator("li.action").first.inner_text()

    monitor = new_context().new_page()
    sign_in(monitor, "demo-monitor", lang="en")
    monitor.goto(rec_url)
    monitor.locator("li.action").first.locator("a[href$='/verify/']").click()
    monitor.check("#id_verdict_0")
    monitor.fill("#id_comment", "Checked on site")
    monitor.locator("main form.stack button[type=submit]").click()
    monitor.wait_for_url(rec_url)
    assert "Verified by the monitoring group" in monitor.locator("li.action").first.inner_text()

    public = new_context().new_page()
    public.goto(f"/ru/plans/{DEMO_MUNICIPALITY}/")
    article = public.locator("article.rec", has_text="Чистые контейнерные площадки (браузер)")
    assert article.count() == 1
    text = article.inner_text()
    assert "выполнено на 50 %" in text  # (100 + 0) / 2
    assert "Подтверждено группой мониторинга" in text
    assert article.locator("a[href='https://example.org/photo-report']").count() == 1
