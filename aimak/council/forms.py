"""Forms of the council pages (they parse; services check and write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aimak.events.models import Event

from .models import DecisionKind, Resolution

DECISION_ROWS = 4


class ResolutionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=40)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title_ky = forms.CharField(label=_("Title in Kyrgyz"), max_length=500, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=500, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=500, required=False)
    document = forms.FileField(
        label=_("Document"), required=False, help_text=_("PDF or DOCX, up to 10 MB.")
    )
    event: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Session or hearing it came out of"),
        queryset=Event.objects.none(),
        required=False,
    )
    in_force = forms.BooleanField(label=_("In force"), required=False, initial=True)
    repealed_on = forms.DateField(
        label=_("Repealed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    repealed_by: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Repealed by"), queryset=Resolution.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        events: QuerySet[Event],
        resolutions: QuerySet[Resolution],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events  # type: ignore[attr-defined]
        self.fields["repealed_by"].queryset = resolutions  # type: ignore[attr-defined]
        for i in range(1, DECISION_ROWS + 1):
            self.fields[f"decision_kind_{i}"] = forms.ChoiceField(
                label=_("Decision %(n)s: kind") % {"n": i},
                choices=[("", "—"), *DecisionKind.choices],
                required=False,
            )
            self.fields[f"decision_summary_{i}"] = forms.CharField(
                label=_("Decision %(n)s: summary") % {"n": i},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def decision_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"decision_kind_{i}"], self[f"decision_summary_{i}"])
            for i in range(1, DECISION_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decisions = []
        for i in range(1, DECISION_ROWS + 1):
            kind = data.pop(f"decision_kind_{i}", "")
            summary = data.pop(f"decision_summary_{i}", "")
            if kind:
                decisions.append((kind, summary))
            elif summary.strip():
                self.add_error(f"decision_kind_{i}", _("Choose the kind of this decision."))
        data["decisions"] = decisions
        return data


class LinkForm(forms.Form):
    target = forms.ChoiceField(label=_("Link to"))

    def __init__(self, *args: Any, candidates: dict[str, list[tuple[str, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        groups: list[Any] = []
        if candidates.get("round"):
            groups.append(
                (
                    _("Report-card rounds"),
                    [(f"round:{v}", label) for v, label in candidates["round"]],
                )
            )
        if candidates.get("event"):
            groups.append(
                (_("Events"), [(f"event:{v}", label) for v, label in candidates["event"]])
            )
        self.fields["target"].choices = groups  # type: ignore[attr-defined]
