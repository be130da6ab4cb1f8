import pytest

from aimak.accounts.models import Membership, Role
from aimak.communities.models import Access
from aimak.communities.services import CommunityData, community_save, thread_create
from tests.factories import UserFactory


@pytest.fixture
def admin(db):
    user = UserFactory(username="content1")
    Membership.objects.create(user=user, role=Role.CONTENT_ADMIN, municipality=None)
    return user


@pytest.fixture
def moderator(db):
    return UserFactory(username="mod1", full_name="Модератор Бир")


@pytest.fixture
def people(db):
    """Five ordinary registered users: alice, bob, carol, dave, erin."""
    return {
        name: UserFactory(username=name, full_name=name.title())
        for name in ("alice", "bob", "carol", "dave", "erin")
    }


@pytest.fixture
def community(admin, moderator):
    return community_save(
        by=admin,
        data=CommunityData(
            slug="pastures-test",
            name={"ky": "Жайыттар тест", "ru": "Пастбища тест"},
            description={"ru": "Обмен опытом"},
            moderators=[moderator],
        ),
    )


@pytest.fixture
def closed_community(admin, moderator):
    return community_save(
        by=admin,
        data=CommunityData(
            slug="closed-test",
            name={"ru": "Закрытое сообщество"},
            access=Access.MEMBERS,
            moderators=[moderator],
        ),
    )


@pytest.fixture
def thread(community, people):
    return thread_create(
        author=people["alice"],
        community=community,
        title="Как считать тариф на пастбища?",
        body="Расскажите, как вы считаете тариф.",
    )


@pytest.fixture(autouse=True)
def _english():
    """Tests read English messages and pages (/en/…); translations are tested apart."""
    from django.utils import translation

    with translation.override("en"):
        yield
