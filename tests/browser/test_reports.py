"""Reports in a real browser: staff request the scorecard from the round page, see it wait
for the background worker with its progress, and, once a worker has made it, the list
(following the job by itself through htmx) offers the download."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MOBILE, ROOT, sign_in
from .pages import DEMO_ROUND
from .test_accessibility import serious_violations

pytestmark = pytest.mark.browser


def run_worker(env: dict[str, str]) -> None:
    """`manage.py db_worker --batch`, as a deployment runs it, on the server's database."""
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_staff_request_a_scorecard_and_download_it(page, server_url, server_env):
    sign_in(page, "demo-staff", lang="en")
    page.goto(f"/en/surveys/rounds/{DEMO_ROUND}/")
    page.get_by_role("link", name="Make and download the round's reports").click()
    page.wait_for_url(f"**/en/reports/rounds/{DEMO_ROUND}/")
    assert serious_violations(page) == []
    page.get_by_role(
        "button", name="Scorecard for the public hearing (PDF, one page): Кыргызча"
    ).click()
    page.wait_for_load_state()
    assert "is being made" in page.locator(".messages").inner_text()
    row = page.locator("table.report-list tbody tr").first
    assert "Waiting for the background worker" in row.inner_text()
    assert page.locator("progress").count() == 1
    page.reload()  # without the flash message (base.html's message list is checked apart)
    row = page.locator("table.report-list tbody tr").first
    assert serious_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], width

    run_worker(server_env)
    # htmx asks for the list every 2 s; the finished report replaces the progress bar.
    link = page.get_by_role("link", name="Download")
    link.wait_for(timeout=15_000)
    assert page.locator("progress").count() == 0
    # Other browser tests may have added interviews to the demo round before this one.
    assert re.search(r"Made from \d+ interviews\.", row.inner_text())
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.endswith("-scorecard-ky.pdf")
