import pytest

from aimak.accounts.models import Membership, Role
from aimak.practices.models import Theme
from tests.factories import UserFactory


@pytest.fixture
def theme(db):
    return Theme.objects.get(slug="digital")


@pytest.fixture
def other_staff(other_municipality):
    user = UserFactory(username="koshdobo-staff", full_name="Staff of Kosh-Dobo")
    Membership.objects.create(user=user, role=Role.STAFF, municipality=other_municipality)
    return user


@pytest.fixture
def manager(demo_user):
    return demo_user("programme")
