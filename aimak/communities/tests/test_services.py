import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aimak.communities.models import (
    Action,
    Member,
    MemberStatus,
    ModerationDecision,
    Post,
    PostReport,
    PostStatus,
)
from aimak.communities.selectors import (
    active_user_ids,
    activity_by_category,
    communities_readable,
    moderation_queue,
)
from aimak.communities.services import (
    CommunityData,
    community_join,
    community_leave,
    community_save,
    member_approve,
    post_create,
    post_edit,
    post_moderate,
    post_report,
    thread_create,
    thread_moderate,
)
from aimak.notifications.models import Notification
from aimak.notifications.selectors import is_subscribed
from aimak.notifications.services import send_digests, subscribe

pytestmark = pytest.mark.django_db


def test_hostile_html_is_sanitised(thread, people):
    post = post_create(
        author=people["bob"],
        thread=thread,
        body='<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:alert(1)">x</a>'
        '<img src=x onerror=alert(1)><iframe src="https://evil"></iframe></p>',
    )
    assert "script" not in post.body and "alert" not in post.body
    assert "onclick" not in post.body and "onerror" not in post.body
    assert "iframe" not in post.body and "javascript" not in post.body
    assert "Hi" in post.body


def test_empty_post_is_refused(thread, people):
    with pytest.raises(ValidationError):
        post_create(author=people["bob"], thread=thread, body="<script>x</script>  ")
    assert thread.posts.count() == 1


def test_community_only_by_content_admin(people):
    with pytest.raises(PermissionDenied):
        community_save(by=people["alice"], data=CommunityData(name={"ru": "Моё"}))


def test_messenger_url_must_be_https(admin):
    with pytest.raises(ValidationError):
        community_save(
            by=admin, data=CommunityData(name={"ru": "X"}, messenger_url="http://t.me/x")
        )
    c = community_save(
        by=admin, data=CommunityData(name={"ru": "X"}, messenger_url="https://t.me/union")
    )
    assert c.messenger_url == "https://t.me/union"


def test_joining_follows_the_community(community, people):
    member = community_join(user=people["bob"], community=community)
    assert member.status == MemberStatus.ACTIVE
    assert is_subscribed(user=people["bob"], target=community)
    community_leave(user=people["bob"], community=community)
    assert not is_subscribed(user=people["bob"], target=community)
    assert not Member.objects.filter(user=people["bob"]).exists()


def test_members_only_community(closed_community, moderator, people):
    bob = people["bob"]
    assert closed_community not in communities_readable(user=bob)
    with pytest.raises(PermissionDenied, match="Only members"):
        thread_create(author=bob, community=closed_community, title="Hello there", body="Hi")
    member = community_join(user=bob, community=closed_community)
    assert member.status == MemberStatus.PENDING
    assert Notification.objects.filter(
        recipient=moderator, kind="communities.join_request"
    ).exists()
    with pytest.raises(PermissionDenied):
        member_approve(moderator=people["carol"], community=closed_community, member=member)
    member_approve(moderator=moderator, community=closed_community, member=member)
    assert closed_community in communities_readable(user=bob)
    thread = thread_create(author=bob, community=closed_community, title="Hello there", body="Hi")
    assert thread.posts.count() == 1


def test_locked_thread_refuses_replies(thread, moderator, people):
    thread_moderate(moderator=moderator, thread=thread, action=Action.LOCK)
    with pytest.raises(PermissionDenied, match="closed"):
        post_create(author=people["bob"], thread=thread, body="Late reply")
    assert thread.posts.count() == 1
    with pytest.raises(PermissionDenied):
        thread_moderate(moderator=people["bob"], thread=thread, action=Action.UNLOCK)


def test_mention_notifies_existing_user_only(thread, people):
    post = post_create(
        author=people["bob"], thread=thread, body="Спросите @carol и @nosuchuser, и @carol."
    )
    assert list(post.mentions.values_list("username", flat=True)) == ["carol"]
    notes = Notification.objects.filter(kind="communities.mention", target_id=str(thread.pk))
    assert [n.recipient.username for n in notes] == ["carol"]


def test_mention_of_someone_who_cannot_see_is_not_notified(closed_community, moderator, people):
    thread = thread_create(
        author=moderator, community=closed_community, title="Only members", body="@erin look"
    )
    assert not Notification.objects.filter(
        kind="communities.mention", recipient=people["erin"]
    ).exists()
    assert thread.posts.get().mentions.filter(username="erin").exists()


def test_followers_notified_once_and_no_email_until_digest(thread, community, people):
    bob, carol = people["bob"], people["carol"]
    community_join(user=carol, community=community)  # follows the community
    subscribe(user=carol, target=thread)  # and the thread: still one notification
    mail.outbox.clear()
    post_create(author=bob, thread=thread, body="Мы считаем по головам.")
    assert mail.outbox == []
    kinds = list(Notification.objects.filter(recipient=carol).values_list("kind", flat=True))
    assert kinds.count("communities.post") == 1
    # alice started the thread, so she follows it
    assert Notification.objects.filter(recipient=people["alice"], kind="communities.post").exists()
    assert not Notification.objects.filter(recipient=bob, kind="communities.post").exists()
    run = send_digests(period="daily", now=timezone.now() + datetime.timedelta(minutes=1))
    assert run.sent >= 1
    digest = [m for m in mail.outbox if carol.email in m.to]
    assert len(digest) == 1
    assert thread.title in digest[0].body


