"""axe-core over every public page and the signed-in pages, in three languages, at 360 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .pages import LANGUAGES, PUBLIC_PAGES, SIGNED_IN_PAGES

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = "; ".join(
                f"{', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
                for node in violation["nodes"][:5]
            )
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} [{targets}]"
            )
    duplicates = page.evaluate("""() => {
        const seen = new Set(), twice = new Set();
        for (const el of document.querySelectorAll('[id]')) {
            (seen.has(el.id) ? twice : seen).add(el.id);
        }
        return [...twice];
    }""")
    if duplicates:  # a label or aria reference would point at the wrong element
        found.append(f"duplicate ids: {duplicates}")
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages_have_no_serious_axe_violations(page, lang):
    problems = {}
    for name, path in PUBLIC_PAGES.items():
        response = page.goto(f"/{lang}{path}")
        assert response is not None and response.ok, f"{name}: {response and response.status}"
        assert page.locator("html").get_attribute("lang") == lang
        found = serious_violations(page)
        if found:
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {v}" for name, vs in problems.items() for v in vs)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_signed_in_pages_have_no_serious_axe_violations(admin_page, lang):
    page = admin_page
    problems = {}
    for name, path in SIGNED_IN_PAGES.items():
        response = page.goto(f"/{lang}{path}")
        assert response is not None and response.ok, f"{name}: {response and response.status}"
        found = serious_violations(page)
        if found:
            problems[name] = found
    assert not problems, "\n".join(f"{name}: {v}" for name, vs in problems.items() for v in vs)


def test_form_errors_have_no_serious_axe_violations(page):
    """A sign-in form showing its error, and the search page with live results."""
    page.goto("/ru/accounts/login/")
    page.fill("#id_username", "nobody-here")
    page.fill("#id_password", "wrong-password")
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0
    assert serious_violations(page) == []
