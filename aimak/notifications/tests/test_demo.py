import pytest
from django.utils import translation

from aimak.demo.notifications import seed_notifications
from aimak.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_demo_notifications_and_preferences(demo_user, demo_municipality):
    staff, monitor = demo_user("staff"), demo_user("monitor")
    # Other apps' demo data may notify these users too; ours carry a demo key.
    ours = Notification.objects.filter(params__has_key="demo_key")
    kinds = set(ours.filter(recipient=staff).values_list("kind", flat=True))
    assert kinds == {"plans.overdue", "events.reminder"}
    assert ours.filter(recipient=monitor).count() == 2
    assert all(n.params["demo"] == "DEMO" for n in ours)
    assert ours.filter(recipient=staff, read_at__isnull=False).count() == 1
    with translation.override(staff.preferred_language):
        texts = [n.text() for n in ours]
    assert all("(демо)" in text for text in texts)
    assert NotificationPreference.objects.get(user=staff).digest == "daily"
    assert NotificationPreference.objects.get(user=monitor).digest == "weekly"

    before = (Notification.objects.count(), NotificationPreference.history.count())
    seed_notifications(demo_municipality)
    assert (Notification.objects.count(), NotificationPreference.history.count()) == before
