import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from aimak.notifications.models import Notification, NotificationPreference
from aimak.notifications.services import preference_set, send_digests
from aimak.notifications.tasks import send_digests_job
from tests.factories import UserFactory

from .factories import note

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(6 * 60)  # Asia/Bishkek
MONDAY_8 = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=TZ)  # a Monday


def _at(days: float = 0, hours: float = 0) -> datetime.datetime:
    return MONDAY_8 + datetime.timedelta(days=days, hours=hours)


@pytest.fixture
def outbox():
    """Only this test's e-mails (the demo's users may have unsent notifications too)."""
    mail.outbox = []
    return mail.outbox


def _mine(outbox, user):
    return [m for m in outbox if m.to == [user.email]]


def test_one_grouped_digest_in_the_readers_language_then_nothing_twice(outbox, settings):
    settings.SITE_URL = "https://aimak.example.kg"
    user = UserFactory(preferred_language="ru", full_name="Нурлан")
    note(user, action="Pipe", created_at=_at(hours=-3))
    note(
        user,
        kind="events.reminder",
        action="Hearing",
        url="/ky/events/5/",
        created_at=_at(hours=-2),
    )
    note(user, action="Lights", created_at=_at(hours=-1))

    run = send_digests(period="daily", now=_at())
    messages = _mine(outbox, user)
    assert len(messages) == 1 and run.sent >= 1
    message = messages[0]
    assert message.subject == "Аймак: 3 новых уведомления"
    body = message.body
    assert "Нурлан" in body
    # Grouped by family, plans before events, each item with an absolute link in Russian.
    assert body.index("Планы действий") < body.index("Pipe") < body.index("Мероприятия")
    assert body.index("Мероприятия") < body.index("Hearing")
    assert "https://aimak.example.kg/ru/events/5/" in body
    assert "https://aimak.example.kg/ru/notifications/settings/" in body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'href="https://aimak.example.kg/ru/plans/' in html
    assert Notification.objects.filter(recipient=user, emailed_at__isnull=True).count() == 0

    # Running again (the same day, or concurrently) sends nothing more.
    send_digests(period="daily", now=_at(hours=1))
    note(user, action="Later the same day", created_at=_at(hours=2))
    send_digests(period="daily", now=_at(hours=3))
    assert len(_mine(outbox, user)) == 1
    # The next day the new one goes out, alone.
    send_digests(period="daily", now=_at(days=1))
    assert len(_mine(outbox, user)) == 2
    assert "Later the same day" in _mine(outbox, user)[1].body
    assert "Pipe" not in _mine(outbox, user)[1].body


def test_kyrgyz_reader_gets_kyrgyz(outbox):
    user = UserFactory(preferred_language="ky")
    note(user, created_at=_at(hours=-1))
    send_digests(period="daily", now=_at())
    (message,) = _mine(outbox, user)
    assert message.subject == "Аймак: 1 жаңы билдирме"
    assert "Мөөнөтү өттү" in message.body


def test_weekly_digest_only_on_the_chosen_day(outbox):
    user = UserFactory()
    preference_set(user=user, digest="weekly", weekday=2)  # Wednesday
    note(user, created_at=_at(hours=-1))
    send_digests(period="daily", now=_at())  # not a daily user
    send_digests(period="weekly", now=_at())  # Monday
    send_digests(period="weekly", now=_at(days=1))  # Tuesday
    assert _mine(outbox, user) == []
    send_digests(period="weekly", now=_at(days=2))  # Wednesday
    send_digests(period="weekly", now=_at(days=2, hours=5))  # Wednesday again
    assert len(_mine(outbox, user)) == 1
    note(user, action="Next week", created_at=_at(days=3))
    send_digests(period="weekly", now=_at(days=9))  # the next Wednesday
    assert len(_mine(outbox, user)) == 2


def test_never_means_never_and_users_without_email_are_skipped(outbox):
    never = UserFactory()
    preference_set(user=never, digest="never")
    no_email = UserFactory(email="")
    for user in (never, no_email):
        note(user, created_at=_at(hours=-1))
    send_digests(period="daily", now=_at())
    send_digests(period="weekly", now=_at())
    assert _mine(outbox, never) == [] and not [m for m in outbox if m.to == [""]]
    assert (
        Notification.objects.filter(recipient__in=[never, no_email], emailed_at=None).count() == 2
    )


def test_read_and_muted_notifications_are_not_emailed(outbox):
    user = UserFactory()
    preference_set(user=user, digest="daily", muted=["events"])
    note(user, kind="events.reminder", action="Muted event", created_at=_at(hours=-3))
    read = note(user, action="Already read", created_at=_at(hours=-2))
    Notification.objects.filter(pk=read.pk).update(read_at=_at(hours=-1))
    send_digests(period="daily", now=_at())
    assert _mine(outbox, user) == []  # nothing left to tell: no e-mail at all
    note(user, action="Fresh", created_at=_at(days=1, hours=-1))
    send_digests(period="daily", now=_at(days=1))
    (message,) = _mine(outbox, user)
    assert "Fresh" in message.body and "Muted event" not in message.body


def test_a_failed_send_leaves_everything_unsent_for_the_next_run(outbox):
    user = UserFactory()
    first = note(user, created_at=_at(hours=-1))
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("smtp down"),
    ):
        run = send_digests(period="daily", now=_at())
    assert run.failed >= 1 and _mine(outbox, user) == []
    first.refresh_from_db()
    assert first.emailed_at is None
    assert NotificationPreference.objects.get(user=user).last_digest_at is None
    send_digests(period="daily", now=_at(hours=1))
    assert len(_mine(outbox, user)) == 1
    first.refresh_from_db()
    assert first.emailed_at == _at(hours=1)


def test_a_digest_claimed_by_another_run_is_not_sent_again(outbox):
    user = UserFactory()
    note(user, created_at=_at(hours=-1))
    preference_set(user=user, digest="daily")
    # Another process claimed today's digest a moment ago (and is sending it).
    NotificationPreference.objects.filter(user=user).update(last_digest_at=_at(hours=-0.01))
    send_digests(period="daily", now=_at())
    assert _mine(outbox, user) == []


def test_long_digests_list_the_newest_and_count_the_rest(outbox):
    user = UserFactory(preferred_language="en")
    for i in range(53):
        note(user, action=f"Action {i:02}", created_at=_at(hours=-1, days=-i / 100))
    send_digests(period="daily", now=_at())
    (message,) = _mine(outbox, user)
    assert message.subject == "Aimak: 53 new notifications"
    assert "Action 00" in message.body and "Action 52" not in message.body
    assert "…and 3 more." in message.body


def test_command_and_task(outbox):
    user = UserFactory()
    note(user)
    call_command("send_digests", "--period", "daily")
    assert len(_mine(outbox, user)) == 1
    with pytest.raises(CommandError):
        call_command("send_digests", "--period", "monthly")
    other = UserFactory()
    note(other)
    result = send_digests_job.enqueue("daily")  # immediate backend in tests
    assert result.return_value["sent"] >= 1
    assert len(_mine(outbox, other)) == 1
