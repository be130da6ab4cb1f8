"""Questionnaires: staff make one from the standard report cards, edit, publish, export."""

import io

import pytest

from .conftest import DEMO_MUNICIPALITY, sign_in

pytestmark = pytest.mark.browser


def test_staff_make_edit_publish_and_export_a_questionnaire(new_context, unique):
    page = new_context(accept_downloads=True).new_page()
    sign_in(page, "demo-staff", lang="ky")
    page.goto(f"/ky/territories/{DEMO_MUNICIPALITY}/")
    page.locator(f"a[href='/ky/surveys/municipality/{DEMO_MUNICIPALITY}/']").click()
    page.wait_for_url(f"**/ky/surveys/municipality/{DEMO_MUNICIPALITY}/")
    page.locator(f"a[href='/ky/surveys/municipality/{DEMO_MUNICIPALITY}/new/']").click()

    # Two services: the profile comes once, then one section each.
    boxes = page.locator("input[name=services]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("main form.stack > button[type=submit]").click()
    page.wait_for_url("**/v1/edit/")
    assert page.locator("#outline > details.q-item").count() == 3

    # Edit the Kyrgyz label of a question; htmx saves that question alone.
    label = f"Респонденттин жынысы ({unique})"
    item = page.locator("#item-sex")
    item.locator("summary").click()
    item.locator("textarea[name=label_ky]").fill(label)
    item.locator("form.stack button[type=submit]").click()
    page.locator("#item-sex .msg-success").wait_for()
    page.reload()
    assert page.locator("#sex-label-ky").input_value() == label

    # Publish: the version is frozen and listed in the history.
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_url("**/surveys/*/")
    assert page.locator(".messages .msg-success").count() == 1
    assert page.locator("main table tbody tr").count() == 1
    assert page.locator("main table a[href$='/edit/']").count() == 0

    # Export as XLSForm: the Kyrgyz label is in its Kobo-style column.
    with page.expect_download() as download_info:
        page.locator("main table a[href$='/xlsform/']").click()
    download = download_info.value
    assert download.suggested_filename.endswith("_v1.xlsx")
    import openpyxl

    with open(download.path(), "rb") as handle:
        workbook = openpyxl.load_workbook(io.BytesIO(handle.read()))
    header = [cell.value for cell in workbook["survey"][1]]
    column = header.index("label::Kyrgyz (ky)")
    rows = {row[1]: row for row in workbook["survey"].iter_rows(min_row=2, values_only=True)}
    assert rows["sex"][column] == label


def test_preview_at_360_px_in_each_language(new_context):
    page = new_context().new_page()
    sign_in(page, "demo-monitor", lang="ru")
    page.goto("/ru/surveys/")
    page.locator("main table a", has_text="XLSForm").first.wait_for()
    preview = page.locator("main table a[href$='/v1/']").first
    preview.click()
    page.locator("main a[href='?lang=ky']").click()
    assert page.locator(".form-preview[lang=ky]").count() == 1
    # Nothing overflows the small screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
