"""Every read of communities of practice."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from .models import (
    Access,
    Community,
    Member,
    MemberStatus,
    ModerationDecision,
    Post,
    PostReport,
    PostStatus,
    Thread,
)
from .rules import is_content_admin

# Authors may edit their own post for this long after writing it.
EDIT_WINDOW = datetime.timedelta(minutes=30)
HIDDEN_STATUSES = (PostStatus.HIDDEN_BY_REPORTS, PostStatus.HIDDEN_BY_MODERATOR)


def hide_after_reports() -> int:
    return int(settings.COMMUNITY_HIDE_AFTER_REPORTS)


def default_messenger_url() -> str:
    """The portal's common channel of the Union of LSGs (settings.COMMUNITIES_MESSENGER_URL)."""
    return str(settings.COMMUNITIES_MESSENGER_URL or "")


def messenger_url(community: Community) -> str:
    return community.messenger_url or default_messenger_url()


# --- who may see what ---------------------------------------------------------------------


def moderated_ids(user: Any) -> set[int] | None:
    """Ids of the communities the user moderates; None means every one (content admin)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if is_content_admin(user):
        return None
    return set(user.moderated_communities.values_list("pk", flat=True))


def communities_readable(*, user: Any) -> QuerySet[Community]:
    """Communities whose threads the user may read (paired with rule communities.view)."""
    qs = Community.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.filter(access=Access.OPEN)
    if is_content_admin(user):
        return qs
    return qs.filter(
        Q(access=Access.OPEN)
        | Q(moderators=user)
        | Q(members__user=user, members__status=MemberStatus.ACTIVE)
    ).distinct()


def can_read(*, user: Any, community: Community) -> bool:
    return bool(user.has_perm("communities.view", community))


# --- lists --------------------------------------------------------------------------------


def community_list(*, user: Any) -> list[Community]:
    """Every community (names are public), with thread counts and the user's membership."""
    communities: list[Community] = list(
        Community.objects.select_related("theme").annotate(thread_count=Count("threads"))
    )
    memberships = {}
    if getattr(user, "is_authenticated", False):
        memberships = dict(Member.objects.filter(user=user).values_list("community_id", "status"))
    for community in communities:
        community.my_status = memberships.get(community.pk, "")  # type: ignore[attr-defined]
    return communities


def community_get(*, slug: str) -> Community:
    return Community.objects.select_related("theme").get(slug=slug)


def membership_of(*, user: Any, community: Community) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(community=community, user=user).first()


def member_count(*, community: Community) -> int:
    return community.members.filter(status=MemberStatus.ACTIVE).count()


def pending_members(*, community: Community) -> QuerySet[Member]:
    return community.members.filter(status=MemberStatus.PENDING).select_related("user")


def thread_list(*, community: Community) -> QuerySet[Thread]:
    """Pinned first, then by latest post; with the number of visible posts."""
    return (
        community.threads.select_related("author")
        .annotate(post_count=Count("posts", filter=Q(posts__status=PostStatus.VISIBLE)))
        .order_by("-pinned", "-last_post_at", "-pk")
    )


def thread_get(*, pk: int) -> Thread:
    return Thread.objects.select_related("community", "author").get(pk=pk)


def thread_posts(*, thread: Thread) -> QuerySet[Post]:
    """Every post of the thread in order; the page decides what each reader sees."""
    return (
        thread.posts.select_related("author")
        .prefetch_related("mentions")
        .annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
            revision_count=Count("revisions"),
        )
        .order_by("created_at", "pk")
    )


def visible_posts(*, thread: Thread) -> QuerySet[Post]:
    """Only the posts everyone may read (the API's list)."""
    return (
        thread.posts.filter(status=PostStatus.VISIBLE)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def post_get(*, pk: int) -> Post:
    return Post.objects.select_related("thread__community", "author").get(pk=pk)


def shows_body(*, post: Post, user: Any, moderator: bool) -> bool:
    """Whether `user` sees the text of `post`: visible posts to all readers, hidden ones
    to their author and moderators, removed ones to moderators only."""
    if post.status == PostStatus.VISIBLE or moderator:
        return True
    return post.status in HIDDEN_STATUSES and post.author_id == getattr(user, "pk", None)


def can_edit_own(*, post: Post, user: Any, now: datetime.datetime) -> bool:
    return (
        post.author_id == getattr(user, "pk", None)
        and post.status == PostStatus.VISIBLE
        and not post.thread.locked
        and now - post.created_at <= EDIT_WINDOW
    )


def post_revisions(*, post: Post) -> QuerySet[Any]:
    return post.revisions.select_related("edited_by").order_by("created_at", "pk")


def has_reported(*, user: Any, post_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        PostReport.objects.filter(reporter=user, post_id__in=post_ids).values_list(
            "post_id", flat=True
        )
    )


def moderation_queue(*, user: Any) -> QuerySet[Post]:
    """Posts hidden after reports or with open reports, in communities the user moderates,
    most reported first."""
    qs = Post.objects.filter(
        Q(status=PostStatus.HIDDEN_BY_REPORTS) | Q(reports__resolved_at__isnull=True)
    )
    ids = moderated_ids(user)
    if ids is not None:
        qs = qs.filter(thread__community_id__in=ids)
    return (
        qs.distinct()
        .select_related("thread__community", "author")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .order_by("-open_reports", "created_at")
    )


def open_reports(*, post: Post) -> QuerySet[PostReport]:
    return post.reports.filter(resolved_at__isnull=True).select_related("reporter")


def decision_log(*, user: Any, limit: int = 50) -> QuerySet[ModerationDecision]:
    qs = ModerationDecision.objects.all()
    ids = moderated_ids(user)
    if ids is not None:
        qs = qs.filter(community_id__in=ids)
    return qs.select_related("community", "moderator", "post__thread", "thread", "member")[:limit]


def member_posts(*, author: Any, viewer: Any) -> QuerySet[Post]:
    """A member's visible posts in communities the viewer may read, newest first."""
    return (
        Post.objects.filter(
            author=author,
            status=PostStatus.VISIBLE,
            thread__community__in=communities_readable(user=viewer),
        )
        .select_related("thread__community")
        .order_by("-created_at", "-pk")
    )


# --- contracts with aimak.audience --------------------------------------------------------


def active_user_ids(*, since: datetime.datetime, until: datetime.datetime) -> QuerySet[Any]:
    """Ids of users who posted in a community in [since, until) (one column `user_id`)."""
    return (
        Post.objects.filter(created_at__gte=since, created_at__lt=until)
        .values(user_id=F("author_id"))
        .distinct()
    )


def activity_by_category(*, since: datetime.datetime, until: datetime.datetime) -> dict[str, int]:
    """{audience category: posts written in [since, until)} (threads count by their first
    post)."""
    rows = (
        Post.objects.filter(created_at__gte=since, created_at__lt=until)
        .values("author__audience_category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["author__audience_category"]: row["n"] for row in rows}
