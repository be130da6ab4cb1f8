import pytest
from django.utils import translation

from aimak.notifications.models import Notification, localized_path
from aimak.notifications.services import notify
from tests.factories import UserFactory

from .factories import OVERDUE, note

pytestmark = pytest.mark.django_db


def test_the_same_notification_reads_in_each_readers_language():
    ky_reader = UserFactory(preferred_language="ky")
    ru_reader = UserFactory(preferred_language="ru")
    count = notify(
        recipients=[ky_reader, ru_reader, ky_reader, None],
        kind="plans.overdue",
        message=OVERDUE,
        params={"action": "Суу түтүгү", "municipality": "Ак-Коргон", "deadline": "2026-10-01"},
    )
    assert count == 2  # one per distinct recipient
    for user in (ky_reader, ru_reader):
        n = Notification.objects.get(recipient=user)
        with translation.override(user.preferred_language):
            text = n.text()
        assert "Суу түтүгү" in text and "2026-10-01" in text
        if user.preferred_language == "ru":
            assert text.startswith("Просрочено")
        else:
            assert text.startswith("Мөөнөтү өттү")
    with translation.override("en"):
        assert Notification.objects.filter(recipient=ky_reader).get().text().startswith("Overdue")


def test_missing_parameters_still_show_the_message():
    user = UserFactory()
    notify(recipients=[user], kind="x.y", message="Hello %(name)s", params={})
    assert Notification.objects.get(recipient=user).text() == "Hello %(name)s"


def test_inactive_users_are_not_notified():
    assert notify(recipients=[UserFactory(is_active=False)], kind="x.y", message="Hi") == 0


def test_links_follow_the_readers_language():
    assert localized_path("/ru/plans/1/", "ky") == "/ky/plans/1/"
    assert localized_path("/plans/1/", "ky") == "/plans/1/"
    assert localized_path("https://example.org/ru/", "ky") == "https://example.org/ru/"
    n = note(UserFactory(), url="/en/events/3/")
    assert n.link("ru") == "/ru/events/3/" and n.family == "plans"
