import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from aimak.notifications.context_processors import unread
from aimak.notifications.forms import follow_token
from aimak.notifications.models import Notification, NotificationPreference, Subscription
from aimak.notifications.selectors import subscribers_of
from aimak.territories.models import Territory
from tests.factories import UserFactory

from .factories import note

pytestmark = pytest.mark.django_db


def test_list_needs_sign_in(client):
    response = client.get("/ky/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_unread_first_in_the_readers_language(client):
    user = UserFactory(preferred_language="ru")
    old_unread = note(user, action="Old unread")
    read = note(user, action="Read one")
    Notification.objects.filter(pk=read.pk).update(read_at=old_unread.created_at)
    note(user, action="Newest unread")
    note(UserFactory(), action="Someone else's")
    client.force_login(user)
    html = client.get("/ru/notifications/").content.decode()
    assert html.index("Newest unread") < html.index("Old unread") < html.index("Read one")
    assert "Someone else" not in html
    assert "Просрочено" in html and "2 непрочитанных" in html
    html = client.get("/ru/notifications/?unread=1").content.decode()
    assert "Read one" not in html and "Old unread" in html


def test_open_marks_read_and_follows_the_link_in_the_page_language(client):
    user = UserFactory()
    n = note(user, url="/ky/plans/recommendations/7/")
    client.force_login(user)
    response = client.get(f"/ru/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/ru/plans/recommendations/7/"
    n.refresh_from_db()
    assert n.read_at is not None
    outside = note(user, url="https://evil.example.com/")
    response = client.get(f"/ky/notifications/{outside.pk}/open/")
    assert response["Location"] == "/ky/notifications/"


def test_mark_one_and_all_read(client):
    user = UserFactory()
    first, *_others = (note(user, action=f"N{i}") for i in range(3))
    client.force_login(user)
    response = client.post(f"/ky/notifications/{first.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/ky/notifications/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get(f"/ky/notifications/{first.pk}/read/").status_code == 405
    client.post("/ky/notifications/read-all/")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_another_users_notification_cannot_be_read_or_opened(client):
    owner, intruder = UserFactory(), UserFactory()
    n = note(owner)
    client.force_login(intruder)
    assert client.post(f"/ky/notifications/{n.pk}/read/").status_code == 404
    assert client.get(f"/ky/notifications/{n.pk}/open/").status_code == 404
    client.post("/ky/notifications/read-all/")
    n.refresh_from_db()
    assert n.read_at is None


def test_list_query_count_does_not_grow(client):
    user = UserFactory()
    client.force_login(user)
    note(user)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/ky/notifications/").status_code == 200
    for i in range(40):
        note(user, action=f"More {i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/ky/notifications/").content.decode()
    assert 'href="?page=2"' in html
    assert len(many) == len(few)
    # Session, user, base.html's permissions, then: paginator count, the page, the unread
    # count (and the header's unread count once the context processor is installed).
    ours = [q for q in few.captured_queries if "notifications_notification" in q["sql"]]
    assert len(ours) <= 4 and len(few) <= 10


def test_settings_page_saves_the_choice(client):
    user = UserFactory(preferred_language="ru")
    client.force_login(user)
    html = client.get("/ru/notifications/settings/").content.decode()
    assert "Ежедневно" in html and not NotificationPreference.objects.filter(user=user).exists()
    response = client.post(
        "/ru/notifications/settings/", {"digest": "weekly", "weekday": "4", "muted": ["events"]}
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=user)
    assert (pref.digest, pref.weekday, pref.muted) == ("weekly", 4, ["events"])
    assert pref.history.count() == 1
    # A forged form changes nothing.
    response = client.post(
        "/ru/notifications/settings/", {"digest": "hourly", "weekday": "9", "muted": ["spam"]}
    )
    assert response.status_code == 200
    pref.refresh_from_db()
    assert (pref.digest, pref.weekday, pref.muted) == ("weekly", 4, ["events"])


def test_context_processor_costs_nothing_for_anonymous_and_one_query_otherwise(
    rf: RequestFactory, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/ky/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {}
    user = UserFactory()
    for _ in range(3):
        note(user)
    request.user = user
    with django_assert_num_queries(1):
        count = unread(request)["notifications_unread"]
        assert str(count) == "3" and count and int(count) == 3
    with django_assert_num_queries(0):
        assert str(count) == "3"  # counted once per request


def test_anonymous_page_makes_no_notification_query(client, settings):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    "aimak.notifications.context_processors.unread",
                ],
            },
        }
    ]
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ky/about/").status_code == 200
    assert not [q for q in queries.captured_queries if "notification" in q["sql"]]


def test_follow_include_and_forged_follow(client, demo_municipality):
    user = UserFactory()
    template = Template("{% load notifications %}{% follow_button target %}")
    request = RequestFactory().get("/ky/territories/x/")
    request.user = user
    html = template.render(Context({"request": request, "target": demo_municipality}))
    assert 'value="follow"' in html
    client.force_login(user)
    token = follow_token(demo_municipality)
    response = client.post("/ky/notifications/follow/", {"target": token, "next": "/ky/about/"})
    assert response["Location"] == "/ky/about/"
    assert list(subscribers_of(demo_municipality)) == [user]
    client.post("/ky/notifications/follow/", {"target": token})  # twice: still one
    assert Subscription.objects.filter(user=user).count() == 1
    html = template.render(Context({"request": request, "target": demo_municipality}))
    assert 'value="unfollow"' in html
    # The settings page lists what the user follows, with a way to stop.
    page = client.get("/ky/notifications/settings/").content.decode()
    assert demo_municipality.name in page and 'value="unfollow"' in page
    client.post("/ky/notifications/follow/", {"target": token, "action": "unfollow"})
    assert list(subscribers_of(demo_municipality)) == []
    # A forged or tampered token follows nothing.
    other = Territory.objects.exclude(pk=demo_municipality.pk).first()
    forged = token.replace(token.split(":")[0], token.split(":")[0][:-1] + "x")
    assert client.post("/ky/notifications/follow/", {"target": forged}).status_code == 404
    assert client.post("/ky/notifications/follow/", {"target": str(other.pk)}).status_code == 404
    assert not Subscription.objects.filter(user=user).exists()


def test_follow_include_for_anonymous_links_to_sign_in(demo_municipality):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/ky/territories/x/")
    request.user = AnonymousUser()
    html = Template("{% load notifications %}{% follow_button target %}").render(
        Context({"request": request, "target": demo_municipality})
    )
    assert "/accounts/login/?next=" in html and "<form" not in html