def test_auto_hide_at_exactly_the_threshold(thread, people, moderator):
    post = thread.posts.get()
    post_report(reporter=people["bob"], post=post, reason="spam")
    post_report(reporter=people["carol"], post=post, reason="abuse")
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE
    assert not Notification.objects.filter(
        kind="communities.hidden", target_id=str(thread.pk)
    ).exists()
    post_report(reporter=people["dave"], post=post, reason="other", text="Реклама")
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN_BY_REPORTS
    assert Notification.objects.filter(kind="communities.hidden", recipient=moderator).exists()
    assert post in moderation_queue(user=moderator)


def test_threshold_follows_the_setting(thread, people, settings):
    settings.COMMUNITY_HIDE_AFTER_REPORTS = 1
    post = thread.posts.get()
    post_report(reporter=people["bob"], post=post, reason="spam")
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN_BY_REPORTS


def test_same_reporter_twice_is_refused(thread, people):
    post = thread.posts.get()
    post_report(reporter=people["bob"], post=post, reason="spam")
    for _ in range(2):
        with pytest.raises(PermissionDenied, match="already reported"):
            post_report(reporter=people["bob"], post=post, reason="spam")
    assert PostReport.objects.filter(post=post).count() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE


def test_own_post_cannot_be_reported(thread, people):
    with pytest.raises(PermissionDenied):
        post_report(reporter=people["alice"], post=thread.posts.get(), reason="spam")


def _hide(post, people):
    for name in ("bob", "carol", "dave"):
        post_report(reporter=people[name], post=post, reason="spam")
    post.refresh_from_db()


def test_restore_dismisses_reports_and_needs_three_new_ones(thread, people, moderator):
    post = thread.posts.get()
    _hide(post, people)
    post_moderate(moderator=moderator, post=post, action=Action.RESTORE)
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE
    assert not post.reports.filter(resolved_at__isnull=True).exists()
    assert post not in moderation_queue(user=moderator)
    post_report(reporter=people["erin"], post=post, reason="spam")
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE  # one new report is below the threshold
    assert ModerationDecision.objects.get(post=post).action == Action.RESTORE


def test_moderator_edit_keeps_the_original(thread, people, moderator):
    post = thread.posts.get()
    original = post.body
    post_moderate(
        moderator=moderator,
        post=post,
        action=Action.EDIT,
        note="Телефон убран",
        body="Расскажите, как вы считаете тариф (без телефона).",
    )
    post.refresh_from_db()
    assert post.edited_by_moderator and "без телефона" in post.body
    revision = post.revisions.get()
    assert revision.body == original and revision.by_moderator
    assert revision.edited_by == moderator and revision.reason == "Телефон убран"
    assert Notification.objects.filter(
        recipient=people["alice"], kind="communities.moderated"
    ).exists()


def test_edit_needs_a_reason(thread, moderator):
    with pytest.raises(ValidationError):
        post_moderate(moderator=moderator, post=thread.posts.get(), action="edit", body="New")


def test_moderating_without_the_role_is_refused(thread, people):
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        post_moderate(moderator=people["bob"], post=post, action=Action.REMOVE)
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE
    assert not ModerationDecision.objects.filter(post=post).exists()


def test_content_admin_moderates_every_community(thread, admin):
    post = thread.posts.get()
    post_moderate(moderator=admin, post=post, action=Action.REMOVE)
    post.refresh_from_db()
    assert post.status == PostStatus.REMOVED


def test_author_edits_own_post_within_window(thread, people):
    post = thread.posts.get()
    post_edit(user=people["alice"], post=post, body="Новый текст")
    post.refresh_from_db()
    assert post.body == "<p>Новый текст</p>" and post.edited_at and not post.edited_by_moderator
    assert post.revisions.get().body == "<p>Расскажите, как вы считаете тариф.</p>"
    with pytest.raises(PermissionDenied, match="own"):
        post_edit(user=people["bob"], post=post, body="Чужой текст")
    with pytest.raises(PermissionDenied, match="30"):
        post_edit(
            user=people["alice"],
            post=post,
            body="Поздно",
            now=post.created_at + datetime.timedelta(minutes=31),
        )
    post.refresh_from_db()
    assert post.body == "<p>Новый текст</p>"


def test_hidden_post_cannot_be_edited_by_author(thread, people):
    post = thread.posts.get()
    _hide(post, people)
    with pytest.raises(PermissionDenied):
        post_edit(user=people["alice"], post=post, body="Спрячу следы")


def test_audience_contract(thread, people):
    now = timezone.now()
    since, until = now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1)
    post_create(author=people["bob"], thread=thread, body="Ответ")
    ids = {row["user_id"] for row in active_user_ids(since=since, until=until)}
    assert {people["alice"].pk, people["bob"].pk} <= ids
    counts = activity_by_category(since=since, until=until)
    assert counts.get("citizen", 0) >= 2
    assert active_user_ids(since=until, until=until + datetime.timedelta(hours=1)).count() == 0


def test_demo_seed_is_there_and_idempotent(demo_municipality):
    from aimak.demo.communities import seed_communities

    before = Post.objects.count()
    seed_communities(demo_municipality)
    assert Post.objects.count() == before
    assert Post.objects.filter(status=PostStatus.HIDDEN_BY_REPORTS).exists()
    assert Post.objects.filter(edited_by_moderator=True, revisions__by_moderator=True).exists()
    assert Post.objects.filter(mentions__username="demo-staff").exists()
