"""Forms of the inclusion pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aimak.council.models import Resolution
from aimak.events.models import Event
from aimak.territories.models import Territory

from . import workbook
from .models import BudgetVersion
from .selectors import budget_hearings, budget_resolutions, default_period, region_choices


class IndicatorForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", str(_("Whole country")))]
        for t in region_choices():
            indent = "\u2003" if t.level == "rayon" else ""
            choices.append((t.code, f"{indent}{t.name}"))
        self.fields["region"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = default_period()
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        if data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        return data


def _year_default() -> int:
    return timezone.localdate().year


class BudgetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Budget workbook (.xlsx)"),
        help_text=_("At most 5 MB; the first sheet is read."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        refusal = workbook.size_refusal(file.size or 0)
        if refusal:
            raise forms.ValidationError(refusal)
        return file


COLUMN_FIELDS = (
    ("code", _("Code")),
    ("name", _("Line name")),
    ("section", _("Section")),
    ("planned", _("Amount planned")),
    ("executed", _("Amount executed")),
)


class MappingForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    file_name = forms.CharField(widget=forms.HiddenInput, required=False)
    header_row = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    version = forms.ChoiceField(label=_("Version"), choices=BudgetVersion.choices)
    resolution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Approving council resolution"), queryset=Resolution.objects.none(), required=False
    )
    hearings: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Budget hearings"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, municipality: Territory, headers: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        options = [("", str(_("— not in the file —")))] + [
            (str(i), f"{workbook.column_letter(i)}: {h or '—'}") for i, h in enumerate(headers)
        ]
        for name, label in COLUMN_FIELDS:
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=label, choices=options, required=name in workbook.REQUIRED
            )
        self.fields["resolution"].queryset = budget_resolutions(municipality=municipality)  # type: ignore[attr-defined]
        ids = [e.pk for e in budget_hearings(municipality=municipality)]
        self.fields["hearings"].queryset = Event.objects.filter(pk__in=ids).order_by("-starts_at")  # type: ignore[attr-defined]
        if not self.is_bound:
            self.fields["year"].initial = _year_default()

    def column_fields(self) -> list[Any]:
        return [self[f"col_{name}"] for name, _label in COLUMN_FIELDS]

    def mapping(self) -> dict[str, int]:
        return {
            name: int(self.cleaned_data[f"col_{name}"])
            for name, _label in COLUMN_FIELDS
            if self.cleaned_data.get(f"col_{name}") not in (None, "")
        }


class BudgetLinksForm(forms.Form):
    resolution: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Approving council resolution"), queryset=Resolution.objects.none(), required=False
    )
    hearings: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Budget hearings"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, municipality: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = budget_resolutions(municipality=municipality)  # type: ignore[attr-defined]
        ids = [e.pk for e in budget_hearings(municipality=municipality)]
        self.fields["hearings"].queryset = Event.objects.filter(pk__in=ids).order_by("-starts_at")  # type: ignore[attr-defined]


def parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None
