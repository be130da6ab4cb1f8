"""Every write of communities of practice.

Posts are sanitised (nh3, `clean_rich_text`) before they are stored. A post reported by
`hide_after_reports()` distinct people is hidden until a moderator decides; every
decision is logged (`ModerationDecision`), and an edit keeps the text it replaced
(`PostRevision`). Followers hear of new posts through notifications, which reach e-mail
only in digests.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aimak.notifications.selectors import subscribers_of
from aimak.notifications.services import notify, subscribe, unsubscribe
from aimak.practices.services import clean_rich_text
from aimak.territories.transliteration import latin

from .models import (
    Access,
    Action,
    Community,
    Member,
    MemberStatus,
    ModerationDecision,
    Post,
    PostReport,
    PostRevision,
    PostStatus,
    ReportReason,
    Thread,
    https_only,
)
from .rules import forget_moderated, is_content_admin
from .selectors import EDIT_WINDOW, HIDDEN_STATUSES, hide_after_reports

LANGS = ("ky", "ru", "en")
MAX_POST_CHARS = 20_000
MIN_TITLE_CHARS = 5
MENTION = re.compile(r"(?<![\w@/])@([\w.+-]{2,150})")


# --- communities and members --------------------------------------------------------------


@dataclass
class CommunityData:
    name: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    theme: Any = None
    access: str = Access.OPEN
    messenger_url: str = ""
    moderators: list[Any] = field(default_factory=list)
    slug: str = ""


RESERVED_SLUGS = frozenset({"new", "moderation", "members", "threads", "posts"})


def _unique_slug(text: str) -> str:
    base = slugify(latin(text))[:70] or "community"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Community.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def community_save(
    *, by: Any, data: CommunityData, community: Community | None = None
) -> Community:
    """Create or change a community (the content administrator)."""
    if not is_content_admin(by):
        raise PermissionDenied(_("Only the content administrator can set up communities."))
    names = {lang: (data.name.get(lang) or "").strip() for lang in LANGS}
    if not any(names.values()):
        raise ValidationError(_("Give the community a name in at least one language."))
    if data.access not in Access.values:
        raise ValidationError(_("Choose who may take part."))
    url = (data.messenger_url or "").strip()
    if url:
        https_only(url)
    with transaction.atomic():
        if community is None:
            community = Community(
                slug=data.slug or _unique_slug(names["ru"] or names["ky"] or names["en"])
            )
        for lang in LANGS:
            setattr(community, f"name_{lang}", names[lang])
            description = (data.description.get(lang) or "").strip()
            setattr(community, f"description_{lang}", description)
        community.theme = data.theme
        community.access = data.access
        community.messenger_url = url
        community.full_clean(exclude=["moderators"])
        community.save()
        community.moderators.set(data.moderators)
        for moderator in data.moderators:
            forget_moderated(moderator)
        return community


def community_join(*, user: Any, community: Community) -> Member:
    """Join an open community at once (and follow it); ask to join a members-only one."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to join a community."))
    with transaction.atomic():
        existing = Member.objects.filter(community=community, user=user).first()
        if existing is not None:
            return existing
        if community.access == Access.OPEN or user.has_perm("communities.moderate", community):
            member = Member.objects.create(
                community=community, user=user, status=MemberStatus.ACTIVE
            )
            subscribe(user=user, target=community)
            return member
        member = Member.objects.create(community=community, user=user, status=MemberStatus.PENDING)
        notify(
            recipients=_moderators(community),
            kind="communities.join_request",
            message=gettext_noop("%(name)s asks to join the community “%(community)s”."),
            params={"name": user.display_name, "community": community.name},
            url=community.get_absolute_url(),
            target=community,
        )
        return member


def community_leave(*, user: Any, community: Community) -> bool:
    """Leave (or withdraw a request) and stop following the community."""
    with transaction.atomic():
        deleted, _detail = Member.objects.filter(community=community, user=user).delete()
        unsubscribe(user=user, target=community)
        return bool(deleted)


