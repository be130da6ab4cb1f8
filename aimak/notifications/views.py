"""Notification pages: the list, marking read, settings, following. All signed in; each
user sees and changes only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import PreferenceForm, follow_target, follow_token
from .models import FAMILIES, Notification
from .selectors import notification_list, preference_for, subscription_list, unread_count
from .services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
    subscribe,
    unsubscribe,
)

PAGE_SIZE = 20


def _safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


@require_GET
@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        notification_list(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    language = get_language()
    items = [(n, n.link(language)) for n in page.object_list]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "items": items,
            "unread": unread_count(user=request.user),
            "unread_only": unread_only,
            "params": "unread=1&" if unread_only else "",
        },
    )


def _own(request: HttpRequest, pk: int) -> Notification:
    try:
        return notification_mark_read(user=request.user, pk=pk)
    except Notification.DoesNotExist as exc:
        raise Http404(_("You have no such notification.")) from exc


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    _own(request, pk)
    return redirect(_safe_next(request, reverse("notifications:list")))


@require_GET
@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = _own(request, pk)
    target = notification.link(get_language())
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications:list")
    return redirect(target)


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    pref = preference_for(user=request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                preference_set(
                    user=request.user,
                    digest=form.cleaned_data["digest"],
                    weekday=form.cleaned_data["weekday"],
                    muted=form.cleaned_data["muted"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:settings")
    else:
        form = PreferenceForm(
            initial={"digest": pref.digest, "weekday": pref.weekday, "muted": pref.muted}
        )
    following = [
        (sub.target, follow_token(sub.target))
        for sub in subscription_list(user=request.user)[:100]
        if sub.target is not None  # the object was deleted since
    ]
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "pref": pref, "families": FAMILIES, "following": following},
    )


@require_POST
@login_required
def follow(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow the object named by the signed token of the follow include."""
    try:
        target = follow_target(request.POST.get("target", ""))
    except ValueError as exc:
        raise Http404(_("There is nothing to follow here.")) from exc
    if request.POST.get("action") == "unfollow":
        unsubscribe(user=request.user, target=target)
        messages.success(request, _("You no longer follow this."))
    else:
        subscribe(user=request.user, target=target)
        messages.success(request, _("You follow this now: its news come in your notifications."))
    return redirect(_safe_next(request, reverse("notifications:list")))
