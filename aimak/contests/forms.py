"""Forms of contests; the application and scoring forms are built from the contest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aimak.practices.models import Theme

from .models import Application, Contest, FieldKind

LANG_LABELS = (("ky", _("Kyrgyz")), ("ru", _("Russian")), ("en", _("English")))
DATETIME = {"type": "datetime-local"}


def _dt(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )


class ContestForm(forms.Form):
    title_ky = forms.CharField(label=_("Title (Kyrgyz)"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_ky = forms.CharField(
        label=_("Description (Kyrgyz)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    description_ru = forms.CharField(
        label=_("Description (Russian)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    theme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False
    )
    call_opens = _dt(_("Call for applications opens"))
    call_closes = _dt(_("Call for applications closes"))
    voting_opens = _dt(_("Public voting opens"))
    voting_closes = _dt(_("Public voting closes"))
    announcement_url = forms.URLField(label=_("Link to the announcement (news)"), required=False)
    regulations = forms.FileField(
        label=_("Regulations (PDF or DOCX)"), required=False,
        help_text=_("Up to 20 MB. Needed before the contest is announced."),
    )  # fmt: skip

    @classmethod
    def initial_for(cls, contest: Contest) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(contest, name)
            for name in ("call_opens", "call_closes", "voting_opens", "voting_closes",
                         "announcement_url", "theme")
        }  # fmt: skip
        for lang in ("ky", "ru", "en"):
            initial[f"title_{lang}"] = getattr(contest, f"title_{lang}")
            initial[f"description_{lang}"] = getattr(contest, f"description_{lang}")
        return initial


class FieldForm(forms.Form):
    label_ky = forms.CharField(label=_("Question (Kyrgyz)"), max_length=300, required=False)
    label_ru = forms.CharField(label=_("Question (Russian)"), max_length=300, required=False)
    label_en = forms.CharField(label=_("Question (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=FieldKind.choices)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Options (one per line, for a choice)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    help_ky = forms.CharField(label=_("Help (Kyrgyz)"), max_length=500, required=False)
    help_ru = forms.CharField(label=_("Help (Russian)"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help (English)"), max_length=500, required=False)


class CriterionForm(forms.Form):
    name_ky = forms.CharField(label=_("Criterion (Kyrgyz)"), max_length=300, required=False)
    name_ru = forms.CharField(label=_("Criterion (Russian)"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Criterion (English)"), max_length=300, required=False)
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=100, initial=10)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=0, max_value=100, decimal_places=2, initial=1
    )


class NewApplicationForm(forms.Form):
    municipality: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=None,  # type: ignore[arg-type]
    )
    title = forms.CharField(label=_("Title of the project"), max_length=300)

    def __init__(self, *args: Any, municipalities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from aimak.territories.models import Territory

        field = self.fields["municipality"]
        field.queryset = Territory.objects.filter(pk__in=[m.pk for m in municipalities])  # type: ignore[attr-defined]
        if len(municipalities) == 1:
            field.initial = municipalities[0].pk


class ApplicationForm(forms.Form):
    """The contest's own form: one Django field per ContestField (named f<id>)."""

    title = forms.CharField(label=_("Title of the project"), max_length=300)

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("title", application.title)
        super().__init__(*args, **kwargs)
        self.items = list(application.contest.fields.all())
        files = {f.field_id: f for f in application.files.all()}
        for item in self.items:
            name = f"f{item.pk}"
            label = item.label + (" *" if item.required else "")
            common: dict[str, Any] = {"label": label, "required": False, "help_text": item.help}
            value = application.answers.get(str(item.pk))
            if item.kind == FieldKind.SHORT:
                self.fields[name] = forms.CharField(max_length=300, **common)
            elif item.kind == FieldKind.LONG:
                self.fields[name] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000, **common
                )
            elif item.kind == FieldKind.NUMBER:
                self.fields[name] = forms.CharField(
                    max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
                )
            elif item.kind == FieldKind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    choices=[("", "—")] + [(c, c) for c in item.choices], **common
                )
            else:
                stored = files.get(item.pk)
                if stored is not None:
                    common["help_text"] = (f"{item.help} " if item.help else "") + str(
                        _("Attached: %(name)s. Choose a file to replace it.")
                        % {"name": stored.name}
                    )
                self.fields[name] = forms.FileField(**common)
            if value is not None:
                self.initial.setdefault(name, value)

    def answers(self) -> dict[str, Any]:
        return {
            str(item.pk): self.cleaned_data.get(f"f{item.pk}") or ""
            for item in self.items
            if item.kind != FieldKind.FILE
        }

    def uploads(self) -> dict[str, Any]:
        return {
            str(item.pk): self.cleaned_data[f"f{item.pk}"]
            for item in self.items
            if item.kind == FieldKind.FILE and self.cleaned_data.get(f"f{item.pk}")
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this application?"),
        choices=(
            ("no", _("No, I have no conflict of interest")),
            ("yes", _("Yes, I have a conflict of interest")),
        ),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class ScoreForm(forms.Form):
    def __init__(
        self, *args: Any, criteria: list[Any], scores: dict[int, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            existing = scores.get(c.pk)
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=_("%(name)s (0–%(max)s, weight %(weight)s)") % {"name": c.name, "max": c.max_score, "weight": c.weight},
                min_value=0, max_value=c.max_score,
                initial=existing.value if existing else None,
            )  # fmt: skip
            self.fields[f"k{c.pk}"] = forms.CharField(
                label=_("Comment"), required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.comment if existing else "",
            )  # fmt: skip

    def values(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"k{c.pk}") or "" for c in self.criteria}


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40)


class IssueCodesForm(forms.Form):
    count = forms.IntegerField(label=_("How many codes"), min_value=1, max_value=500, initial=20)
    label = forms.CharField(label=_("For (event, place)"), max_length=200, required=False)


class VerifyUserForm(forms.Form):
    who = forms.CharField(label=_("User name or e-mail"), max_length=254)


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("annul", _("Annul these votes")), ("keep", _("Keep these votes"))),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
