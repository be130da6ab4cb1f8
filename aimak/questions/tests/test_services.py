import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aimak.legal.models import IssuingBody
from aimak.notifications.models import Notification
from aimak.questions.models import Answer, Question, Reminder, Status
from aimak.questions.selectors import (
    active_user_ids,
    activity_by_category,
    admin_queue,
    breaches,
    expert_answers,
    public_questions,
    question_clock,
    question_search,
    questions_visible,
    response_share_by_month,
)
from aimak.questions.services import (
    answer_add,
    answer_publish,
    question_rate,
    question_route,
    questions_send_reminders,
    rule_save,
)

from .conftest import at

H = datetime.timedelta(hours=1)


def test_due_at_is_24_hours_after_asking(make_question):
    q = make_question(at=at(2025, 3, 1, 10, 0))
    assert q.due_at == at(2025, 3, 2, 10, 0)
    assert q.status == Status.NEW and q.first_response_at is None


def test_clock_running_due_soon_overdue_and_answered(make_question, admin):
    q = make_question(at=at(2025, 3, 1, 10, 0))
    clock = question_clock(q, now=at(2025, 3, 1, 12, 30))
    assert (clock.state, clock.hours, clock.minutes) == ("running", 21, 30)
    clock = question_clock(q, now=at(2025, 3, 2, 6, 15))
    assert (clock.state, clock.hours, clock.minutes) == ("due_soon", 3, 45)
    clock = question_clock(q, now=at(2025, 3, 2, 11, 5))
    assert (clock.state, clock.hours, clock.minutes) == ("overdue", 1, 5)
    answer_add(question=q, by=admin, body="Ответ", at=at(2025, 3, 2, 9, 59))
    q.refresh_from_db()
    assert q.first_response_at == at(2025, 3, 2, 9, 59)
    assert q.status == Status.ANSWERED
    clock = question_clock(q, now=at(2025, 4, 1))
    assert (clock.state, clock.hours, clock.minutes) == ("in_time", 23, 59)


def test_answer_exactly_at_24_hours_is_in_time_one_minute_later_is_late(make_question, admin):
    q1 = make_question(at=at(2025, 3, 1, 10, 0))
    q2 = make_question(at=at(2025, 3, 1, 10, 0))
    answer_add(question=q1, by=admin, body="Ответ", at=at(2025, 3, 2, 10, 0))
    answer_add(question=q2, by=admin, body="Ответ", at=at(2025, 3, 2, 10, 1))
    q1.refresh_from_db()
    q2.refresh_from_db()
    assert question_clock(q1).state == "in_time"
    assert question_clock(q2).state == "late"


def test_draft_does_not_stop_the_clock_until_published(make_question, admin):
    q = make_question(at=at(2025, 3, 1, 10, 0))
    draft = answer_add(
        question=q, by=admin, body="Черновик", published=False, at=at(2025, 3, 1, 11)
    )
    q.refresh_from_db()
    assert q.first_response_at is None and q.status == Status.NEW
    answer_publish(answer=draft, by=admin, at=at(2025, 3, 3, 10))
    q.refresh_from_db()
    assert q.first_response_at == at(2025, 3, 3, 10)
    assert question_clock(q).state == "late"
    # A second answer does not move the first response.
    answer_add(question=q, by=admin, body="Ещё", at=at(2025, 3, 4))
    q.refresh_from_db()
    assert q.first_response_at == at(2025, 3, 3, 10)


def test_monthly_share_against_hand_counted_data(make_question, admin):
    # January 2020: 4 asked; 2 in time (1 h, exactly 24 h), 1 late (25 h), 1 never.
    jan = [make_question(at=at(2020, 1, d, 12)) for d in (3, 10, 20, 31)]
    answer_add(question=jan[0], by=admin, body="Ответ", at=at(2020, 1, 3, 13))
    answer_add(question=jan[1], by=admin, body="Ответ", at=at(2020, 1, 11, 12))
    answer_add(question=jan[2], by=admin, body="Ответ", at=at(2020, 1, 21, 13))
    # Asked 31 Jan 12:00, answered 1 Feb 11:00 (23 h): counts for January... no, jan[3]
    # stays unanswered. February: 1 asked at 23:30 Bishkek on the last day, answered in 2 h.
    feb = make_question(at=at(2020, 2, 29, 23, 30))
    answer_add(question=feb, by=admin, body="Ответ", at=at(2020, 3, 1, 1, 30))
    # March 2020: nothing asked.
    rows = response_share_by_month(months=3, today=datetime.date(2020, 3, 15))
    assert [r.month for r in rows] == [
        datetime.date(2020, 3, 1),
        datetime.date(2020, 2, 1),
        datetime.date(2020, 1, 1),
    ]
    assert [(r.asked, r.answered_in_time) for r in rows] == [(0, 0), (1, 1), (4, 2)]
    assert rows[0].share is None
    assert rows[1].share == 1.0
    assert rows[2].share == 0.5


