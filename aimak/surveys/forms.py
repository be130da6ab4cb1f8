from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aimak.accounts.models import Role
from aimak.catalogue.models import Service
from aimak.territories.models import Territory

from .definition import LANGUAGES, NAME_RE, Choice, QuestionType, Text
from .models import PopulationUnit, QuestionnaireVersion
from .rounds import VillageFigure
from .sampling import CONFIDENCE_LEVELS, DEFAULT_CONFIDENCE
from .selectors import round_people_eligible, round_versions_available
from .xlsform import MAX_UPLOAD_BYTES

LANGUAGE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
TYPE_LABELS = {
    QuestionType.SELECT_ONE: _("One choice"),
    QuestionType.SELECT_MULTIPLE: _("Several choices"),
    QuestionType.RATING: _("Rating scale"),
    QuestionType.YES_NO: _("Yes or no"),
    QuestionType.INTEGER: _("Whole number"),
    QuestionType.DECIMAL: _("Decimal number"),
    QuestionType.TEXT: _("Text"),
    QuestionType.DATE: _("Date"),
    QuestionType.VILLAGE: _("Village of the municipality"),
}


def _text_fields(prefix: str, label: Any, max_length: int = 1000) -> dict[str, forms.Field]:
    return {
        f"{prefix}_{code}": forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES[code]})",
            required=False,
            max_length=max_length,
            widget=forms.TextInput(attrs={"lang": code}),
        )
        for code in LANGUAGES
    }


class TextFieldsMixin:
    cleaned_data: dict[str, Any]

    def text(self, prefix: str) -> Text:
        return Text(
            **{code: self.cleaned_data.get(f"{prefix}_{code}", "").strip() for code in LANGUAGES}
        )


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Name"),
        max_length=64,
        help_text=_(
            "Letters, digits and _, starting with a letter; unique in the form. "
            "Answers are stored under this name."
        ),
    )


def _check_name(value: str) -> str:
    value = value.strip()
    if not NAME_RE.match(value):
        raise ValidationError(_("Use letters, digits and _, starting with a letter."))
    return value


