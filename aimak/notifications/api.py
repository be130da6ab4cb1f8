"""Notifications in the API: your own only, with a token (or the session for reading)."""

import datetime
from typing import Literal

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from aimak.accounts.api_auth import TokenAuth

from .models import FAMILIES, DigestFrequency, Notification
from .selectors import notification_list, preference_for
from .services import notification_mark_read, notifications_mark_all_read, preference_set

router = Router(tags=["notifications"])
READ_AUTH = [TokenAuth(), django_auth]
Language = Literal["ky", "ru", "en"]


class NotificationOut(Schema):
    id: int
    kind: str = Field(description='Dotted kind, e.g. "plans.overdue"; its family is before the dot')
    family: str
    text: str = Field(description="The message in the requested language, filled in")
    message: str = Field(description="The untranslated English message with %(name)s slots")
    params: dict
    url: str = Field(description="Link in the requested language (a local path), or empty")
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    emailed_at: datetime.datetime | None = Field(
        description="When a digest took it (null: not e-mailed yet)"
    )


class ListQuery(Schema):
    unread: bool = Field(False, description="Only unread notifications")
    lang: Language | None = Field(None, description="Language of `text`; default: yours")


class LangQuery(Schema):
    lang: Language | None = Field(None, description="Language of `text`; default: yours")


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were marked read")


class PreferenceOut(Schema):
    digest: DigestFrequency = Field(description="daily, weekly or never")
    weekday: int = Field(description="Day of a weekly digest: 0 Monday … 6 Sunday")
    muted: list[str] = Field(description="Kind families left out of e-mails")
    families: list[str] = Field(description="The kind families that can be left out")
    last_digest_at: datetime.datetime | None


class PreferenceIn(Schema):
    digest: DigestFrequency
    weekday: int = Field(0, ge=0, le=6)
    muted: list[str] = Field(default_factory=list)


def _out(notification: Notification, language: str) -> dict:
    with translation.override(language):
        text = notification.text()
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "family": notification.family,
        "text": text,
        "message": notification.message,
        "params": notification.params,
        "url": notification.link(language),
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "emailed_at": notification.emailed_at,
    }


class _Pagination(LimitOffsetPagination):
    """Limit/offset; the texts are rendered for the returned page only."""

    def paginate_queryset(self, queryset, pagination, request, **params):  # type: ignore[override]
        page = super().paginate_queryset(queryset, pagination, request, **params)
        filters = params.get("filters")
        language = getattr(filters, "lang", None) or request.user.preferred_language
        page["items"] = [_out(n, language) for n in page["items"]]
        return page


@router.get(
    "/notifications",
    response=list[NotificationOut],
    auth=READ_AUTH,
    summary="Your notifications, unread first",
    description="Only your own. `unread=true` lists unread ones; `lang` picks the language "
    "of `text` (your preferred language by default).",
)
@paginate(_Pagination)
def list_notifications(request, filters: Query[ListQuery]):
    return notification_list(user=request.user, unread_only=filters.unread)


@router.post(
    "/notifications/read-all",
    response=MarkedOut,
    auth=TokenAuth(),
    summary="Mark all your notifications read",
)
def read_all(request):
    return {"marked": notifications_mark_all_read(user=request.user)}


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    auth=TokenAuth(),
    summary="Mark one of your notifications read",
    description="404 for a notification that is not yours.",
)
def read_one(request, notification_id: int, query: Query[LangQuery]):
    try:
        notification = notification_mark_read(user=request.user, pk=notification_id)
    except Notification.DoesNotExist as exc:
        raise Http404(_("You have no such notification.")) from exc
    return _out(notification, query.lang or request.user.preferred_language)


def _pref_out(user) -> dict:
    pref = preference_for(user=user)
    return {
        "digest": pref.digest,
        "weekday": pref.weekday,
        "muted": list(pref.muted or []),
        "families": [key for key, _label in FAMILIES],
        "last_digest_at": pref.last_digest_at,
    }


@router.get(
    "/notifications/settings",
    response=PreferenceOut,
    auth=READ_AUTH,
    summary="Your e-mail digest settings",
)
def get_settings(request):
    return _pref_out(request.user)


@router.put(
    "/notifications/settings",
    response=PreferenceOut,
    auth=TokenAuth(),
    summary="Change your e-mail digest settings",
    description="422 with the reasons for an unknown family or day.",
)
def put_settings(request, data: PreferenceIn):
    preference_set(user=request.user, digest=data.digest, weekday=data.weekday, muted=data.muted)
    return _pref_out(request.user)