def test_rule_routes_on_asking_and_admin_can_reroute(
    make_question, admin, expert, other_expert, themes
):
    Notification.objects.all().delete()
    rule_save(by=admin, theme=themes["pastures"], expert=expert)
    q = make_question(theme=themes["pastures"])
    assert q.routed_to_expert == expert and q.status == Status.ROUTED
    assert q.routed_by_rule is not None and q.routed_by is None
    assert Notification.objects.filter(recipient=expert.user, kind="questions.routed").count() == 1
    assert Notification.objects.filter(recipient=admin, kind="questions.new").count() == 1
    body = IssuingBody.objects.get(slug="gamsumo")
    q = question_route(question=q, by=admin, body=body)
    assert q.routed_to_body == body and q.routed_to_expert is None and q.routed_by == admin
    # Another theme: no rule, stays new.
    q2 = make_question(theme=themes["waste"])
    assert q2.status == Status.NEW and q2.routed_to is None


def test_new_rule_replaces_the_active_one(admin, expert, other_expert, themes):
    first = rule_save(by=admin, theme=themes["pastures"], expert=expert)
    second = rule_save(by=admin, theme=themes["pastures"], expert=other_expert)
    first.refresh_from_db()
    assert not first.active and second.active


def test_only_content_admin_routes_and_manages_rules(make_question, stranger, expert, themes):
    q = make_question()
    with pytest.raises(PermissionDenied):
        question_route(question=q, by=stranger, expert=expert)
    with pytest.raises(PermissionDenied):
        rule_save(by=stranger, theme=themes["waste"], expert=expert)
    q.refresh_from_db()
    assert q.routed_to is None


def test_route_needs_exactly_one_target(make_question, admin, expert):
    q = make_question()
    with pytest.raises(ValidationError):
        question_route(question=q, by=admin)


def test_answer_by_routed_expert_allowed_other_expert_refused(
    make_question, admin, expert, other_expert, asker, stranger
):
    q = make_question()
    question_route(question=q, by=admin, expert=expert)
    with pytest.raises(PermissionDenied):
        answer_add(question=q, by=other_expert.user, body="Чужой ответ")
    with pytest.raises(PermissionDenied):
        answer_add(question=q, by=asker, body="Сам себе")
    with pytest.raises(PermissionDenied):
        answer_add(question=q, by=stranger, body="Посторонний")
    assert not Answer.objects.filter(question=q).exists()
    answer = answer_add(
        question=q, by=expert.user, body="<p>Ответ <script>x()</script>эксперта</p>"
    )
    assert answer.expert == expert and answer.body == "<p>Ответ эксперта</p>"
    assert Notification.objects.filter(recipient=asker, kind="questions.answered").exists()


def test_state_body_answer_is_entered_on_its_behalf(make_question, admin):
    body = IssuingBody.objects.get(slug="minfin")
    q = make_question()
    question_route(question=q, by=admin, body=body)
    answer = answer_add(question=q, by=admin, body="Ответ министерства")
    assert answer.body_of == body and answer.expert is None


def test_rating_only_by_the_asker_after_an_answer(make_question, admin, stranger, asker):
    q = make_question()
    with pytest.raises(PermissionDenied):
        question_rate(question=q, by=asker, rating=5)  # nothing to rate yet
    answer_add(question=q, by=admin, body="Ответ")
    with pytest.raises(PermissionDenied):
        question_rate(question=q, by=stranger, rating=1)
    with pytest.raises(PermissionDenied):
        question_rate(question=q, by=admin, rating=1)
    q.refresh_from_db()
    assert q.rating is None
    with pytest.raises(ValidationError):
        question_rate(question=q, by=asker, rating=6)
    question_rate(question=q, by=asker, rating=4, comment="<b>Хорошо</b>")
    q.refresh_from_db()
    assert (q.rating, q.rating_comment) == (4, "Хорошо")


def test_private_question_visible_only_to_asker_expert_admin(
    make_question, admin, expert, asker, stranger
):
    q = make_question(visibility="private")
    question_route(question=q, by=admin, expert=expert)
    answer_add(question=q, by=expert.user, body="Ответ")
    for user, sees in ((asker, True), (expert.user, True), (admin, True), (stranger, False)):
        assert questions_visible(user=user).filter(pk=q.pk).exists() is sees
    assert not questions_visible(user=None).filter(pk=q.pk).exists()
    assert q not in public_questions()
    assert not expert_answers(expert=expert).exists()


def test_public_question_is_public_only_once_answered(make_question, admin, stranger):
    q = make_question()
    assert not questions_visible(user=stranger).filter(pk=q.pk).exists()
    answer_add(question=q, by=admin, body="Ответ")
    assert questions_visible(user=stranger).filter(pk=q.pk).exists()


