"""Shared fixtures.

The test database is created once per run with the whole territorial registry, the
services catalogue and the demo municipality loaded, exactly as `make demo` loads them;
every test then runs inside a transaction that is rolled back.
"""

import pytest
from django.core.management import call_command

DEMO_MUNICIPALITY = "41703204804000"  # Ак-Коргон айыл аймагы
OTHER_MUNICIPALITY = "41704210820000"  # Кош-Дөбө айыл аймагы (Naryn), no demo data


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_territories", verbosity=0)
        call_command("load_services", verbosity=0)
        call_command("demo_seed", verbosity=0)


@pytest.fixture
def demo_municipality(db):
    from aimak.territories.models import Territory

    return Territory.objects.get(code=DEMO_MUNICIPALITY)


@pytest.fixture
def other_municipality(db):
    from aimak.territories.models import Territory

    return Territory.objects.get(code=OTHER_MUNICIPALITY)


@pytest.fixture
def demo_user(db):
    """Return a demo account by role name: demo_user('staff')."""
    from aimak.accounts.models import User

    def get(role: str) -> User:
        return User.objects.get(username=f"demo-{role}")

    return get


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages must not outlive the test (and its rolled-back data) that made them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