def member_approve(*, moderator: Any, community: Community, member: Member) -> Member:
    """A moderator accepts a request to join a members-only community."""
    if not moderator.has_perm("communities.moderate", community):
        raise PermissionDenied(_("Only this community's moderators can accept members."))
    if member.community_id != community.pk:
        raise ValidationError(_("This request is not for this community."))
    with transaction.atomic():
        if member.status != MemberStatus.ACTIVE:
            member.status = MemberStatus.ACTIVE
            member.approved_by = moderator
            member.save(update_fields=["status", "approved_by"])
            subscribe(user=member.user, target=community)
            ModerationDecision.objects.create(
                community=community,
                member=member.user,
                moderator=moderator,
                action=Action.APPROVE_MEMBER,
            )
            notify(
                recipients=[member.user],
                kind="communities.joined",
                message=gettext_noop("You are now a member of the community “%(community)s”."),
                params={"community": community.name},
                url=community.get_absolute_url(),
                target=community,
            )
        return member


# --- threads and posts --------------------------------------------------------------------


def _moderators(community: Community) -> list[Any]:
    return list(community.moderators.filter(is_active=True))


def _may_read(user: Any, community: Community) -> bool:
    return community.access == Access.OPEN or bool(user.has_perm("communities.view", community))


def _require_post(user: Any, community: Community) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to write in communities."))
    if not user.has_perm("communities.post", community):
        raise PermissionDenied(
            _("Only members of the community “%(community)s” can write in it.")
            % {"community": community.name}
        )


def _clean_body(body: str) -> str:
    if len(body or "") > MAX_POST_CHARS:
        raise ValidationError(
            _("A post can be at most %(n)s characters long.") % {"n": MAX_POST_CHARS}
        )
    cleaned = clean_rich_text(body or "")
    if not strip_tags(cleaned).strip():
        raise ValidationError(_("Write something in the post."))
    return cleaned


def mentioned_users(body: str) -> list[Any]:
    """Existing active users named as @username in the text (at most 20)."""
    names = {m.rstrip(".") for m in MENTION.findall(strip_tags(body))}
    if not names:
        return []
    User = get_user_model()
    return list(User.objects.filter(username__in=list(names)[:50], is_active=True)[:20])


def _record_mentions(*, post: Post, author: Any, community: Community) -> list[Any]:
    """Link the mentioned users to the post; notify those not already mentioned who can
    read the community. Returns who was notified."""
    users = [u for u in mentioned_users(post.body) if u.pk != author.pk]
    already = set(post.mentions.values_list("pk", flat=True))
    new = [u for u in users if u.pk not in already]
    post.mentions.add(*users)
    readers = [u for u in new if _may_read(u, community)]
    notify(
        recipients=readers,
        kind="communities.mention",
        message=gettext_noop("%(name)s mentioned you in “%(thread)s”."),
        params={"name": author.display_name, "thread": post.thread.title},
        url=post.get_absolute_url(),
        target=post.thread,
    )
    return readers


def _followers(*, thread: Thread, exclude: Iterable[int]) -> list[Any]:
    skip = set(exclude)
    community = thread.community
    people: dict[int, Any] = {}
    for target in (thread, community):
        for user in subscribers_of(target):
            if user.pk not in skip:
                people.setdefault(user.pk, user)
    if community.access == Access.OPEN:
        return list(people.values())
    return [u for u in people.values() if u.has_perm("communities.view", community)]


def _check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < MIN_TITLE_CHARS:
        raise ValidationError(
            _("The title must be at least %(n)s characters long.") % {"n": MIN_TITLE_CHARS}
        )
    if len(title) > 200:
        raise ValidationError(_("The title can be at most %(n)s characters long.") % {"n": 200})
    return title


def thread_create(*, author: Any, community: Community, title: str, body: str) -> Thread:
    """Start a thread with its first post; the author follows it; followers of the
    community are notified."""
    _require_post(author, community)
    title = _check_title(title)
    cleaned = _clean_body(body)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(
            community=community, title=title, author=author, last_post_at=now
        )
        post = Post.objects.create(thread=thread, author=author, body=cleaned)
        subscribe(user=author, target=thread)
        mentioned = _record_mentions(post=post, author=author, community=community)
        notify(
            recipients=_followers(thread=thread, exclude=[author.pk, *(u.pk for u in mentioned)]),
            kind="communities.thread",
            message=gettext_noop("%(name)s started “%(thread)s” in “%(community)s”."),
            params={"name": author.display_name, "thread": title, "community": community.name},
            url=thread.get_absolute_url(),
            target=thread,
        )
        return thread


