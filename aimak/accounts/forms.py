from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from aimak.territories.selectors import municipality_lookup

from .models import Role, User


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = (
            "username",
            "email",
            "full_name",
            "audience_category",
            "organisation",
            "preferred_language",
        )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "audience_category", "organisation", "preferred_language")


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: import script of the monitoring group."),
    )


class MembershipForm(forms.Form):
    user = forms.CharField(
        label=_("User"), max_length=254, help_text=_("User name or e-mail address.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    municipality = forms.CharField(
        label=_("Municipality"),
        max_length=100,
        required=False,
        help_text=_(
            "Name or SOATE code; needed for municipal roles and facilitators, empty for "
            "national roles."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_user(self):
        value = self.cleaned_data["user"].strip()
        user = (
            User.objects.filter(username__iexact=value).first()
            or User.objects.filter(email__iexact=value).first()
        )
        if user is None:
            raise forms.ValidationError(_("No user has this name or e-mail address."))
        return user

    def clean_municipality(self):
        value = self.cleaned_data["municipality"].strip()
        if not value:
            return None
        found = municipality_lookup(query=value)
        if not found:
            raise forms.ValidationError(
                _("No current municipality has the name or code “%(value)s”."),
                params={"value": value},
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several municipalities match “%(value)s”: %(candidates)s. Enter the code."),
                params={
                    "value": value,
                    "candidates": "; ".join(
                        f"{u.name} ({u.parent.name if u.parent else '—'}, {u.code})" for u in found
                    ),
                },
            )
        return found[0]


class MembershipFilterForm(forms.Form):
    q = forms.CharField(label=_("Person"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    include_ended = forms.BooleanField(label=_("Include ended memberships"), required=False)

    def __init__(self, *args, **kwargs):
        # Shown on the same page as MembershipForm, which also has a "role" field: own ids.
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