class FromTemplatesForm(TextFieldsMixin, forms.Form):
    services: forms.ModelMultipleChoiceField[Service] = forms.ModelMultipleChoiceField(
        label=_("Services to ask about"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services  # type: ignore[attr-defined]
        self.fields.update(_text_fields("title", _("Title"), 200))
        for code in LANGUAGES:
            self.fields[f"title_{code}"].help_text = _("Leave empty for the standard title.")


class TitleForm(TextFieldsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_text_fields("title", _("Title"), 200))

    def clean(self):
        cleaned = super().clean()
        if not any(self.cleaned_data.get(f"title_{code}") for code in LANGUAGES):
            raise ValidationError(_("The questionnaire needs a title."))
        return cleaned


class ItemForm(TextFieldsMixin, forms.Form):
    """Edits a question (all fields) or a group (labels and relevant only)."""

    required = forms.BooleanField(label=_("An answer is required"), required=False)
    relevant = forms.CharField(label=_("Ask only when (relevant)"), required=False, max_length=1000)
    constraint = forms.CharField(
        label=_("Accept only when (constraint)"), required=False, max_length=1000
    )
    list_name = forms.CharField(label=_("Choice list"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_text_fields("label", _("Label")))
        self.fields.update(_text_fields("hint", _("Hint")))
        self.fields.update(_text_fields("constraint_message", _("Message when not accepted")))


class QuestionAddForm(TextFieldsMixin, forms.Form):
    group = forms.ChoiceField(label=_("In group"), required=False)
    question_type = forms.ChoiceField(
        label=_("Type"), choices=[(t.value, label) for t, label in TYPE_LABELS.items()]
    )
    name = _name_field()
    list_name = forms.CharField(
        label=_("Choice list"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "list-names"}),
        help_text=_(
            "For choice questions: an existing list, or a new name to start an empty list."
        ),
    )

    def __init__(self, *args, groups: list[tuple[str, str]] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("— top level —")), *groups]  # type: ignore[attr-defined]
        self.fields.update(_text_fields("label", _("Label")))

    def clean_name(self) -> str:
        return _check_name(self.cleaned_data["name"])


class GroupAddForm(TextFieldsMixin, forms.Form):
    parent = forms.ChoiceField(label=_("Inside group"), required=False)
    name = _name_field()
    repeat = forms.BooleanField(
        label=_("Repeated (asked once per household member, etc.)"), required=False
    )

    def __init__(self, *args, groups: list[tuple[str, str]] = (), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— top level —")), *groups]  # type: ignore[attr-defined]
        self.fields.update(_text_fields("label", _("Label")))

    def clean_name(self) -> str:
        return _check_name(self.cleaned_data["name"])


def choices_from_post(data: Any, *, rows: int) -> list[Choice]:
    """The choices posted by the list editor: rows choice-<i>-name / -label_<lang>,
    skipping rows marked for removal and empty new rows."""
    result: list[Choice] = []
    for i in range(rows):
        name = (data.get(f"choice-{i}-name") or "").strip()
        if not name or data.get(f"choice-{i}-remove"):
            continue
        label = Text(
            **{code: (data.get(f"choice-{i}-label_{code}") or "").strip() for code in LANGUAGES}
        )
        result.append(Choice(name=name, label=label))
    return result


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file (.xlsx)"),
        help_text=_(
            "A form from KoboToolbox, ODK or Excel: survey, choices and settings "
            "sheets. At most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s MB; an XLSForm is usually much smaller.")
                % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


# --- Rounds and sample plans -------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _version_label(version: QuestionnaireVersion) -> str:
    return f"{version.questionnaire.title} · v{version.number}"


class RoundForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.none(),
        empty_label=None,
        help_text=_("Only published versions of this municipality's questionnaires."),
    )
    services: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Services covered"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Start"), widget=DateInput())
    end_date = forms.DateField(label=_("End"), widget=DateInput())
    monitors = forms.ModelMultipleChoiceField(
        label=_("Monitoring group members"),
        queryset=QuestionnaireVersion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    enumerators = forms.ModelMultipleChoiceField(
        label=_("Enumerators"),
        queryset=QuestionnaireVersion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, municipality: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = round_versions_available(municipality=municipality)  # type: ignore[attr-defined]
        self.fields["version"].label_from_instance = _version_label  # type: ignore[attr-defined]
        self.fields["services"].queryset = Service.objects.filter(is_active=True).order_by("order")  # type: ignore[attr-defined]
        self.fields["monitors"].queryset = round_people_eligible(  # type: ignore[attr-defined]
            municipality=municipality, role=Role.MONITOR
        )
        self.fields["enumerators"].queryset = round_people_eligible(  # type: ignore[attr-defined]
            municipality=municipality, role=Role.ENUMERATOR
        )
        for name in ("monitors", "enumerators"):
            self.fields[name].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]


class PlanForm(forms.Form):
    margin = forms.DecimalField(
        label=_("Margin of error (%)"),
        min_value=Decimal("1"),
        max_value=Decimal("20"),
        decimal_places=1,
        initial=Decimal("5"),
        localize=True,
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence level"),
        choices=[(c, f"{c} %") for c in CONFIDENCE_LEVELS],
        coerce=int,
        initial=DEFAULT_CONFIDENCE,
    )
    design_effect = forms.DecimalField(
        label=_("Design effect"),
        min_value=Decimal("1"),
        max_value=Decimal("5"),
        decimal_places=2,
        initial=Decimal("1.5"),
        localize=True,
        help_text=_("How much clustering by village widens the error; 1.5 is usual."),
    )
    proportion = forms.DecimalField(
        label=_("Expected proportion"),
        min_value=Decimal("0.05"),
        max_value=Decimal("0.95"),
        decimal_places=2,
        initial=Decimal("0.5"),
        localize=True,
        help_text=_("0.5 when unknown: it gives the largest sample."),
    )
    unit = forms.ChoiceField(
        label=_("Sampling unit"),
        choices=PopulationUnit.choices,
        initial=PopulationUnit.HOUSEHOLDS,
        widget=forms.RadioSelect,
    )
    household_size = forms.DecimalField(
        label=_("Average household size"),
        min_value=Decimal("1"),
        max_value=Decimal("15"),
        decimal_places=2,
        initial=Decimal("4.5"),
        localize=True,
        help_text=_("Converts the registry's persons into households."),
    )
    men_share = forms.DecimalField(
        label=_("Share of men (%)"),
        min_value=Decimal("1"),
        max_value=Decimal("99"),
        decimal_places=1,
        initial=Decimal("49"),
        localize=True,
    )
    sex_source = forms.CharField(
        label=_("Source of the share of men"),
        max_length=200,
        required=False,
        help_text=_("Without a better source, 49 % men and 51 % women."),
    )


def village_figures_from_post(
    data: Any, rows: Sequence[Any]
) -> tuple[list[VillageFigure], list[str]]:
    """Each village's figure, year, source and exclusion from the village table's fields."""
    figures: list[VillageFigure] = []
    errors: list[str] = []
    for row in rows:
        key = row.village_id
        raw = (data.get(f"figure_{key}") or "").replace(" ", "").replace("\u00a0", "")
        raw_year = (data.get(f"year_{key}") or "").strip()
        try:
            figure = int(raw) if raw else None
            year = int(raw_year) if raw_year else None
        except ValueError:
            errors.append(_("%(village)s: enter whole numbers.") % {"village": row.village.name})
            continue
        if (figure is not None and figure < 0) or (year is not None and not 1990 <= year <= 2100):
            errors.append(
                _("%(village)s: the figure must be positive and the year between 1990 and 2100.")
                % {"village": row.village.name}
            )
            continue
        figures.append(
            VillageFigure(
                village_id=key,
                figure=figure,
                year=year,
                source=(data.get(f"source_{key}") or "")[:200],
                excluded=bool(data.get(f"excluded_{key}")),
            )
        )
    return figures, errors
