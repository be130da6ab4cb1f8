"""Gender and inclusion: staff upload a budget, tag a line and see its share change; anyone
opens the indicators, filters by region and drills down."""

import io

import pytest

from .conftest import DEMO_MUNICIPALITY, sign_in

pytestmark = pytest.mark.browser


def _workbook(path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Код", "Наименование", "Сумма"])
    ws.append(["2111", "Оплата труда (браузер)", "3 000"])
    ws.append(["2511", "Курсы для женщин (браузер)", "1 000"])
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_upload_tag_and_see_the_share(page, tmp_path):
    sign_in(page, "demo-staff", lang="en")
    page.goto(f"/en/inclusion/{DEMO_MUNICIPALITY}/budgets/upload/")
    page.set_input_files("#id_file", str(_workbook(tmp_path / "budget.xlsx")))
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("text=Match the columns")
    page.fill("#id_year", "2030")
    page.select_option("#id_version", "draft")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/tags/")
    targeted = page.locator("#grb-shares tr[data-tag=targeted] .share")
    assert targeted.inner_text().startswith("0")
    row = page.locator("main table.tagging tr", has_text="Курсы для женщин (браузер)")
    row.locator("select").select_option("targeted")
    page.locator("main button[name=save]").click()
    page.wait_for_load_state()
    assert page.locator("#grb-shares tr[data-tag=targeted] .share").inner_text().startswith("25")


def test_indicators_filter_by_region_and_drill_down(page):
    page.goto("/ru/inclusion/indicators/?start=2025-01-01&end=2026-12-31")
    assert page.locator("#indicator-hearings").inner_text().strip() != ""
    page.select_option("#id_region", "41703000000000")
    page.locator("main form.search-row button[type=submit]").click()
    page.wait_for_url("**region=41703000000000**")
    page.locator("main a[href*='/inclusion/indicators/hearings/']").click()
    page.wait_for_url("**/indicators/hearings/**")
    assert page.locator("main table tbody tr").count() >= 1
    assert "41703000000000" in page.url