def post_create(*, author: Any, thread: Thread, body: str) -> Post:
    """Reply in a thread; the author follows it; followers of the thread and of the
    community are notified (in-app; e-mail only in their digest)."""
    community = thread.community
    _require_post(author, community)
    cleaned = _clean_body(body)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        if thread.locked:
            raise PermissionDenied(_("This thread is closed for replies."))
        post = Post.objects.create(thread=thread, author=author, body=cleaned)
        thread.last_post_at = post.created_at
        thread.save(update_fields=["last_post_at"])
        subscribe(user=author, target=thread)
        mentioned = _record_mentions(post=post, author=author, community=community)
        notify(
            recipients=_followers(thread=thread, exclude=[author.pk, *(u.pk for u in mentioned)]),
            kind="communities.post",
            message=gettext_noop("%(name)s replied in “%(thread)s”."),
            params={"name": author.display_name, "thread": thread.title},
            url=post.get_absolute_url(),
            target=thread,
        )
        return post


def post_edit(*, user: Any, post: Post, body: str, now: datetime.datetime | None = None) -> Post:
    """The author changes their own visible post within EDIT_WINDOW (30 minutes) of
    writing it, while the thread is open; the previous text is kept as a revision."""
    now = now or timezone.now()
    if post.author_id != getattr(user, "pk", None):
        raise PermissionDenied(_("You can only edit your own posts."))
    if post.status != PostStatus.VISIBLE:
        raise PermissionDenied(_("This post is with the moderators and cannot be edited."))
    if post.thread.locked:
        raise PermissionDenied(_("This thread is closed for replies."))
    if now - post.created_at > EDIT_WINDOW:
        raise PermissionDenied(
            _("Posts can be edited for %(n)s minutes after they are written.")
            % {"n": int(EDIT_WINDOW.total_seconds() // 60)}
        )
    cleaned = _clean_body(body)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if cleaned == post.body:
            return post
        PostRevision.objects.create(post=post, body=post.body, edited_by=user)
        post.body = cleaned
        post.edited_at = now
        post.save(update_fields=["body", "edited_at"])
        _record_mentions(post=post, author=user, community=post.thread.community)
        return post


# --- reports and moderation ---------------------------------------------------------------


def post_report(*, reporter: Any, post: Post, reason: str, text: str = "") -> PostReport:
    """Report a post once; at `hide_after_reports()` distinct open reports the post is
    hidden until a moderator decides, and the moderators are told."""
    if not getattr(reporter, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to report a post."))
    community = post.thread.community
    if not reporter.has_perm("communities.view", community):
        raise PermissionDenied(_("You cannot see this community."))
    if post.author_id == reporter.pk:
        raise PermissionDenied(_("You cannot report your own post."))
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose why you report this post."))
    text = (text or "").strip()
    if len(text) > 1000:
        raise ValidationError(_("Say it in at most %(n)s characters.") % {"n": 1000})
    if reason == ReportReason.OTHER and not text:
        raise ValidationError(_("Say what is wrong with the post."))
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("thread__community").get(pk=post.pk)
        if post.status not in (PostStatus.VISIBLE, PostStatus.HIDDEN_BY_REPORTS):
            raise PermissionDenied(_("This post is already with the moderators."))
        if PostReport.objects.filter(post=post, reporter=reporter).exists():
            raise PermissionDenied(_("You have already reported this post."))
        try:
            with transaction.atomic():
                report = PostReport.objects.create(
                    post=post, reporter=reporter, reason=reason, text=text
                )
        except IntegrityError as exc:
            raise PermissionDenied(_("You have already reported this post.")) from exc
        reporters = (
            post.reports.filter(resolved_at__isnull=True).values("reporter_id").distinct().count()
        )
        if post.status == PostStatus.VISIBLE and reporters >= hide_after_reports():
            post.status = PostStatus.HIDDEN_BY_REPORTS
            post.save(update_fields=["status"])
            notify(
                recipients=_moderators(community),
                kind="communities.hidden",
                message=gettext_noop(
                    "A post in “%(thread)s” was hidden after %(n)s reports and waits for "
                    "your decision."
                ),
                params={"thread": post.thread.title, "n": reporters},
                url=post.get_absolute_url(),
                target=post.thread,
            )
        return report


AUTHOR_MESSAGES: dict[str, str] = {
    Action.KEEP_HIDDEN: gettext_noop("A moderator hid your post in “%(thread)s”."),
    Action.EDIT: gettext_noop("A moderator edited your post in “%(thread)s”: %(note)s"),
    Action.REMOVE: gettext_noop("A moderator removed your post in “%(thread)s”."),
}
MODERATION_ACTIONS = (Action.RESTORE, Action.KEEP_HIDDEN, Action.EDIT, Action.REMOVE)


def post_moderate(
    *, moderator: Any, post: Post, action: str, note: str = "", body: str = ""
) -> ModerationDecision:
    """Decide on a post: restore it (open reports dismissed), keep it hidden, edit it
    (the original kept as a revision, the post shown again) or remove it. Logged."""
    community = post.thread.community
    if not moderator.has_perm("communities.moderate", community):
        raise PermissionDenied(_("Only this community's moderators can decide on posts."))
    if action not in MODERATION_ACTIONS:
        raise ValidationError(_("Choose a decision."))
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError(_("Say it in at most %(n)s characters.") % {"n": 500})
    if action == Action.EDIT and not note:
        raise ValidationError(_("Say why you edit the post; its author will see it."))
    cleaned = _clean_body(body) if action == Action.EDIT else ""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        now = timezone.now()
        if action == Action.EDIT:
            if cleaned != post.body:
                PostRevision.objects.create(
                    post=post, body=post.body, edited_by=moderator, by_moderator=True, reason=note
                )
                post.body = cleaned
                post.edited_at = now
                post.edited_by_moderator = True
            post.status = PostStatus.VISIBLE
        elif action == Action.RESTORE:
            post.status = PostStatus.VISIBLE
        elif action == Action.KEEP_HIDDEN:
            post.status = PostStatus.HIDDEN_BY_MODERATOR
        else:
            post.status = PostStatus.REMOVED
        post.save()
        post.reports.filter(resolved_at__isnull=True).update(resolved_at=now)
        decision = ModerationDecision.objects.create(
            community=community,
            post=post,
            thread=post.thread,
            moderator=moderator,
            action=action,
            note=note,
        )
        if action in AUTHOR_MESSAGES:
            notify(
                recipients=[post.author],
                kind="communities.moderated",
                message=AUTHOR_MESSAGES[action],
                params={"thread": post.thread.title, "note": note},
                url=post.get_absolute_url(),
                target=post.thread,
            )
        return decision


THREAD_ACTIONS = {
    Action.LOCK: ("locked", True),
    Action.UNLOCK: ("locked", False),
    Action.PIN: ("pinned", True),
    Action.UNPIN: ("pinned", False),
}


def thread_moderate(
    *, moderator: Any, thread: Thread, action: str, note: str = ""
) -> ModerationDecision:
    """Close, reopen, pin or unpin a thread (moderators). Logged."""
    if not moderator.has_perm("communities.moderate", thread.community):
        raise PermissionDenied(_("Only this community's moderators can close or pin threads."))
    if action not in THREAD_ACTIONS:
        raise ValidationError(_("Choose a decision."))
    name, value = THREAD_ACTIONS[Action(action)]
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        setattr(thread, name, value)
        thread.save(update_fields=[name])
        return ModerationDecision.objects.create(
            community=thread.community,
            thread=thread,
            moderator=moderator,
            action=action,
            note=(note or "").strip()[:500],
        )


__all__ = [
    "HIDDEN_STATUSES",
    "CommunityData",
    "community_join",
    "community_leave",
    "community_save",
    "member_approve",
    "mentioned_users",
    "post_create",
    "post_edit",
    "post_moderate",
    "post_report",
    "thread_create",
    "thread_moderate",
]
