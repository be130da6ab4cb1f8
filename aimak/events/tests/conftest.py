import datetime

import pytest
from django.utils import timezone

from aimak.events.services import event_create


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def make_event(demo_user):
    def make(municipalities, *, user=None, days=0, **kwargs):
        values = {
            "title_ky": "Сыноо иш-чарасы",
            "title_ru": "Тестовое мероприятие",
            "kind": "hearing_budget",
            "starts_at": timezone.now() + datetime.timedelta(days=days),
            "place": "Айыл өкмөтү",
        }
        values.update(kwargs)
        return event_create(
            municipalities=list(municipalities), user=user or demo_user("staff"), **values
        )

    return make
