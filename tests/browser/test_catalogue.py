"""Municipal services: staff record providers for their own municipality only."""

import pytest

from .conftest import DEMO_MUNICIPALITY, OTHER_MUNICIPALITY, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_page(new_context):
    page = new_context().new_page()
    sign_in(page, "demo-staff", lang="ru")
    return page


def test_staff_records_a_provider_for_their_municipality(staff_page, new_context, unique):
    page = staff_page
    page.goto(f"/ru/services/municipality/{DEMO_MUNICIPALITY}/")
    assert page.locator("h1").inner_text().startswith("Ак-Коргонский айылный аймак")
    form = page.locator("main form.stack")
    service = form.locator("#id_service option").nth(2)  # skip the empty choice
    service_value = service.get_attribute("value")
    service_name = service.inner_text()
    provider = f"МП «Таза Суу» {unique}"
    form.locator("#id_service").select_option(service_value)
    form.locator("#id_provider_type").select_option("municipal_enterprise")
    form.locator("#id_provider_name").fill(provider)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ru/services/municipality/{DEMO_MUNICIPALITY}/")

    assert page.locator(".messages .msg-success").count() == 1
    row = page.locator("main table tbody tr", has_text=provider)
    assert row.count() == 1
    assert row.locator("td").first.inner_text() == service_name
    # Visible to everyone, not only to the staff member.
    public_page = new_context().new_page()
    public_page.goto(f"/ru/services/municipality/{DEMO_MUNICIPALITY}/")
    assert public_page.locator("main table tbody tr", has_text=provider).count() == 1
    assert public_page.locator("main form.stack").count() == 0


def test_staff_cannot_edit_another_municipality(staff_page):
    page = staff_page
    response = page.goto(f"/ru/services/municipality/{OTHER_MUNICIPALITY}/")
    assert response is not None and response.ok
    assert page.locator("h1").inner_text().startswith("Кош-Дебенский айылный аймак")
    assert page.locator("main form.stack").count() == 0
    assert page.locator("#id_provider_name").count() == 0
    # A forged form post is refused as well.
    status = page.evaluate(
        """async (url) => {
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const body = new URLSearchParams({csrfmiddlewaretoken: token, service: "1",
                                          provider_type: "lsg"});
        const response = await fetch(url, {method: "POST", body, redirect: "manual"});
        return response.status;
    }""",
        f"/ru/services/municipality/{OTHER_MUNICIPALITY}/",
    )
    assert status == 403
