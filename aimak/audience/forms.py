"""Forms of audience monitoring: the period filter, the client-base filter, a survey and its
questions (ky/ru/en side by side), and the answer form built from a survey's questions."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aimak.accounts.models import AudienceCategory

from .models import (
    RATING_MAX,
    RATING_MIN,
    FeedbackQuestion,
    FeedbackSurvey,
    QuestionKind,
    QuestionRole,
)
from .selectors import Period
from .services import LANGS, SurveyData, parse_choices

MAX_PERIOD_DAYS = 5 * 366
LANG_LABELS = {"ky": _("Kyrgyz"), "ru": _("Russian"), "en": _("English")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        default = Period.last_days(30)
        since = data.get("since") or default.since
        until = data.get("until") or default.until
        if until < since:
            raise ValidationError(_("The end of the period is before its start."))
        if (until - since).days > MAX_PERIOD_DAYS:
            raise ValidationError(_("Choose a period of at most five years."))
        data["since"], data["until"] = since, until
        return data

    def period(self) -> Period:
        if self.is_valid():
            return Period(self.cleaned_data["since"], self.cleaned_data["until"])
        return Period.last_days(30)


class ClientFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or organisation"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Audience category"),
        required=False,
        choices=[("", _("All categories")), *AudienceCategory.choices],
    )

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["category"], self.cleaned_data["q"].strip()


class SurveyForm(forms.Form):
    title_ky = forms.CharField(label=_("Title (Kyrgyz)"), max_length=200)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    intro_ky = forms.CharField(
        label=_("Introduction (Kyrgyz)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    intro_ru = forms.CharField(
        label=_("Introduction (Russian)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    intro_en = forms.CharField(
        label=_("Introduction (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_on = forms.DateField(label=_("Open from"), widget=DateInput())
    closes_on = forms.DateField(label=_("Open until"), required=False, widget=DateInput())
    for_all = forms.BooleanField(label=_("For every audience category"), required=False)
    categories = forms.MultipleChoiceField(
        label=_("Or only for these categories"),
        required=False,
        choices=AudienceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    active = forms.BooleanField(label=_("Active (shown to users while it is open)"), required=False)

    @staticmethod
    def initial_for(survey: FeedbackSurvey | None) -> dict[str, Any]:
        if survey is None:
            return {"for_all": True, "opens_on": datetime.date.today()}
        initial: dict[str, Any] = {
            f"{name}_{lang}": getattr(survey, f"{name}_{lang}") or ""
            for name in ("title", "intro")
            for lang in LANGS
        }
        initial.update(
            opens_on=survey.opens_on,
            closes_on=survey.closes_on,
            for_all=survey.for_all,
            categories=survey.categories,
            active=survey.active,
        )
        return initial

    def to_data(self) -> SurveyData:
        d = self.cleaned_data
        return SurveyData(
            title={lang: d[f"title_{lang}"] for lang in LANGS},
            intro={lang: d[f"intro_{lang}"] for lang in LANGS},
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            for_all=d["for_all"],
            categories=list(d["categories"]),
            active=d["active"],
        )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    role = forms.ChoiceField(
        label=_("Measures"), choices=QuestionRole.choices, initial=QuestionRole.OTHER
    )
    label_ky = forms.CharField(label=_("Question (Kyrgyz)"), max_length=300)
    label_ru = forms.CharField(label=_("Question (Russian)"), max_length=300)
    label_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    choices = forms.CharField(
        label=_("Choices, one per line: Kyrgyz | Russian | English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)

    def clean_choices(self) -> list[dict[str, str]]:
        return parse_choices(self.cleaned_data.get("choices") or "")

    def labels(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"label_{lang}"] for lang in LANGS}


RATING_CHOICES = [(str(m), str(m)) for m in range(RATING_MIN, RATING_MAX + 1)]


class AnswerForm(forms.Form):
    """One field per question (`q<id>`); the service checks the answers."""

    def __init__(self, *args: Any, questions: list[FeedbackQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            label = q.label
            field: forms.Field
            if q.kind == QuestionKind.RATING:
                field = forms.ChoiceField(
                    label=label,
                    choices=RATING_CHOICES,
                    widget=forms.RadioSelect(attrs={"class": "rating"}),
                    help_text=_("1 — very bad, 5 — very good"),
                )
            elif q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    label=label,
                    choices=[(k, q.choice_label(k)) for k in q.choice_keys()],
                    widget=forms.RadioSelect,
                )
            elif q.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=[(k, q.choice_label(k)) for k in q.choice_keys()],
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Choose as many as you like."),
                )
            else:
                field = forms.CharField(
                    label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
                )
            field.required = False  # the service says which answers are missing
            self.fields[q.field_name] = field

    def answers(self) -> dict[str, Any]:
        return {str(q.pk): self.cleaned_data.get(q.field_name) for q in self.questions}

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                target = name if name in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)
