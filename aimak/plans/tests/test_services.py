"""Writes: references checked, history kept, evidence checked, alerts and follow-ups once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from aimak.notifications.models import Notification
from aimak.plans.models import (
    Action,
    Evidence,
    FollowUp,
    Milestone,
    OverdueAlert,
    Recommendation,
    Source,
    StatusChange,
    Verdict,
)
from aimak.plans.services import (
    EvidenceIn,
    action_set_status,
    contact_add,
    follow_up_answer,
    follow_ups_ask,
    milestone_add,
    overdue_alerts_send,
    recommendation_create,
    verification_add,
)
from aimak.surveys.models import Round

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%..."


def published_round():
    return Round.objects.get(key="demo:round:41703204804000:2025")


@pytest.mark.django_db
def test_a_report_card_finding_needs_a_real_index_of_the_round(demo_municipality, demo_user):
    from aimak.catalogue.models import Service

    round = published_round()
    water = Service.objects.get(slug="drinking-water")
    rec = recommendation_create(
        municipality=demo_municipality,
        user=demo_user("staff"),
        title_ru="Вода",
        source=Source.CRC_FINDING,
        round=round,
        service=water,
        index="water_quality",
        finding_value="38 %",
    )
    assert rec.index_label  # the question's label, as the results show it
    assert rec.round == round and rec.service == water
    with pytest.raises(ValidationError, match="no index"):
        recommendation_create(
            municipality=demo_municipality,
            user=demo_user("staff"),
            title_ru="Вода",
            source=Source.CRC_FINDING,
            round=round,
            service=water,
            index="roads_quality",
        )
    with pytest.raises(ValidationError, match="round, service and index"):
        recommendation_create(
            municipality=demo_municipality,
            user=demo_user("staff"),
            title_ru="Вода",
            source=Source.CRC_FINDING,
        )


@pytest.mark.django_db
def test_a_round_of_another_municipality_is_refused(other_municipality, demo_user):
    from aimak.catalogue.models import Service

    with pytest.raises(ValidationError, match="another municipality"):
        recommendation_create(
            municipality=other_municipality,
            user=demo_user("staff"),
            title_ru="Вода",
            source=Source.CRC_FINDING,
            round=published_round(),
            service=Service.objects.get(slug="drinking-water"),
            index="water_quality",
        )


@pytest.mark.django_db
def test_study_needs_its_reference_and_a_title(demo_municipality, demo_user):
    with pytest.raises(ValidationError, match="study or programme"):
        recommendation_create(
            municipality=demo_municipality,
            user=demo_user("staff"),
            title_ru="X",
            source=Source.STUDY,
        )
    with pytest.raises(ValidationError, match="Kyrgyz or in Russian"):
        recommendation_create(
            municipality=demo_municipality,
            user=demo_user("staff"),
            source=Source.STUDY,
            reference="Ref",
        )


@pytest.mark.django_db
def test_status_changes_are_kept_with_who_and_when(
    demo_municipality, make_rec, make_action, statuses, demo_user
):
    staff = demo_user("staff")
    action = make_action(make_rec(demo_municipality))
    action_set_status(action=action, status=statuses["in_progress"], user=staff, note="Начали")
    action_set_status(action=action, status=statuses["done"], user=staff)
    changes = list(StatusChange.objects.filter(action=action))
    assert [(c.from_status and c.from_status.key, c.to_status.key) for c in changes] == [
        (None, "planned"),
        ("planned", "in_progress"),
        ("in_progress", "done"),
    ]
    assert all(c.by == staff for c in changes)
    assert action.history.count() >= 3  # simple-history keeps every save
    with pytest.raises(ValidationError, match="already"):
        action_set_status(action=action, status=statuses["done"], user=staff)


@pytest.mark.django_db
def test_bad_evidence_is_refused_and_nothing_half_written(
    demo_municipality, make_rec, make_action, demo_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    staff = demo_user("staff")
    action = make_action(make_rec(demo_municipality))
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not a photo"):
        milestone_add(
            action=action,
            user=staff,
            date=datetime.date.today(),
            progress=40,
            evidence=[EvidenceIn(url="https://example.org/ok"), EvidenceIn(file=exe)],
        )
    assert not Milestone.objects.filter(action=action).exists()
    assert not Evidence.objects.filter(milestone__action=action).exists()
    with pytest.raises(ValidationError, match="web address"):
        milestone_add(
            action=action,
            user=staff,
            date=datetime.date.today(),
            progress=40,
            evidence=[EvidenceIn(url="javascript:alert(1)")],
        )
    with (
        override_settings(PLANS_EVIDENCE_MAX_BYTES=32),
        pytest.raises(ValidationError, match="too large"),
    ):
        milestone_add(
            action=action,
            user=staff,
            date=datetime.date.today(),
            progress=40,
            evidence=[EvidenceIn(file=SimpleUploadedFile("p.png", PNG))],
        )
    m = milestone_add(
        action=action,
        user=staff,
        date=datetime.date.today(),
        progress=40,
        evidence=[
            EvidenceIn(file=SimpleUploadedFile("p.png", PNG), title="Фото"),
            EvidenceIn(file=SimpleUploadedFile("act.pdf", PDF)),
            EvidenceIn(url="https://example.org/report"),
        ],
    )
    assert [e.kind for e in m.evidence.all()] == ["photo", "document", "link"]
    assert m.evidence.first().file.name.startswith("plans/")


@pytest.mark.django_db
def test_verification_only_of_done_actions(
    demo_municipality, make_rec, make_action, statuses, demo_user
):
    monitor = demo_user("monitor")
    action = make_action(make_rec(demo_municipality), status="in_progress")
    with pytest.raises(ValidationError, match="reported as done"):
        verification_add(action=action, user=monitor, verdict=Verdict.VERIFIED)
    action_set_status(action=action, status=statuses["done"], user=demo_user("staff"))
    with pytest.raises(ValidationError, match="comment"):
        verification_add(action=action, user=monitor, verdict=Verdict.DISPUTED)
    verification_add(action=action, user=monitor, verdict=Verdict.DISPUTED, comment="Нет")
    verification_add(
        action=action,
        user=monitor,
        verdict=Verdict.VERIFIED,
        comment="Теперь да",
        evidence=[EvidenceIn(url="https://example.org/photo")],
    )
    action.refresh_from_db()
    assert action.verification == "verified"
    assert action.verifications.count() == 2  # both kept


@pytest.mark.django_db
def test_overdue_alerts_once_per_action_and_deadline(
    demo_municipality, make_rec, make_action, demo_user
):
    today = timezone.localdate()
    OverdueAlert.objects.all().delete()
    Action.objects.update(deadline=today + datetime.timedelta(days=365))  # the demo's own
    action = make_action(
        make_rec(demo_municipality),
        deadline=today - datetime.timedelta(days=1),
        responsible_user=demo_user("deputy"),
    )
    before = Notification.objects.filter(kind="plans.overdue").count()
    assert overdue_alerts_send(today=today) == 1
    notes = Notification.objects.filter(kind="plans.overdue")
    assert notes.count() - before == 2  # staff and the responsible deputy
    assert set(notes.values_list("recipient__username", flat=True)) >= {"demo-staff", "demo-deputy"}
    assert overdue_alerts_send(today=today) == 0  # never twice
    assert overdue_alerts_send(today=today + datetime.timedelta(days=5)) == 0
    # A new deadline is a new episode.
    Action.objects.filter(pk=action.pk).update(deadline=today + datetime.timedelta(days=1))
    assert overdue_alerts_send(today=today + datetime.timedelta(days=3)) == 1


@pytest.mark.django_db
def test_follow_ups_asked_once_and_answered_by_token(
    demo_municipality, make_rec, make_action, statuses, demo_user
):
    FollowUp.objects.all().delete()
    staff = demo_user("staff")
    rec = make_rec(demo_municipality)
    contact_add(recommendation=rec, user=staff, email="Citizen@Example.org", consent=True)
    contact_add(recommendation=rec, user=staff, email="silent@example.org", consent=False)
    with pytest.raises(ValidationError, match="already"):
        contact_add(recommendation=rec, user=staff, email="citizen@example.org", consent=True)
    action = make_action(rec)
    now = timezone.now()
    action_set_status(
        action=action, status=statuses["done"], user=staff, at=now - datetime.timedelta(days=10)
    )
    Action.objects.exclude(pk=action.pk).update(done_at=None)  # the demo's own
    assert follow_ups_ask(now=now, days=21) == 0  # not yet
    mail.outbox.clear()
    asked = follow_ups_ask(now=now + datetime.timedelta(days=12), days=21)
    assert asked == 2  # the demo monitor (in the app) and the consenting citizen (e-mail)
    assert follow_ups_ask(now=now + datetime.timedelta(days=13), days=21) == 0
    citizen = FollowUp.objects.get(action=action, email="citizen@example.org")
    monitor = FollowUp.objects.get(action=action, recipient=demo_user("monitor"))
    assert Notification.objects.filter(recipient=monitor.recipient, kind="plans.follow_up").exists()
    follow_up_answer(follow_up=citizen, answer="partly", comment="Только в центре")
    follow_up_answer(follow_up=citizen, answer="done")  # may change while open
    citizen.refresh_from_db()
    assert citizen.answer == "done" and citizen.history.count() >= 3
    action_set_status(action=action, status=statuses["in_progress"], user=staff)
    with pytest.raises(ValidationError, match="closed"):
        follow_up_answer(follow_up=citizen, answer="not_done")


@pytest.mark.django_db(transaction=False)
def test_contact_email_is_sent_on_commit(
    demo_municipality,
    make_rec,
    make_action,
    statuses,
    demo_user,
    django_capture_on_commit_callbacks,
):
    FollowUp.objects.all().delete()
    staff = demo_user("staff")
    rec = make_rec(demo_municipality)
    contact_add(recommendation=rec, user=staff, email="c@example.org", consent=True)
    action = make_action(rec)
    Action.objects.update(done_at=None)
    action_set_status(
        action=action,
        status=statuses["done"],
        user=staff,
        at=timezone.now() - datetime.timedelta(days=30),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        follow_ups_ask()
    assert len(mail.outbox) == 1
    token = FollowUp.objects.get(email="c@example.org").token
    assert f"/ky/plans/follow-up/{token}/" in mail.outbox[0].body
    assert f"/ru/plans/follow-up/{token}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_demo_plan_is_there_and_idempotent(demo_municipality):
    from aimak.demo.plans import seed_plans

    recs = Recommendation.objects.filter(
        municipality=demo_municipality, title_ru__contains="(демо)"
    )
    count = recs.count()
    assert 5 <= count <= 8
    assert Action.objects.filter(recommendation__in=recs, verification="verified").exists()
    assert Action.objects.filter(recommendation__in=recs, verification="disputed").exists()
    assert any(a.is_overdue() for a in Action.objects.filter(recommendation__in=recs))
    assert FollowUp.objects.filter(action__recommendation__in=recs).exclude(answer="").exists()
    seed_plans(demo_municipality)
    assert recs.count() == count
