"""Rate limits on writes (aimak/core/ratelimit.py): a page answers 429 in the reader's
language and saves nothing; reads are never limited; the window is per account or address."""

import pytest
from django.test import RequestFactory

from aimak.accounts.models import User
from aimak.accounts.tests.test_auth import signup_data
from aimak.core.ratelimit import RateLimited, check_rate, window_seconds

pytestmark = pytest.mark.django_db


def test_sign_up_past_the_limit_is_refused_in_the_readers_language_and_saves_nothing(
    client, settings
):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "signup": "2/h"}
    for name in ("bot1", "bot2"):
        client.post("/ru/accounts/signup/", signup_data(username=name, email=f"{name}@x.kg"))
        client.post("/ru/accounts/logout/")
    response = client.post("/ru/accounts/signup/", signup_data(username="bot3", email="b3@x.kg"))
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "Слишком много попыток" in page and "1 час" in page
    assert not User.objects.filter(username="bot3").exists()
    # Reading the sign-up page is not a write: never limited.
    assert client.get("/ky/accounts/signup/").status_code == 200


def test_limits_count_per_account_when_signed_in_and_per_address_otherwise(settings, demo_user):
    settings.AIMAK_RATE_LIMITS = {**settings.AIMAK_RATE_LIMITS, "post": "1/m"}
    factory = RequestFactory()

    def request(user=None, address="10.0.0.1"):
        r = factory.post("/", REMOTE_ADDR=address)
        r.user = user or type("Anonymous", (), {"is_authenticated": False})()
        return r

    check_rate(request(address="10.0.0.1"), group="post")
    with pytest.raises(RateLimited) as refused:
        check_rate(request(address="10.0.0.1"), group="post")
    assert refused.value.retry_after == 60
    check_rate(request(address="10.0.0.2"), group="post")  # another address: its own count
    staff = demo_user("staff")
    check_rate(request(user=staff, address="10.0.0.1"), group="post")  # an account: its own
    with pytest.raises(RateLimited):
        check_rate(request(user=staff, address="10.0.0.9"), group="post")


def test_windows():
    assert window_seconds("10/h") == 3600
    assert window_seconds("5/10m") == 600
    assert window_seconds("3/d") == 86400
