"""Sign up, sign in, sign out, password reset and the lock after repeated failed sign-ins."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail

from aimak.accounts.models import AudienceCategory, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "tulpar-ala-too-2026"


def signup_data(**overrides):
    data = {
        "username": "aigerim",
        "email": "aigerim@example.kg",
        "full_name": "Айгерим Бекова",
        "audience_category": AudienceCategory.UNIVERSITY,
        "organisation": "КНУ",
        "preferred_language": "ru",
        "password1": "Kel-Kel-2026!",
        "password2": "Kel-Kel-2026!",
    }
    data.update(overrides)
    return data


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


# --- Sign up -------------------------------------------------------------------------------


def test_signup_creates_account_signs_in_and_stores_audience(client):
    response = client.post("/ky/accounts/signup/", signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/ky/accounts/profile/"
    user = User.objects.get(username="aigerim")
    assert user.audience_category == AudienceCategory.UNIVERSITY
    assert user.organisation == "КНУ"
    assert user.preferred_language == "ru"
    assert user.check_password("Kel-Kel-2026!")
    assert signed_in_user_id(client) == str(user.pk)
    # The profile the new user lands on shows who they are.
    profile = client.get(response["Location"])
    assert "aigerim@example.kg" in profile.content.decode()


def test_signup_with_an_email_already_used_shows_a_clear_error(client):
    UserFactory(email="taken@example.kg")

    response = client.post("/en/accounts/signup/", signup_data(email="TAKEN@example.kg"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this e-mail address already exists."
    ]
    assert "An account with this e-mail address already exists." in response.content.decode()
    assert not User.objects.filter(username="aigerim").exists()
    assert signed_in_user_id(client) is None


def test_signup_stores_email_in_lower_case_so_the_same_address_cannot_sign_up_twice(client):
    client.post("/ky/accounts/signup/", signup_data(email="Aigerim@Example.KG"))
    assert User.objects.get(username="aigerim").email == "aigerim@example.kg"

    client.post("/ky/accounts/logout/")
    response = client.post(
        "/en/accounts/signup/", signup_data(username="aigerim2", email="aigerim@example.kg")
    )
    assert "email" in response.context["form"].errors


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"password2": "something-else-2026"}, "password2"),
        ({"username": "DEMO-STAFF"}, "username"),  # user names are unique whatever the case
        ({"audience_category": "astronaut"}, "audience_category"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_signup_rejects_invalid_data_and_creates_nobody(client, overrides, field):
    before = User.objects.count()
    response = client.post("/ky/accounts/signup/", signup_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert User.objects.count() == before


def test_signup_form_offers_the_page_language_as_preferred_language(client):
    response = client.get("/ru/accounts/signup/")
    assert response.context["form"]["preferred_language"].value() == "ru"
    assert '<html lang="ru">' in response.content.decode()


# --- Sign in and out -----------------------------------------------------------------------


def test_sign_in_with_right_password_then_sign_out_by_post(client):
    user = UserFactory()

    response = client.post("/ru/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/profile/"
    assert signed_in_user_id(client) == str(user.pk)

    # The header shows a sign-out form (POST), not a link.
    page = client.get("/ru/accounts/profile/").content.decode()
    assert 'action="/ru/accounts/logout/"' in page

    assert client.get("/ru/accounts/logout/").status_code == 405  # GET does not sign out
    assert signed_in_user_id(client) == str(user.pk)
    response = client.post("/ru/accounts/logout/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert client.get("/ru/accounts/profile/").status_code == 302  # back to sign-in


def test_sign_in_with_wrong_password_stays_signed_out_with_an_error(client):
    user = UserFactory()
    response = client.post("/ky/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert signed_in_user_id(client) is None


def test_sign_in_honours_next(client):
    user = UserFactory()
    response = client.post(
        "/ky/accounts/login/?next=/ky/services/",
        {"username": user.username, "password": PASSWORD, "next": "/ky/services/"},
    )
    assert response["Location"] == "/ky/services/"


# --- Password reset ------------------------------------------------------------------------


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+/password-reset/\S+/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize("language", ["ky", "ru", "en"])
def test_password_reset_end_to_end(client, language):
    user = UserFactory(email="reset-me@example.kg")

    response = client.post(
        f"/{language}/accounts/password-reset/", {"email": "Reset-Me@example.kg"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/password-reset/sent/"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reset-me@example.kg"]
    assert user.username in message.body
    link = reset_link(message)
    # The link keeps the language the person asked in.
    assert link.startswith(f"/{language}/accounts/password-reset/")

    # Following it redirects to the form (the token is moved into the session).
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/password-reset/done/"

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    # Signing in: the old password no longer works, the new one does.
    old = client.post(
        f"/{language}/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    assert old.status_code == 200 and signed_in_user_id(client) is None
    new = client.post(
        f"/{language}/accounts/login/", {"username": user.username, "password": NEW_PASSWORD}
    )
    assert new.status_code == 302 and signed_in_user_id(client) == str(user.pk)

    # The link works once.
    client.post(f"/{language}/accounts/logout/")
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post("/ky/accounts/password-reset/", {"email": "nobody@example.kg"})
    assert response.status_code == 302
    assert response["Location"] == "/ky/accounts/password-reset/sent/"
    assert mail.outbox == []


# --- Repeated failed sign-ins (django-axes) ------------------------------------------------

LOCKED_TEXT = "Too many failed sign-in attempts"


def attempt(client, username, password):
    return client.post("/en/accounts/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = UserFactory()
    for _ in range(4):
        response = attempt(client, user.username, "wrong")
        assert response.status_code == 200
        assert LOCKED_TEXT not in response.content.decode()

    fifth = attempt(client, user.username, "wrong")
    assert fifth.status_code == 429
    assert LOCKED_TEXT in fifth.content.decode()

    sixth = attempt(client, user.username, PASSWORD)
    assert sixth.status_code == 429
    assert "accounts/locked.html" in [t.name for t in sixth.templates]
    page = sixth.content.decode()
    assert LOCKED_TEXT in page
    assert 'href="/en/accounts/password-reset/"' in page  # what to do next
    assert signed_in_user_id(client) is None

    # Another account from the same place is not affected.
    other = UserFactory()
    assert attempt(client, other.username, PASSWORD).status_code == 302


def test_a_successful_sign_in_before_the_limit_resets_the_counter(client):
    user = UserFactory()
    for _ in range(4):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == 302
    client.post("/ky/accounts/logout/")

    for _ in range(4):
        assert attempt(client, user.username, "wrong").status_code == 200
    assert attempt(client, user.username, PASSWORD).status_code == 302


@pytest.mark.parametrize("run", [1, 2])
def test_lock_state_does_not_leak_between_tests(client, run):
    """Axes keeps attempts in the database: each test's transaction rolls them back."""
    assert AccessAttempt.objects.count() == 0
    for _ in range(5):
        attempt(client, "demo-staff", "wrong")
    assert AccessAttempt.objects.filter(username="demo-staff").exists()


def test_resetting_the_password_lifts_the_lock(client):
    """The locked page tells people to reset their password: that must let them in."""
    user = UserFactory(email="locked@example.kg")
    for _ in range(5):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == 429

    client.post("/ky/accounts/password-reset/", {"email": "locked@example.kg"})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert attempt(client, user.username, NEW_PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
