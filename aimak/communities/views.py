"""Pages of communities of practice (thin: forms check shapes, services decide)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aimak.core.ratelimit import rate_limited

from .forms import (
    CommunityForm,
    ModerationForm,
    PostForm,
    ReportForm,
    ThreadForm,
    ThreadModerationForm,
)
from .models import Community, Member, Post, Thread
from .selectors import (
    EDIT_WINDOW,
    can_edit_own,
    community_get,
    community_list,
    decision_log,
    has_reported,
    member_count,
    member_posts,
    membership_of,
    messenger_url,
    moderated_ids,
    moderation_queue,
    open_reports,
    pending_members,
    post_get,
    post_revisions,
    shows_body,
    thread_get,
    thread_list,
    thread_posts,
)
from .services import (
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

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 30


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_refuse(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _community(slug: str) -> Community:
    try:
        return community_get(slug=slug)
    except Community.DoesNotExist as exc:
        raise Http404(_("There is no such community.")) from exc


def _readable(request: HttpRequest, community: Community) -> None:
    if not request.user.has_perm("communities.view", community):
        raise PermissionDenied(
            _("The community “%(community)s” is for its members. Ask to join on its page.")
            % {"community": community.name}
        )


def _thread(request: HttpRequest, pk: int) -> Thread:
    try:
        thread = thread_get(pk=pk)
    except Thread.DoesNotExist as exc:
        raise Http404(_("There is no such thread.")) from exc
    _readable(request, thread.community)
    return thread


def _post(request: HttpRequest, pk: int) -> Post:
    try:
        post = post_get(pk=pk)
    except Post.DoesNotExist as exc:
        raise Http404(_("There is no such post.")) from exc
    _readable(request, post.thread.community)
    return post


# --- communities --------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    moderated = moderated_ids(user)
    return render(
        request,
        "communities/list.html",
        {
            "communities": community_list(user=user),
            "may_manage": user.has_perm("communities.manage"),
            "may_moderate": moderated is None or bool(moderated),
        },
    )


@require_GET
def community(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    user = request.user
    readable = user.has_perm("communities.view", community)
    moderator = user.has_perm("communities.moderate", community)
    page = (
        Paginator(thread_list(community=community), THREADS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        if readable
        else None
    )
    return render(
        request,
        "communities/community.html",
        {
            "community": community,
            "page": page,
            "readable": readable,
            "may_post": user.has_perm("communities.post", community),
            "moderator": moderator,
            "membership": membership_of(user=user, community=community),
            "members": member_count(community=community),
            "pending": list(pending_members(community=community)) if moderator else [],
            "moderators": list(community.moderators.all()),
            "messenger_url": messenger_url(community),
            "may_manage": user.has_perm("communities.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    if not request.user.has_perm("communities.manage"):
        raise PermissionDenied(_("Only the content administrator can set up communities."))
    community = _community(slug) if slug else None
    if request.method == "POST":
        form = CommunityForm(request.POST)
        if form.is_valid():
            try:
                community = community_save(
                    by=request.user, data=form.to_data(), community=community
                )
            except ValidationError as exc:
                _form_refuse(form, exc)
            else:
                messages.success(request, _("The community is saved."))
                return redirect(community.get_absolute_url())
    else:
        form = CommunityForm(initial=CommunityForm.initial_for(community) if community else None)
    return render(
        request, "communities/community_form.html", {"form": form, "community": community}
    )


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    member = community_join(user=request.user, community=community)
    if member.status == "active":
        messages.success(request, _("You have joined the community and follow its new threads."))
    else:
        messages.success(request, _("Your request is sent to the community's moderators."))
    return redirect(community.get_absolute_url())


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    community_leave(user=request.user, community=community)
    messages.success(request, _("You have left the community."))
    return redirect(community.get_absolute_url())


@login_required
@require_POST
def approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _community(slug)
    member = Member.objects.filter(pk=pk, community=community).select_related("user").first()
    if member is None:
        raise Http404(_("There is no such request."))
    member_approve(moderator=request.user, community=community, member=member)
    messages.success(request, _("%(name)s is now a member.") % {"name": member.user.display_name})
    return redirect(community.get_absolute_url())


# --- threads and posts --------------------------------------------------------------------


@login_required
@rate_limited("post")
@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(slug)
    _readable(request, community)
    if not request.user.has_perm("communities.post", community):
        raise PermissionDenied(
            _("Only members of the community “%(community)s” can write in it.")
            % {"community": community.name}
        )
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = thread_create(
                author=request.user,
                community=community,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            _form_refuse(form, exc)
        else:
            messages.success(request, _("The thread is started. You follow it."))
            return redirect(thread.get_absolute_url())
    return render(request, "communities/thread_form.html", {"form": form, "community": community})


@rate_limited("post")
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    community = thread.community
    user = request.user
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if not user.is_authenticated:
            raise PermissionDenied(_("Sign in to write in communities."))
        if form.is_valid():
            try:
                post = post_create(author=user, thread=thread, body=form.cleaned_data["body"])
            except ValidationError as exc:
                _form_refuse(form, exc)
            else:
                messages.success(request, _("Your reply is posted."))
                page_number = (thread.posts.filter(pk__lt=post.pk).count()) // POSTS_PER_PAGE + 1
                return redirect(f"{thread.get_absolute_url()}?page={page_number}#post-{post.pk}")
    moderator = user.has_perm("communities.moderate", community)
    page = Paginator(thread_posts(thread=thread), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    posts = list(page.object_list)
    reported = has_reported(user=user, post_ids=[p.pk for p in posts])
    now = timezone.now()
    for post in posts:
        post.show_body = shows_body(post=post, user=user, moderator=moderator)  # type: ignore[attr-defined]
        post.may_edit = can_edit_own(post=post, user=user, now=now)  # type: ignore[attr-defined]
        post.may_report = (  # type: ignore[attr-defined]
            user.is_authenticated
            and post.author_id != user.pk
            and post.is_visible
            and post.pk not in reported
        )
        post.reported = post.pk in reported  # type: ignore[attr-defined]
    return render(
        request,
        "communities/thread.html",
        {
            "thread": thread,
            "community": community,
            "page": page,
            "posts": posts,
            "form": form,
            "may_post": user.has_perm("communities.post", community) and not thread.locked,
            "moderator": moderator,
            "thread_form": ThreadModerationForm() if moderator else None,
            "edit_minutes": int(EDIT_WINDOW.total_seconds() // 60),
        },
    )


@login_required
@require_POST
def thread_moderation(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    form = ThreadModerationForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied(_("Choose a decision."))
    thread_moderate(moderator=request.user, thread=thread, action=form.cleaned_data["action"])
    messages.success(request, _("The thread is updated."))
    return redirect(thread.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def post_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    from aimak.practices.services import rich_text_for_editing

    post = _post(request, pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied(_("You can only edit your own posts."))
    if request.method == "POST":
        form = PostForm(request.POST)
        if form.is_valid():
            try:
                post_edit(user=request.user, post=post, body=form.cleaned_data["body"])
            except ValidationError as exc:
                _form_refuse(form, exc)
            else:
                messages.success(request, _("Your post is saved."))
                return redirect(post.get_absolute_url())
    else:
        if not can_edit_own(post=post, user=request.user, now=timezone.now()):
            raise PermissionDenied(
                _("Posts can be edited for %(n)s minutes after they are written.")
                % {"n": int(EDIT_WINDOW.total_seconds() // 60)}
            )
        form = PostForm(initial={"body": rich_text_for_editing(post.body)})
    return render(request, "communities/post_edit.html", {"form": form, "post": post})


@login_required
@rate_limited("report")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post_report(
                reporter=request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            _form_refuse(form, exc)
        else:
            messages.success(request, _("Thank you. The moderators will look at this post."))
            return redirect(post.thread.get_absolute_url())
    return render(request, "communities/report.html", {"form": form, "post": post})


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    from aimak.practices.services import rich_text_for_editing

    post = _post(request, pk)
    if not request.user.has_perm("communities.moderate", post.thread.community):
        raise PermissionDenied(_("Only this community's moderators can decide on posts."))
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if form.is_valid():
            try:
                post_moderate(
                    moderator=request.user,
                    post=post,
                    action=form.cleaned_data["action"],
                    note=form.cleaned_data["note"],
                    body=form.cleaned_data["body"],
                )
            except ValidationError as exc:
                _form_refuse(form, exc)
            else:
                messages.success(request, _("Your decision is saved."))
                return redirect("communities:queue")
    else:
        form = ModerationForm(initial={"body": rich_text_for_editing(post.body)})
    return render(
        request,
        "communities/moderate.html",
        {
            "post": post,
            "form": form,
            "reports": list(open_reports(post=post)),
            "all_reports": list(post.reports.select_related("reporter")),
            "revisions": list(post_revisions(post=post)),
            "decisions": list(post.decisions.select_related("moderator")),
        },
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    ids = moderated_ids(request.user)
    if ids is not None and not ids:
        raise PermissionDenied(_("This page is for moderators of communities."))
    return render(
        request,
        "communities/queue.html",
        {
            "posts": list(moderation_queue(user=request.user)[:100]),
            "decisions": list(decision_log(user=request.user)),
        },
    )


@require_GET
def member(request: HttpRequest, username: str) -> HttpResponse:
    User = get_user_model()
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise Http404(_("There is no such member."))
    page = Paginator(member_posts(author=person, viewer=request.user), POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "communities/member.html", {"person": person, "page": page})
