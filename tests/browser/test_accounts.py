"""Accounts as people use them: sign up, out and in; lock-out; roles given by the admin."""

import pytest

from .conftest import DEMO_MUNICIPALITY, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "Kok-Jar-orchard-2026"


def sign_up(page, username: str, password: str = PASSWORD, lang: str = "en") -> None:
    page.goto(f"/{lang}/")
    page.locator(".user-nav a[href$='/accounts/signup/']").click()
    page.wait_for_url(f"**/{lang}/accounts/signup/")
    page.fill("#id_username", username)
    page.fill("#id_email", f"{username}@example.kg")
    page.fill("#id_full_name", f"Test {username}")
    page.select_option("#id_audience_category", "community")
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/accounts/profile/")


def sign_out(page) -> None:
    page.locator(".user-nav button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def new_user(new_context, unique) -> str:
    """A fresh account, signed up through the browser in a context of its own."""
    username = f"browser-{unique}"
    context = new_context()
    sign_up(context.new_page(), username)
    context.close()
    return username


def test_sign_up_sign_out_and_sign_in_again(page, server_url, unique):
    username = f"newcomer-{unique}"
    sign_up(page, username)
    assert page.locator(".messages .msg-success").count() == 1
    assert page.locator("h1").inner_text() == "Your profile"
    assert username in page.locator("main").inner_text()
    assert page.locator(".user-nav a[href='/en/accounts/profile/']").inner_text() == (
        f"Test {username}"
    )

    sign_out(page)
    assert page.url == f"{server_url}/en/"
    assert page.locator(".user-nav a[href$='/accounts/login/']").count() == 1
    page.goto("/en/accounts/profile/")  # signed out: the profile asks to sign in
    assert "/en/accounts/login/" in page.url

    sign_in(page, username, PASSWORD, lang="en")
    assert page.url == f"{server_url}/en/accounts/profile/"
    assert username in page.locator("main").inner_text()


def test_signup_explains_what_is_wrong(page):
    page.goto("/en/accounts/signup/")
    page.fill("#id_username", "demo-admin")  # taken
    page.fill("#id_email", "not-an-address")
    page.fill("#id_password1", "short")
    page.fill("#id_password2", "other")
    page.locator("#id_email").evaluate("input => input.type = 'text'")  # reach the server check
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/accounts/signup/")
    assert page.locator(".errorlist").count() >= 2
    assert page.locator(".user-nav a[href$='/accounts/login/']").count() == 1  # not signed in


def test_five_wrong_passwords_lock_the_account(page, new_user):
    for attempt in range(5):
        page.goto("/en/accounts/login/")
        page.fill("#id_username", new_user)
        page.fill("#id_password", f"wrong-password-{attempt}")
        page.locator("main form.stack button[type=submit]").click()
        page.wait_for_load_state()
        if attempt < 4:
            assert page.locator(".errorlist").count() == 1, f"attempt {attempt + 1}"

    # Now even the right password does not let anyone in; the page says why.
    page.goto("/en/accounts/login/")
    page.fill("#id_username", new_user)
    page.fill("#id_password", PASSWORD)
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Too many failed sign-in attempts"
    assert "15 minutes" in page.locator("main").inner_text()
    assert page.locator("main a[href='/en/accounts/password-reset/']").count() == 1
    assert page.locator(".user-nav a[href$='/accounts/login/']").count() == 1  # still signed out
    page.goto("/en/accounts/profile/")
    assert "/en/accounts/login/" in page.url


def test_password_reset_page_is_part_of_the_site(page):
    page.goto("/en/accounts/login/")
    page.locator("main a[href='/en/accounts/password-reset/']").click()
    page.wait_for_url("**/en/accounts/password-reset/")
    assert page.locator("header.site-header .brand").count() == 1
    assert page.locator("h1").inner_text() == "Reset password"
    page.fill("#id_email", "someone@example.kg")
    page.locator("main form.stack button[type=submit]").click()
    page.wait_for_url("**/en/accounts/password-reset/sent/")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    assert page.locator("header.site-header .brand").count() == 1


def test_admin_gives_a_role_and_ends_it(admin_page, new_user, server_url):
    page = admin_page
    page.goto("/en/accounts/memberships/")
    page.fill("#id_user", new_user)
    page.select_option("#id_role", "monitor")
    assert page.locator("#id_role option:checked").inner_text() == "Monitoring group member"
    page.fill("#id_municipality", DEMO_MUNICIPALITY)
    page.fill("#id_note", "Browser test")
    page.get_by_role("button", name="Give the role").click()
    page.wait_for_url("**/en/accounts/memberships/")
    assert "granted" in page.locator(".messages .msg-success").inner_text()

    row = page.locator("tbody tr", has_text=f"({new_user})")
    assert row.count() == 1
    assert "Monitoring group member" in row.inner_text()
    assert row.locator(f"a[href='/en/territories/{DEMO_MUNICIPALITY}/']").inner_text() == (
        "Ak-Korgon ayil aimak"
    )

    row.get_by_role("button", name="End").click()
    page.wait_for_url("**/en/accounts/memberships/")
    assert "ended" in page.locator(".messages .msg-success").inner_text()
    assert page.locator("tbody tr", has_text=f"({new_user})").count() == 0  # current only

    page.fill("#filter_q", new_user)
    page.check("#filter_include_ended")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "include_ended=on" in page.url
    row = page.locator("tbody tr", has_text=f"({new_user})")
    assert row.count() == 1
    assert row.locator(".badge.ended").count() == 1
    assert row.get_by_role("button", name="End").count() == 0


def test_the_new_member_sees_the_role_in_the_profile(admin_page, new_context, new_user):
    admin_page.goto("/en/accounts/memberships/")
    admin_page.fill("#id_user", new_user)
    admin_page.select_option("#id_role", "enumerator")
    admin_page.fill("#id_municipality", DEMO_MUNICIPALITY)
    admin_page.get_by_role("button", name="Give the role").click()
    admin_page.wait_for_url("**/en/accounts/memberships/")

    page = new_context().new_page()
    sign_in(page, new_user, PASSWORD, lang="en")
    roles = page.locator("main table", has_text="Enumerator")
    assert roles.locator(f"a[href='/en/territories/{DEMO_MUNICIPALITY}/']").count() == 1
    # Not an administrator: no memberships page in the menu, and the page itself refuses.
    assert page.locator(".main-nav a[href$='/accounts/memberships/']").count() == 0
    response = page.goto("/en/accounts/memberships/")
    assert response is not None and response.status == 403
