"""API of aimak.communities: public reads of what the caller may read, token writes."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from aimak.accounts.api_auth import TokenAuth
from aimak.core.ratelimit import check_rate

from .models import Community, Post, ReportReason, Thread
from .selectors import (
    communities_readable,
    community_get,
    messenger_url,
    post_get,
    thread_get,
    thread_list,
    visible_posts,
)
from .services import post_create, post_report, thread_create

router = Router(tags=["communities of practice"])

_OPTIONAL_TOKEN = [TokenAuth(), lambda request: True]


class CommunityOut(Schema):
    slug: str
    url: str
    name_ky: str | None
    name_ru: str | None
    name_en: str | None
    description_ky: str | None
    description_ru: str | None
    description_en: str | None
    theme: str | None = Field(description="Theme slug (GET /practice-themes)")
    access: str = Field(description="open: any registered user; members: members only")
    messenger_url: str = Field(description="The Union of LSGs' messenger channel")

    @staticmethod
    def resolve_url(obj: Community) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_theme(obj: Community) -> str | None:
        return obj.theme.slug if obj.theme else None

    @staticmethod
    def resolve_messenger_url(obj: Community) -> str:
        return messenger_url(obj)


class ThreadOut(Schema):
    id: int
    url: str
    community: str
    title: str
    author: str
    created_at: datetime.datetime
    last_post_at: datetime.datetime
    locked: bool
    pinned: bool

    @staticmethod
    def resolve_url(obj: Thread) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_community(obj: Thread) -> str:
        return obj.community.slug

    @staticmethod
    def resolve_author(obj: Thread) -> str:
        return obj.author.display_name


class PostOut(Schema):
    id: int
    thread: int = Field(alias="thread_id")
    author: str
    author_username: str
    body: str = Field(description="Sanitised HTML")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    edited_by_moderator: bool

    @staticmethod
    def resolve_author(obj: Post) -> str:
        return obj.author.display_name

    @staticmethod
    def resolve_author_username(obj: Post) -> str:
        return obj.author.username


class ThreadIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field(description="Plain text or simple HTML (sanitised); @username mentions")


class PostIn(Schema):
    body: str = Field(description="Plain text or simple HTML (sanitised); @username mentions")


class ReportIn(Schema):
    reason: ReportReason
    text: str = Field("", max_length=1000)


class ReportOut(Schema):
    post: int
    hidden: bool = Field(description="True when this report hid the post pending moderation")


def _community(request, slug: str) -> Community:
    try:
        community = community_get(slug=slug)
    except Community.DoesNotExist as exc:
        raise Http404("There is no such community.") from exc
    if not request.user.has_perm("communities.view", community):
        raise PermissionDenied("This community is for its members.")
    return community


def _thread(request, pk: int) -> Thread:
    try:
        thread = thread_get(pk=pk)
    except Thread.DoesNotExist as exc:
        raise Http404("There is no such thread.") from exc
    if not request.user.has_perm("communities.view", thread.community):
        raise PermissionDenied("This community is for its members.")
    return thread


@router.get(
    "/communities",
    response=list[CommunityOut],
    summary="Communities of practice",
    description="Communities the caller may read (open ones for everybody; with a token "
    "also the members-only ones the token's user belongs to).",
    auth=_OPTIONAL_TOKEN,
)
def list_communities(request):
    return list(communities_readable(user=request.user).select_related("theme"))


@router.get(
    "/communities/{slug}/threads",
    response=list[ThreadOut],
    summary="Threads of a community",
    description="Pinned first, then by latest post.",
    auth=_OPTIONAL_TOKEN,
)
@paginate(LimitOffsetPagination)
def list_threads(request, slug: str):
    return thread_list(community=_community(request, slug)).select_related("community")


@router.get(
    "/communities/threads/{pk}/posts",
    response=list[PostOut],
    summary="Posts of a thread",
    description="Visible posts only, oldest first; hidden and removed ones are left out.",
    auth=_OPTIONAL_TOKEN,
)
@paginate(LimitOffsetPagination)
def list_posts(request, pk: int):
    return visible_posts(thread=_thread(request, pk))


@router.post(
    "/communities/{slug}/threads",
    response={201: ThreadOut},
    summary="Start a thread",
    description="Any registered user in an open community, members in a members-only one. "
    "Rate-limited like the page (group `post`).",
    auth=TokenAuth(),
)
def create_thread(request, slug: str, payload: ThreadIn):
    community = _community(request, slug)
    check_rate(request, group="post")
    return Status(
        201,
        thread_create(
            author=request.user, community=community, title=payload.title, body=payload.body
        ),
    )


@router.post(
    "/communities/threads/{pk}/posts",
    response={201: PostOut},
    summary="Reply in a thread",
    description="403 for a closed thread or a community the user may not write in. "
    "Rate-limited (group `post`).",
    auth=TokenAuth(),
)
def create_post(request, pk: int, payload: PostIn):
    thread = _thread(request, pk)
    check_rate(request, group="post")
    return Status(201, post_create(author=request.user, thread=thread, body=payload.body))


@router.post(
    "/communities/posts/{pk}/reports",
    response={201: ReportOut},
    summary="Report a post",
    description="Once per post and user (403 the second time). A post reported by "
    "COMMUNITY_HIDE_AFTER_REPORTS (3) people is hidden until a moderator decides. "
    "Rate-limited (group `report`).",
    auth=TokenAuth(),
)
def report_post(request, pk: int, payload: ReportIn):
    try:
        post = post_get(pk=pk)
    except Post.DoesNotExist as exc:
        raise Http404("There is no such post.") from exc
    if not request.user.has_perm("communities.view", post.thread.community):
        raise PermissionDenied("This community is for its members.")
    check_rate(request, group="report")
    report = post_report(reporter=request.user, post=post, reason=payload.reason, text=payload.text)
    post.refresh_from_db(fields=["status"])
    return Status(201, {"post": report.post_id, "hidden": not post.is_visible})
