"""Every write to accounts, memberships and tokens."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aimak.territories.models import Territory

from .models import MUNICIPAL_ROLES, ApiToken, AudienceCategory, Membership, User
from .predicates import forget_roles


def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    full_name: str = "",
    audience_category: str = AudienceCategory.CITIZEN,
    organisation: str = "",
    preferred_language: str = "ky",
) -> User:
    user = User(
        username=username,
        email=email.lower(),
        full_name=full_name,
        audience_category=audience_category,
        organisation=organisation,
        preferred_language=preferred_language,
    )
    user.set_password(password)
    user.save()
    return user


def user_profile_update(
    *,
    user: User,
    full_name: str,
    audience_category: str,
    organisation: str,
    preferred_language: str,
) -> User:
    user.full_name = full_name
    user.audience_category = audience_category
    user.organisation = organisation
    user.preferred_language = preferred_language
    user.save(
        update_fields=["full_name", "audience_category", "organisation", "preferred_language"]
    )
    return user


def membership_grant(
    *, user: User, role: str, municipality: Territory | None, granted_by: Any = None, note: str = ""
) -> Membership:
    """Give `user` a role; municipal roles need a municipality, national ones none."""
    if role in MUNICIPAL_ROLES:
        if municipality is None:
            raise ValidationError(_("This role belongs to a municipality: choose one."))
        if not municipality.is_municipality:
            raise ValidationError(
                _("%(unit)s is not a municipality (ayil aimak or town).")
                % {"unit": municipality.name}
            )
        if municipality.valid_to is not None:
            raise ValidationError(
                _("%(unit)s no longer exists; choose its successor.") % {"unit": municipality.name}
            )
    elif municipality is not None:
        raise ValidationError(_("This is a national role: it has no municipality."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user,
                role=role,
                municipality=municipality,
                granted_by=granted_by if getattr(granted_by, "pk", None) else None,
                note=note,
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(user)s already has this role here.") % {"user": user}) from exc
    forget_roles(user)
    return membership


def membership_end(*, membership: Membership, ended_by: Any = None) -> Membership:
    """End a membership. It stays on record with who ended it and when."""
    if membership.ended_at is None:
        membership.ended_at = timezone.now()
        membership.ended_by = ended_by if getattr(ended_by, "pk", None) else None
        membership.save(update_fields=["ended_at", "ended_by"])
        forget_roles(membership.user)
    return membership


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[6:14], digest=ApiToken.hash(raw)
    )
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
