"""The settings form and the signed reference to a followed object."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from .models import FAMILIES, DigestFrequency

FOLLOW_SALT = "aimak.notifications.follow"


class PreferenceForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("E-mail me a digest"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_("One e-mail that collects what is new, never one e-mail per event."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the weekly digest"),
        choices=sorted(WEEKDAYS.items()),
        coerce=int,
    )
    muted = forms.MultipleChoiceField(
        label=_("Leave out of e-mails"),
        choices=FAMILIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("These are still listed on your notifications page."),
    )


def follow_token(target: models.Model) -> str:
    """A signed reference to `target`, so that only objects shown to the user on a page
    can be followed (a forged form cannot follow an arbitrary object)."""
    content_type = ContentType.objects.get_for_model(target)
    return signing.dumps([content_type.pk, str(target.pk)], salt=FOLLOW_SALT)


def follow_target(token: str) -> Any:
    """The object a follow token names; ValueError if the token is forged or stale."""
    try:
        content_type_id, object_id = signing.loads(token, salt=FOLLOW_SALT)
        content_type = ContentType.objects.get_for_id(content_type_id)
        model = content_type.model_class()
        if model is None:
            raise ValueError("unknown model")
        return model._default_manager.get(pk=object_id)
    except (signing.BadSignature, ObjectDoesNotExist, ValidationError, TypeError, ValueError):
        raise ValueError("bad follow token") from None
