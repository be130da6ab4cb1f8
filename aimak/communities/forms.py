"""Forms of communities of practice (they only check shapes; services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aimak.practices.models import Theme

from .models import Access, Action, Community, ReportReason
from .services import MAX_POST_CHARS, MODERATION_ACTIONS, CommunityData


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_POST_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write @username to mention someone; they will be notified."),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_POST_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write @username to mention someone; they will be notified."),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=ReportReason.choices)
    text = forms.CharField(
        label=_("Details (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[(a.value, a.label) for a in MODERATION_ACTIONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (shown to the author when you edit)"), max_length=500, required=False
    )
    body = forms.CharField(
        label=_("Edited text (for “Edit and show”)"),
        max_length=MAX_POST_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ThreadModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a.value, a.label) for a in (Action.LOCK, Action.UNLOCK, Action.PIN, Action.UNPIN)]
    )


class CommunityForm(forms.Form):
    name_ky = forms.CharField(label=_("Name (Kyrgyz)"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_ky = forms.CharField(
        label=_("Description (Kyrgyz)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_ru = forms.CharField(
        label=_("Description (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False
    )
    access = forms.ChoiceField(label=_("Who may take part"), choices=Access.choices)
    messenger_url = forms.URLField(
        label=_("Messenger channel"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "The Union of LSGs' Telegram or WhatsApp channel for this community (https). "
            "Empty: the portal's common channel."
        ),
    )
    moderators = forms.CharField(
        label=_("Moderators"),
        required=False,
        help_text=_("Usernames, separated by commas or spaces."),
    )

    def clean_moderators(self) -> list[Any]:
        names = [n for n in self.cleaned_data["moderators"].replace(",", " ").split() if n]
        users = list(get_user_model().objects.filter(username__in=names))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(
                _("No such users: %(names)s.") % {"names": ", ".join(missing)}
            )
        return users

    @staticmethod
    def initial_for(community: Community) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f"{name}_{lang}": getattr(community, f"{name}_{lang}") or ""
            for name in ("name", "description")
            for lang in ("ky", "ru", "en")
        }
        initial.update(
            theme=community.theme_id,
            access=community.access,
            messenger_url=community.messenger_url,
            moderators=" ".join(community.moderators.values_list("username", flat=True)),
        )
        return initial

    def to_data(self) -> CommunityData:
        d = self.cleaned_data
        return CommunityData(
            name={lang: d[f"name_{lang}"] for lang in ("ky", "ru", "en")},
            description={lang: d[f"description_{lang}"] for lang in ("ky", "ru", "en")},
            theme=d["theme"],
            access=d["access"],
            messenger_url=d["messenger_url"],
            moderators=d["moderators"],
        )
