"""Importing interviews: staff upload a CSV from the round page, match the column the file
names its own way, check the whole file, and import it."""

import pytest

from .conftest import MOBILE, sign_in
from .pages import DEMO_ROUND
from .test_accessibility import serious_violations

pytestmark = pytest.mark.browser


def paper_csv(unique: str) -> bytes:
    """Three paper questionnaires typed into a spreadsheet: the form number, a consent column
    named in Russian, and a remark. The respondents declined, so nothing else is asked."""
    lines = ["Номер анкеты;Согласие;Примечание"]
    lines += [f"{unique}-{n};no;  отказ  " for n in range(1, 4)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def test_staff_match_a_column_check_and_import_a_file(page, unique):
    sign_in(page, "demo-staff", lang="en")
    page.goto(f"/en/surveys/rounds/{DEMO_ROUND}/")
    page.get_by_role("link", name="Import interviews from a file").click()
    page.wait_for_url("**/imports/new/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "paper.csv", "mimeType": "text/csv", "buffer": paper_csv(unique)}],
    )
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url("**/imports/*/")
    assert "cp1251" in page.locator("dl.facts").inner_text()

    # The unmatched columns are flagged, each with a select.
    flagged = page.locator("table.import-columns tr.flagged")
    assert flagged.count() == 3
    assert serious_violations(page) == []
    consent = page.locator("tr.flagged", has_text="Согласие").locator("select")
    consent.select_option("consent")
    page.select_option("#id_key_column", "Номер анкеты")
    page.locator("#check-button").click()
    page.wait_for_load_state()
    assert "The file is checked: 3 new interviews" in page.locator("main").inner_text()
    assert page.locator("table.import-preview tbody tr").count() == 3
    assert serious_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], width

    page.locator("#import-button").click()
    page.wait_for_load_state()
    assert "3 interviews imported" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Back to the round").click()
    row = page.locator("main table tr", has_text="paper.csv").first
    assert "Imported" in row.inner_text()
