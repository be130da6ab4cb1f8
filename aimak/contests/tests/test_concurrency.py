"""Two connections voting at once for the same voter: exactly one vote is stored and the
other is refused with the message (PostgreSQL only: SQLite serialises writers).

The data is written and removed by helper threads (their own connections, committed), so
the test needs no `transaction=True`, which would flush the shared demo data."""

import datetime
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone, translation

from aimak.accounts.models import User
from aimak.contests import services
from aimak.contests.models import Application, AppStatus, Contest, Vote, VoterVerification
from aimak.territories.models import Territory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent connections)"
)


def in_thread(fn: Callable[[], Any]) -> Any:
    box: dict[str, Any] = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc
        finally:
            connections.close_all()

    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.mark.django_db
def test_concurrent_double_vote_counts_once():
    def setup():
        now = timezone.now()
        day = datetime.timedelta(days=1)
        contest = Contest.objects.create(
            slug="race-contest", number="2026-99", title_ru="Гонка",
            secretary=User.objects.get(username="demo-content"),
            call_opens=now - 20 * day, call_closes=now - 10 * day,
            voting_opens=now - day, voting_closes=now + day, announced_at=now - 30 * day,
        )  # fmt: skip
        places = Territory.objects.filter(code__in=["41703204804000", "41704210820000"])
        apps = [
            Application.objects.create(
                contest=contest,
                municipality=p,
                title=f"R{n}",
                status=AppStatus.REGISTERED,
                submitted_by=contest.secretary,
                registration_seq=n,
            )
            for n, p in enumerate(places, start=1)
        ]
        voter = User.objects.create(username="race-voter", email="race@example.kg")
        VoterVerification.objects.create(user=voter, method="admin")
        return contest, apps, voter

    contest, apps, voter = in_thread(setup)
    try:
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def cast(app):
            try:
                barrier.wait()
                with translation.override("en"):
                    services.vote_cast(contest=contest, application=app, voter=voter, ip="10.1.1.1")
                outcomes.append("ok")
            except ValidationError as exc:
                outcomes.append(" ".join(exc.messages))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=cast, args=(app,)) for app in apps]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert outcomes.count("ok") == 1, outcomes
        assert any("already voted" in o for o in outcomes), outcomes
        assert in_thread(lambda: Vote.objects.filter(contest=contest, voter=voter).count()) == 1
    finally:

        def cleanup():
            Vote.objects.filter(contest=contest).delete()
            Application.objects.filter(contest=contest).delete()
            Contest.objects.filter(pk=contest.pk).delete()
            User.objects.filter(pk=voter.pk).delete()

        in_thread(cleanup)
