"""Forms of the events pages (they parse; services check and write)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aimak.territories.models import Territory

from .models import AgeGroup, AttendanceSource, EventKind, MaterialKind, Sex

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.Form):
    title_ky = forms.CharField(label=_("Title in Kyrgyz"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    municipalities: forms.Field = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Territory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), input_formats=DATETIME_FORMATS, widget=DateTimeInput(), required=False
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), max_length=500, required=False)
    agenda_ky = forms.CharField(
        label=_("Agenda in Kyrgyz"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    agenda_ru = forms.CharField(
        label=_("Agenda in Russian"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    check_in_code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        required=False,
        help_text=_(
            "Optional. Show it at the event; participants type it on the event page to be "
            "counted. Leave blank to tick names on the participant list instead."
        ),
    )
    registration_open = forms.BooleanField(label=_("Registration open"), required=False)
    attendance_source = forms.ChoiceField(
        label=_("Attendance counted from"), choices=AttendanceSource.choices
    )
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    # Above this many choices (programme managers: every municipality) the page would be too
    # heavy and unusable as checkboxes: SOATE codes are typed instead.
    MAX_CHECKBOXES = 40

    def __init__(self, *args: Any, municipalities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = municipalities
        self.by_codes = municipalities.count() > self.MAX_CHECKBOXES
        if self.by_codes:
            self.fields["municipalities"] = forms.CharField(
                label=_("Municipality codes (SOATE)"),
                help_text=_("One or more 14-digit codes, separated by spaces or commas."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            initial = self.initial.get("municipalities")
            if initial and not isinstance(initial, str):
                self.initial["municipalities"] = " ".join(m.code for m in initial)
        else:
            self.fields["municipalities"].queryset = municipalities  # type: ignore[attr-defined]

    def clean_municipalities(self) -> list[Territory]:
        value = self.cleaned_data["municipalities"]
        if not self.by_codes:
            return list(value)
        codes = [c for c in re.split(r"[\s,;]+", value) if c]
        found = {m.code: m for m in self.choices.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Not a municipality you may organise events in: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        return [found[c] for c in dict.fromkeys(codes)]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=200,
        required=False,
        help_text=_("Needed if you are not signed in; used only by the organiser."),
    )
    municipality: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Where you live"), queryset=Territory.objects.none(), required=False
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[
            (Sex.FEMALE, _("Woman")),
            (Sex.MALE, _("Man")),
            (Sex.NOT_STATED, _("Prefer not to say")),
        ],
        widget=forms.RadioSelect,
        initial=Sex.NOT_STATED,
    )
    age_group = forms.ChoiceField(
        label=_("Age group"),
        choices=[
            *[(v, label) for v, label in AgeGroup.choices if v != AgeGroup.NOT_STATED],
            (AgeGroup.NOT_STATED, _("Prefer not to say")),
        ],
        widget=forms.RadioSelect,
        initial=AgeGroup.NOT_STATED,
    )
    disability = forms.BooleanField(label=_("I have a disability"), required=False)
    youth = forms.BooleanField(label=_("I am a young person (14–28)"), required=False)
    elderly = forms.BooleanField(label=_("I am an older person"), required=False)
    minority = forms.BooleanField(label=_("I belong to an ethnic minority"), required=False)
    low_income = forms.BooleanField(label=_("My household has a low income"), required=False)

    def __init__(self, *args: Any, municipalities: QuerySet[Territory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities  # type: ignore[attr-defined]
        if municipalities.count() <= 1:
            del self.fields["municipality"]


class CheckInForm(forms.Form):
    contact = forms.CharField(
        label=_("Phone or e-mail you registered with"), max_length=200, required=False
    )
    code = forms.CharField(label=_("Check-in code"), max_length=12)


def _count(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, initial=0)


class SheetForm(forms.Form):
    women = _count(_("Women"))
    men = _count(_("Men"))
    sex_not_stated = _count(_("Sex not stated"))
    age_under_18 = _count(_("Under 18"))
    age_18_29 = _count(_("18–29"))
    age_30_59 = _count(_("30–59"))
    age_60_plus = _count(_("60 and over"))
    age_not_stated = _count(_("Age not stated"))
    disability = _count(_("Persons with disabilities"))
    youth = _count(_("Young people"))
    elderly = _count(_("Older people"))
    minority = _count(_("Ethnic minorities"))
    low_income = _count(_("Low-income households"))
    note = forms.CharField(label=_("Note (why it changed)"), max_length=300, required=False)

    SEX = ("women", "men", "sex_not_stated")
    AGE = ("age_under_18", "age_18_29", "age_30_59", "age_60_plus", "age_not_stated")
    VULNERABLE = ("disability", "youth", "elderly", "minority", "low_income")


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "Photos: JPEG, PNG or WebP up to 5 MB. Documents: PDF, DOCX or XLSX up to 10 MB."
        ),
    )
    url = forms.URLField(label=_("Link"), max_length=500, required=False)
