"""Progress is computed, never typed: hand-computed values."""

import datetime
from decimal import Decimal

import pytest

from aimak.plans.models import Action, Recommendation
from aimak.plans.progress import action_progress, mean_progress
from aimak.plans.services import action_set_status, milestone_add, status_save

D = Decimal


def test_mean_is_plain_without_weights_and_weighted_with_them():
    assert mean_progress([(D(0), None), (D(50), None), (D(100), None)]) == D("50.0")
    # (100*3 + 0*1) / 4 = 75
    assert mean_progress([(D(100), D(3)), (D(0), D(1))]) == D("75.0")
    # a missing weight counts as 1: (20*2 + 50*1) / 3 = 30
    assert mean_progress([(D(20), D(2)), (D(50), None)]) == D("30.0")
    assert mean_progress([(D(10), None), (D(20), None), (D(20), None)]) == D("16.7")
    assert mean_progress([]) == D(0)


def test_action_progress_rules():
    assert action_progress(default=50, is_open=True, latest_milestone=None) == 50
    assert action_progress(default=50, is_open=True, latest_milestone=70) == 70
    # Closed: the status's default whatever the milestones said (done 100).
    assert action_progress(default=100, is_open=False, latest_milestone=70) == 100
    assert action_progress(default=0, is_open=False, latest_milestone=70) == 0


@pytest.mark.django_db
def test_progress_follows_milestones_statuses_and_weights(
    demo_municipality, make_rec, make_action, statuses, demo_user
):
    staff = demo_user("staff")
    rec = make_rec(demo_municipality)
    a = make_action(rec, status="planned")  # 0
    b = make_action(rec, status="in_progress")  # 50
    rec.refresh_from_db()
    assert rec.progress == D("25.0")
    today = datetime.date.today()
    milestone_add(action=a, user=staff, date=today - datetime.timedelta(days=3), progress=30)
    milestone_add(action=a, user=staff, date=today, progress=60)
    a.refresh_from_db()
    assert a.progress == 60  # the latest milestone
    rec.refresh_from_db()
    assert rec.progress == D("55.0")  # (60 + 50) / 2
    c = make_action(rec, status="delayed", weight=D(2))  # 25, weight 2; others weigh 1
    rec.refresh_from_db()
    assert rec.progress == D("40.0")  # (60 + 50 + 2*25) / 4
    action_set_status(action=b, status=statuses["done"], user=staff)
    rec.refresh_from_db()
    assert rec.progress == D("52.5")  # (60 + 100 + 2*25) / 4
    # Cancelled actions are left out: (60 + 100) / 2
    action_set_status(action=c, status=statuses["cancelled"], user=staff)
    rec.refresh_from_db()
    assert rec.progress == D("80.0")
    # Back to open: the latest milestone counts again.
    action_set_status(action=b, status=statuses["in_progress"], user=staff)
    b.refresh_from_db()
    assert b.progress == 50 and b.done_at is None


@pytest.mark.django_db
def test_changing_a_status_default_recomputes_its_actions(
    demo_municipality, make_rec, make_action, statuses, demo_user
):
    rec = make_rec(demo_municipality)
    a = make_action(rec, status="in_progress")
    make_action(rec, status="planned")
    s = statuses["in_progress"]
    status_save(
        status=s,
        user=demo_user("admin"),
        key=s.key,
        name_ky=s.name_ky,
        name_ru=s.name_ru,
        name_en=s.name_en,
        default_progress=40,
        is_open=True,
        excluded=False,
        order=s.order,
    )
    assert Action.objects.get(pk=a.pk).progress == 40
    assert Recommendation.objects.get(pk=rec.pk).progress == D("20.0")
