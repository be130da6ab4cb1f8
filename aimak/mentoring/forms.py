"""Forms of mentoring."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aimak.practices.models import Theme

from .models import NoteKind, PairingStatus
from .services import MAX_CAPACITY


class RequestForm(forms.Form):
    municipality: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None
    )
    theme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all()
    )
    description = forms.CharField(
        label=_("What help do you need?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every municipal unit is accepted here; the service refuses one the user is not
        # staff of, with a message naming it (a forged choice is refused, not hidden).
        from aimak.territories.models import MUNICIPAL_LEVELS, Territory

        self.fields["municipality"].queryset = Territory.objects.filter(  # type: ignore[attr-defined]
            level__in=MUNICIPAL_LEVELS
        )
        self.fields["municipality"].widget.choices = [  # type: ignore[attr-defined]
            (m.pk, m.name) for m in municipalities
        ]
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0].pk


class OfferForm(RequestForm):
    capacity = forms.IntegerField(
        label=_("How many municipalities can you mentor at a time?"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=1,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("What experience do you offer?")


class PairingForm(forms.Form):
    offer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Offer"), queryset=None, widget=forms.RadioSelect
    )
    goals = forms.CharField(
        label=_("Goals of the pairing"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args: Any, offers: list[Any], all_offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = all_offers  # type: ignore[attr-defined]
        self.fields["offer"].widget.choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.municipality.name} · {o.theme.name} — {o.description[:120]}")
            for o in offers
        ]


class NoteForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    kind = forms.ChoiceField(label=_("About"), choices=NoteKind.choices)
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did the pairing end?"),
        choices=[
            (PairingStatus.COMPLETED, PairingStatus.COMPLETED.label),
            (PairingStatus.ENDED_EARLY, PairingStatus.ENDED_EARLY.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Closing note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
