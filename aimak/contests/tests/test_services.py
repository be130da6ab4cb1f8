import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aimak.contests import selectors, services
from aimak.contests.models import (
    AppStatus,
    Contest,
    FlagReason,
    FlagStatus,
    Stage,
    Vote,
    VoteFlag,
)
from aimak.notifications.models import Notification
from tests.factories import UserFactory

from .conftest import DAY, pdf_file, verified

pytestmark = pytest.mark.django_db


def test_stage_follows_the_dates(make_contest):
    contest = make_contest("call")
    now = timezone.now()
    assert contest.stage_at(now) == Stage.CALL
    assert contest.stage_at(contest.call_opens - datetime.timedelta(seconds=1)) == Stage.ANNOUNCED
    assert contest.stage_at(contest.call_closes) == Stage.REVIEW
    assert contest.stage_at(contest.voting_opens) == Stage.VOTING
    assert contest.stage_at(contest.voting_closes - datetime.timedelta(seconds=1)) == Stage.VOTING
    assert contest.stage_at(contest.voting_closes) == Stage.CLOSED
    contest.results_published_at = now
    assert contest.stage_at(now) == Stage.RESULTS
    contest.announced_at = None
    assert contest.stage_at(now) == Stage.DRAFT


def test_contest_save_checks_dates_and_regulations_and_announce_notifies(admin, staff):
    now = timezone.now()
    data = services.ContestData(
        title={"ru": "Лучший проект", "ky": "Мыкты долбоор"}, description={"ru": "<script>x</script>Текст"},
        call_opens=now + DAY, call_closes=now + 3 * DAY, voting_opens=now + 2 * DAY,
        voting_closes=now + 9 * DAY,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="dates must follow"):
        services.contest_save(by=admin, data=data)
    data.voting_opens = now + 4 * DAY
    data.regulations = SimpleUploadedFile("r.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationError, match="not an accepted type"):
        services.contest_save(by=admin, data=data)
    with pytest.raises(PermissionDenied):
        services.contest_save(by=staff, data=data)
    data.regulations = pdf_file()
    contest = services.contest_save(by=admin, data=data)
    assert (
        contest.number
        == f"{timezone.localtime(now + DAY).year}-{Contest.objects.filter(number__startswith=contest.number[:5]).count():02d}"
    )
    assert "script" not in contest.description_ru and contest.regulations_kind == "pdf"
    assert contest.stage == Stage.DRAFT
    with pytest.raises(ValidationError, match="at least one question"):
        services.contest_announce(contest=contest, by=admin)
    services.field_add(contest=contest, by=admin, label={"ru": "Описание"}, kind="long")
    with pytest.raises(ValidationError, match="two options"):
        services.field_add(
            contest=contest, by=admin, label={"ru": "Выбор"}, kind="choice", choices=["A"]
        )
    services.criterion_add(
        contest=contest, by=admin, name={"ru": "Польза"}, max_score=10, weight=Decimal("1.5")
    )
    before = Notification.objects.filter(recipient=staff, kind="contests.announced").count()
    services.contest_announce(contest=contest, by=admin)
    assert contest.__class__.objects.get(pk=contest.pk).stage == Stage.ANNOUNCED
    assert (
        Notification.objects.filter(recipient=staff, kind="contests.announced").count()
        == before + 1
    )


def test_dynamic_form_validation(make_contest, staff, demo_municipality):
    contest = make_contest("call")
    short, number, choice, attachment = contest.fields.all()
    app = services.application_create(
        contest=contest, municipality=demo_municipality, by=staff, title="Вода"
    )
    with pytest.raises(ValidationError) as exc:
        services.application_update(
            application=app, by=staff, answers={str(number.pk): "много", str(choice.pk): "Небо"}
        )
    text = " ".join(exc.value.messages)
    assert "Бюджет" in text and "write a number" in text and "choose one of the options" in text
    with pytest.raises(ValidationError, match="does not have these questions"):
        services.application_update(application=app, by=staff, answers={"99999": "x"})
    with pytest.raises(ValidationError, match="at most 300"):
        services.application_update(application=app, by=staff, answers={str(short.pk): "x" * 301})
    services.application_update(
        application=app,
        by=staff,
        answers={str(short.pk): " Колодец ", str(number.pk): "1 250 000,50"},
    )
    app.refresh_from_db()
    assert app.answers == {str(short.pk): "Колодец", str(number.pk): "1250000.50"}
    with pytest.raises(ValidationError, match="Смета"):
        services.application_submit(application=app, by=staff)
    with pytest.raises(ValidationError, match="not an accepted type"):
        services.application_update(
            application=app,
            by=staff,
            files={str(attachment.pk): SimpleUploadedFile("a.pdf", b"hello")},
        )
    services.application_update(
        application=app, by=staff, files={str(attachment.pk): pdf_file("smeta.pdf")}
    )
    app = services.application_submit(application=app, by=staff)
    assert app.status == AppStatus.SUBMITTED and app.files.get().name == "smeta.pdf"
    with pytest.raises(ValidationError, match="can no longer change"):
        services.application_update(application=app, by=staff, title="Другое")


def test_another_municipality_cannot_touch_a_draft(
    make_contest, staff, other_staff, demo_municipality
):
    contest = make_contest("call")
    app = services.application_create(
        contest=contest, municipality=demo_municipality, by=staff, title="Вода"
    )
    with pytest.raises(PermissionDenied):
        services.application_update(application=app, by=other_staff, title="Захват")
    with pytest.raises(PermissionDenied):
        services.application_submit(application=app, by=other_staff)
    with pytest.raises(PermissionDenied):
        services.application_create(
            contest=contest, municipality=demo_municipality, by=other_staff, title="x"
        )
    with pytest.raises(ValidationError, match="already has an application"):
        services.application_create(
            contest=contest, municipality=demo_municipality, by=staff, title="x"
        )
    app.refresh_from_db()
    assert app.title == "Вода" and app.status == AppStatus.DRAFT
    assert app not in selectors.applications_visible(user=other_staff)
    assert app in selectors.applications_visible(user=staff)
    assert not other_staff.has_perm("contests.view_application", app)


def test_application_outside_the_call_is_refused(make_contest, staff, demo_municipality):
    contest = make_contest("review")
    with pytest.raises(ValidationError, match="not open"):
        services.application_create(
            contest=contest, municipality=demo_municipality, by=staff, title="Поздно"
        )


def test_registration_numbers_follow_each_other(
    make_contest, staff, other_staff, admin, demo_municipality, other_municipality
):
    contest = make_contest("call")
    apps = []
    for user, place in ((staff, demo_municipality), (other_staff, other_municipality)):
        app = services.application_create(
            contest=contest, municipality=place, by=user, title=f"П {place.code}"
        )
        short, number, _choice, attachment = contest.fields.all()
        services.application_update(application=app, by=user, answers={str(short.pk): "a", str(number.pk): "1"},
                                    files={str(attachment.pk): pdf_file()})  # fmt: skip
        apps.append(services.application_submit(application=app, by=user))
    second = services.application_register(application=apps[1], by=admin)
    first = services.application_register(application=apps[0], by=admin)
    assert second.registration_number == f"{contest.number}/001"
    assert first.registration_number == f"{contest.number}/002"
    with pytest.raises(ValidationError, match="Only a submitted"):
        services.application_register(application=first, by=admin)
    with pytest.raises(PermissionDenied):
        services.application_reject(application=first, by=staff, reason="нет")
    assert Notification.objects.filter(recipient=staff, kind="contests.registered").exists()


def test_conflict_blocks_scoring(make_contest, registered, jury, expert, expert2):
    contest = make_contest("review")
    app, _other = registered(contest)
    member, member2 = jury(contest)
    values = {c.pk: 3 for c in contest.criteria.all()}
    with pytest.raises(ValidationError, match="Declare first"):
        services.scores_save(member=member, application=app, by=expert, values=values)
    services.conflict_declare(
        member=member, application=app, by=expert, has_conflict=True, note="родственник"
    )
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        services.scores_save(member=member, application=app, by=expert, values=values)
    with pytest.raises(ValidationError, match="already made"):
        services.conflict_declare(member=member, application=app, by=expert, has_conflict=False)
    with pytest.raises(PermissionDenied):
        services.conflict_declare(member=member2, application=app, by=expert, has_conflict=False)
    assert not app.scores.exists()


def test_weighted_totals_match_a_hand_computation(make_contest, registered, jury, expert, expert2):
    contest = make_contest("review", criteria=((10, "2"), (5, "1.5")))
    a, b = registered(contest)
    m1, m2 = jury(contest)
    c1, c2 = contest.criteria.all()
    for member, user, app, v1, v2 in (
        (m1, expert, a, 8, 4),
        (m2, expert2, a, 6, 5),
        (m1, expert, b, 9, 2),
    ):
        services.conflict_declare(member=member, application=app, by=user, has_conflict=False)
        services.scores_save(member=member, application=app, by=user, values={c1.pk: v1, c2.pk: v2})
    services.conflict_declare(member=m2, application=b, by=expert2, has_conflict=True)
    with pytest.raises(ValidationError, match="between 0 and 5"):
        services.scores_save(member=m1, application=a, by=expert, values={c1.pk: 8, c2.pk: 6})
    criteria, rows = selectors.contest_results(contest=contest)
    by_app = {r.application.pk: r for r in rows}
    # a: (8×2 + 4×1.5 = 22) and (6×2 + 5×1.5 = 19.5) → mean 20.75; b: 9×2 + 2×1.5 = 21
    assert by_app[a.pk].jury_total == Decimal("20.75")
    assert by_app[b.pk].jury_total == Decimal("21.00")
    assert by_app[b.pk].jury_count == 1 and by_app[b.pk].conflicts == 1
    assert selectors.max_total(criteria) == Decimal("27.5")
    assert by_app[a.pk].jury_percent == Decimal("75.5")  # 20.75 / 27.5
    assert by_app[a.pk].criteria_means == [Decimal("7.00"), Decimal("4.50")]
    assert [r.application.pk for r in rows] == [b.pk, a.pk]


def test_one_vote_per_verified_user(make_contest, registered, voter):
    contest = make_contest("voting")
    a, b = registered(contest)
    services.vote_cast(contest=contest, application=a, voter=voter, ip="10.0.0.1")
    with pytest.raises(ValidationError, match="already voted"):
        services.vote_cast(contest=contest, application=b, voter=voter, ip="10.0.0.1")
    unverified = UserFactory(username="not-verified")
    with pytest.raises(PermissionDenied, match="verified"):
        services.vote_cast(contest=contest, application=a, voter=unverified)
    assert selectors.vote_counts(contest=contest) == {a.pk: 1}
    vote = Vote.objects.get(contest=contest)
    assert vote.ip_hash and "10.0.0.1" not in vote.ip_hash and len(vote.ip_hash) == 64


def test_votes_outside_the_window_or_for_other_applications_are_refused(
    make_contest, registered, voter, staff, demo_municipality
):
    closed = make_contest("closed", slug="closed")
    (app, _b) = registered(closed)
    with pytest.raises(ValidationError, match="not open"):
        services.vote_cast(contest=closed, application=app, voter=voter)
    open_ = make_contest("voting", slug="open")
    with pytest.raises(ValidationError, match="registered application of this contest"):
        services.vote_cast(contest=open_, application=app, voter=voter)
    assert not Vote.objects.filter(voter=voter).exists()


def test_suspicious_patterns_are_flagged_and_annulled_votes_kept(make_contest, registered, admin):
    contest = make_contest("voting")
    a, b = registered(contest)
    voters = [verified(UserFactory(username=f"v{n}")) for n in range(6)]
    for n, user in enumerate(voters):
        services.vote_cast(
            contest=contest, application=a if n % 2 else b, voter=user, ip="203.0.113.5"
        )
    flag = VoteFlag.objects.get(contest=contest, reason=FlagReason.SAME_ADDRESS)
    assert flag.flagged.count() == 6 and flag.status == FlagStatus.PENDING
    # New accounts, five votes for one application within the hour.
    fresh = [verified(UserFactory(username=f"n{n}")) for n in range(5)]
    for n, user in enumerate(fresh):
        services.vote_cast(contest=contest, application=a, voter=user, ip=f"198.51.100.{n}")
    assert VoteFlag.objects.filter(reason=FlagReason.NEW_ACCOUNTS, key=str(a.pk)).exists()
    assert selectors.vote_counts(contest=contest) == {a.pk: 8, b.pk: 3}
    services.flag_decide(flag=flag, by=admin, annul=True, note="один компьютер")
    assert selectors.vote_counts(contest=contest) == {a.pk: 5}
    assert (
        Vote.objects.filter(contest=contest).count() == 11
        and selectors.annulled_votes(contest=contest) == 6
    )
    with pytest.raises(ValidationError, match="already been made"):
        services.flag_decide(flag=flag, by=admin, annul=False)


def test_verification_codes_are_one_time_and_hashed(admin, voter):
    codes = services.verification_codes_issue(by=admin, count=2, label="Сход")
    user = UserFactory(username="code-user")
    services.verification_redeem(user=user, code=codes[0].lower())
    assert selectors.is_verified(user=user)
    other = UserFactory(username="code-user-2")
    with pytest.raises(ValidationError, match="not valid"):
        services.verification_redeem(user=other, code=codes[0])
    from aimak.contests.models import VerificationCode

    assert not VerificationCode.objects.filter(
        code_hash__icontains=codes[1].replace("-", "")
    ).exists()


def test_winners_and_publication(make_contest, registered, admin, staff):
    contest = make_contest("voting")
    a, _b = registered(contest)
    with pytest.raises(ValidationError, match="after voting closes"):
        services.winners_set(
            contest=contest, by=admin, awards=[services.Award(application_id=a.pk, place=1)]
        )
    Contest.objects.filter(pk=contest.pk).update(
        voting_closes=timezone.now() - DAY, voting_opens=timezone.now() - 2 * DAY
    )
    contest.refresh_from_db()
    with pytest.raises(ValidationError, match="at least one winner"):
        services.results_publish(contest=contest, by=admin)
    with pytest.raises(ValidationError, match="1, 2 or 3"):
        services.winners_set(
            contest=contest, by=admin, awards=[services.Award(application_id=a.pk, place=4)]
        )
    services.winners_set(
        contest=contest, by=admin, awards=[services.Award(application_id=a.pk, place=1)]
    )
    services.results_publish(contest=contest, by=admin)
    contest.refresh_from_db()
    assert contest.stage == Stage.RESULTS
    assert Notification.objects.filter(recipient=staff, kind="contests.results").exists()


def test_contracts(make_contest, registered, voter):
    contest = make_contest("voting")
    a, _b = registered(contest)
    services.vote_cast(contest=contest, application=a, voter=voter)
    since, until = timezone.now() - DAY, timezone.now() + DAY
    assert voter.pk in {
        row["user_id"] for row in selectors.active_user_ids(since=since, until=until)
    }
    assert selectors.activity_by_category(since=since, until=until).get("citizen", 0) >= 1


def test_demo_contests(db):
    from aimak.demo.contests import CLOSED, FINISHED, VOTING

    assert Contest.objects.get(slug=CLOSED).stage == Stage.CLOSED

    finished = Contest.objects.get(slug=FINISHED)
    voting = Contest.objects.get(slug=VOTING)
    assert finished.stage == Stage.RESULTS and voting.stage == Stage.VOTING
    assert finished.applications.filter(place=1).exists()
    assert voting.flags.filter(reason=FlagReason.SAME_ADDRESS).exists()
    assert voting.jury.filter(declarations__has_conflict=True).exists()
    assert sum(selectors.vote_counts(contest=voting).values()) == 8
    assert voting.applications.filter(municipality__code="41703204804000").exists()
    assert voting.applications.values("municipality").distinct().count() >= 3
