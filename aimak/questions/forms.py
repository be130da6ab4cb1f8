"""Forms of questions and consultations (validation of input; writes are in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aimak.legal.models import IssuingBody
from aimak.practices.models import Expert, Theme
from aimak.territories.selectors import municipality_list

from .models import Language, Visibility

LANGUAGE_NAMES = dict(Language.choices)


def _municipality_label(unit: Any) -> str:
    return f"{unit.name} ({unit.parent.name})" if unit.parent_id else str(unit.name)


class AskForm(forms.Form):
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), empty_label=_("— choose —")
    )
    title = forms.CharField(
        label=_("Your question"),
        min_length=10,
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text; paragraphs are kept."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality (optional)"),
        queryset=municipality_list(),
        required=False,
        empty_label=_("— not about one municipality —"),
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(label=_("Language of the question"), choices=Language.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.label_from_instance = _municipality_label  # type: ignore[method-assign,assignment]


class RouteForm(forms.Form):
    target = forms.ChoiceField(label=_("Route to"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        experts = [
            (f"expert:{e.pk}", str(e)) for e in Expert.objects.filter(active=True).order_by("name")
        ]
        bodies = [(f"body:{b.pk}", str(b)) for b in IssuingBody.objects.order_by("slug")]
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            ("", _("— choose —")),
            (_("Experts"), experts),
            (_("State bodies (the content administrator enters their answer)"), bodies),
        ]

    def clean_target(self) -> tuple[Any, Any]:
        kind, _sep, pk = (self.cleaned_data.get("target") or "").partition(":")
        if kind == "expert":
            expert = Expert.objects.filter(active=True, pk=pk).first()
            if expert is not None:
                return expert, None
        if kind == "body":
            body = IssuingBody.objects.filter(pk=pk).first()
            if body is not None:
                return None, body
        raise forms.ValidationError(_("Choose an expert or a state body from the list."))


class RuleForm(RouteForm):
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), empty_label=_("— choose —")
    )
    field_order = ["theme", "target"]


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Answer"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; paragraphs are kept. Links are allowed."),
    )
    publish = forms.BooleanField(
        label=_("Publish now (otherwise saved as a draft that the asker does not see)"),
        required=False,
        initial=True,
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the answer?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), required=False, max_length=200)
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("All themes")
    )


class TemplateForm(forms.Form):
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme (optional)"), queryset=Theme.objects.all(), required=False
    )
    active = forms.BooleanField(label=_("Offered when answering"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang, name in LANGUAGE_NAMES.items():
            self.fields[f"title_{lang}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=False,
                max_length=200,
            )
        for lang, name in LANGUAGE_NAMES.items():
            self.fields[f"body_{lang}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )

    def texts(self, name: str) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"{name}_{lang}", "") for lang in LANGUAGE_NAMES}