def test_search_title_body_and_answers_any_case_and_kyrgyz_letters(make_question, admin):
    q = make_question(title="Жайыт билетинин баасы канча болот?", body="Үй жаныбарлары")
    answer_add(question=q, by=admin, body="Жайыт комитети аныктайт, тариф ТӨМӨН.")
    assert [x.pk for x in question_search(query="ЖАЙЫТ комитети")] == [q.pk]
    assert [x.pk for x in question_search(query="төмөн")] == [q.pk]
    assert [x.pk for x in question_search(query="томон уй")] == [q.pk]
    assert question_search(query="жайыт отсутствует") == []
    draft = make_question(title="Черновой вопрос про ульи пасеки")
    answer_add(question=draft, by=admin, body="пасечник", published=False)
    assert question_search(query="пасечник") == []


def test_reminders_sent_once_each(make_question, admin, expert):
    Notification.objects.all().delete()
    q = make_question(at=at(2025, 3, 1, 10, 0))
    question_route(question=q, by=admin, expert=expert)
    mine = Reminder.objects.filter(question=q)
    questions_send_reminders(now=at(2025, 3, 2, 5, 59))  # 4 h 1 min left
    assert not mine.exists()
    questions_send_reminders(now=at(2025, 3, 2, 6, 0))
    questions_send_reminders(now=at(2025, 3, 2, 6, 15))
    assert list(mine.values_list("kind", flat=True)) == ["due_soon"]
    soon = Notification.objects.filter(kind="questions.due_soon", target_id=str(q.pk))
    assert {n.recipient_id for n in soon} >= {expert.user.pk, admin.pk}
    assert soon.filter(recipient=expert.user).count() == 1
    questions_send_reminders(now=at(2025, 3, 2, 10, 0))
    questions_send_reminders(now=at(2025, 3, 2, 11, 0))
    assert sorted(mine.values_list("kind", flat=True)) == ["breached", "due_soon"]
    late = Notification.objects.filter(kind="questions.breached", target_id=str(q.pk))
    assert late.filter(recipient=expert.user).count() == 1


def test_answered_question_gets_no_reminder(make_question, admin):
    q = make_question(at=at(2025, 3, 1, 10, 0))
    answer_add(question=q, by=admin, body="Ответ", at=at(2025, 3, 1, 11))
    questions_send_reminders(now=at(2025, 3, 3))
    assert not Reminder.objects.filter(question=q).exists()


def test_breaches_and_queue(make_question, admin, expert):
    late = make_question(at=at(2025, 3, 1, 10))
    answer_add(question=late, by=admin, body="Ответ", at=at(2025, 3, 2, 11))
    in_time = make_question(at=at(2025, 3, 1, 10))
    answer_add(question=in_time, by=admin, body="Ответ", at=at(2025, 3, 1, 11))
    open_overdue = make_question(at=at(2025, 3, 1, 10))
    now = at(2025, 3, 5)
    fresh = make_question(at=now - H)
    routed = make_question(at=now - H)
    question_route(question=routed, by=admin, expert=expert)
    found = set(breaches(now=now).values_list("pk", flat=True))
    assert {late.pk, open_overdue.pk} <= found
    assert in_time.pk not in found and fresh.pk not in found
    queue = admin_queue(now=now)
    ids = {k: {q.pk for q in v} for k, v in queue.items()}
    assert open_overdue.pk in ids["overdue"]
    assert fresh.pk in ids["unrouted"] and routed.pk in ids["routed"]
    assert late.pk not in ids["overdue"] | ids["unrouted"] | ids["routed"]


def test_audience_contracts(make_question, admin, asker):
    since, until = at(2019, 5, 1), at(2019, 6, 1)
    q = make_question(at=at(2019, 5, 10))
    answer_add(question=q, by=admin, body="Ответ", at=at(2019, 5, 10, 2))
    make_question(at=at(2019, 6, 2))  # outside
    ids = {row["user_id"] for row in active_user_ids(since=since, until=until)}
    assert ids == {asker.pk, admin.pk}
    assert activity_by_category(since=since, until=until) == {asker.audience_category: 1}


def test_seeded_demo_has_every_case(db):
    demo = Question.objects.filter(title__contains="(демо)")
    assert demo.count() == 10
    states = {question_clock(q).state for q in demo}
    assert {"in_time", "late", "running", "overdue"} <= states
    assert demo.filter(visibility="private").exists()
    assert demo.filter(rating__isnull=False).count() >= 3
    assert demo.filter(routed_by_rule__isnull=False).exists()
    assert demo.filter(routed_by__isnull=False).exists()
    assert demo.filter(status=Status.NEW).exists()
