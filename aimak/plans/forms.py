"""Forms of the action-plan pages; they parse, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aimak.accounts.models import Role
from aimak.catalogue.models import Service
from aimak.territories.models import Territory

from .models import ActionStatus, FollowUpAnswer, Priority, Source, Verdict
from .selectors import (
    finding_indexes,
    finding_rounds,
    municipal_people,
    source_events,
    status_list,
)
from .services import EvidenceIn


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


TEXT = {"rows": 3}


class RecommendationForm(forms.Form):
    title_ky = forms.CharField(label=_("Title in Kyrgyz"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    text_ky = forms.CharField(
        label=_("Text in Kyrgyz"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    text_ru = forms.CharField(
        label=_("Text in Russian"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    text_en = forms.CharField(
        label=_("Text in English"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    source = forms.ChoiceField(
        label=_("Where it comes from"), choices=Source.choices, widget=forms.RadioSelect
    )
    finding = forms.ChoiceField(
        label=_("Report-card finding (round, service and index)"),
        required=False,
        help_text=_("For a report-card finding."),
    )
    finding_value = forms.CharField(
        label=_("Value shown (optional)"),
        max_length=100,
        required=False,
        help_text=_("For example “satisfied: 38 %”."),
    )
    event: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Hearing or focus group"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("For a hearing or focus group."),
    )
    reference = forms.CharField(
        label=_("Study or programme"),
        max_length=500,
        required=False,
        help_text=_("For a study or development programme: its name, author and year."),
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="medium")
    published = forms.BooleanField(
        label=_("Published on the public action-plan page"), required=False
    )

    def __init__(self, *args: Any, municipality: Territory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict = self.fields
        choices: list[Any] = [("", _("(none)"))]
        self.finding_map: dict[str, tuple[Any, str, str]] = {}
        for round in finding_rounds(municipality=municipality):
            group = []
            for fi in finding_indexes(round=round):
                value = f"{round.pk}:{fi.service_slug}:{fi.name}"
                self.finding_map[value] = (round, fi.service_slug, fi.name)
                group.append((value, f"{fi.service_label} — {fi.label}"))
            if group:
                period = f"{round.start_date:%Y-%m-%d} – {round.end_date:%Y-%m-%d}"
                choices.append((str(_("Round %(period)s") % {"period": period}), group))
        fields["finding"].choices = choices
        fields["event"].queryset = source_events(municipality=municipality)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        finding = self.finding_map.get(data.get("finding") or "")
        data["round"] = finding[0] if finding else None
        data["service"] = Service.objects.filter(slug=finding[1]).first() if finding else None
        data["index"] = finding[2] if finding else ""
        return data

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("finding", None)
        return data


def finding_initial(query: Any) -> dict[str, Any]:
    """`?round=<pk>&service=<slug>&index=<name>&value=…` (a link from the results page)."""
    round_, service, index = query.get("round"), query.get("service"), query.get("index")
    if not (round_ and service and index):
        return {}
    return {
        "source": Source.CRC_FINDING,
        "finding": f"{round_}:{service}:{index}",
        "finding_value": query.get("value", "")[:100],
    }


class ActionForm(forms.Form):
    title_ky = forms.CharField(label=_("Action in Kyrgyz"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Action in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Action in English"), max_length=300, required=False)
    responsible = forms.CharField(label=_("Responsible person or body"), max_length=200)
    responsible_user: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Responsible user (receives the overdue alerts)"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("(none)"),
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    budget = forms.DecimalField(
        label=_("Budget, som"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    funding_source = forms.CharField(label=_("Source of funding"), max_length=200, required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        required=False,
        min_value=0.01,
        max_digits=6,
        decimal_places=2,
        help_text=_("Leave empty for equal weights."),
    )
    status: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Status"), queryset=ActionStatus.objects.none()
    )

    def __init__(self, *args: Any, municipality: Territory, with_status: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: dict = self.fields
        fields["responsible_user"].queryset = municipal_people(
            municipality_id=municipality.pk, roles=(Role.STAFF, Role.DEPUTY)
        ).order_by("username")
        fields["responsible_user"].label_from_instance = lambda u: u.display_name
        if with_status:
            fields["status"].queryset = status_list()
            fields["status"].initial = status_list().filter(key="planned").first()
        else:
            del fields["status"]


class StatusForm(forms.Form):
    status: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("New status"), queryset=ActionStatus.objects.none()
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = status_list()  # type: ignore[attr-defined]


class EvidenceFields(forms.Form):
    evidence_file = forms.FileField(
        label=_("Photo or PDF (optional)"),
        required=False,
        help_text=_("JPEG, PNG, GIF, WebP or PDF."),
    )
    evidence_url = forms.URLField(
        label=_("Link (optional)"), required=False, assume_scheme="https", max_length=500
    )
    evidence_title = forms.CharField(label=_("Caption (optional)"), max_length=200, required=False)

    def evidence(self) -> list[EvidenceIn]:
        data = self.cleaned_data
        items = []
        if data.get("evidence_file"):
            items.append(
                EvidenceIn(file=data["evidence_file"], title=data.get("evidence_title", ""))
            )
        if data.get("evidence_url"):
            items.append(EvidenceIn(url=data["evidence_url"], title=data.get("evidence_title", "")))
        return items


class MilestoneForm(EvidenceFields):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    progress = forms.IntegerField(label=_("Progress, %"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs=TEXT)
    )

    field_order = ["date", "progress", "note", "evidence_file", "evidence_url", "evidence_title"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


class VerificationForm(EvidenceFields):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs=TEXT))

    field_order = ["verdict", "comment", "evidence_file", "evidence_url", "evidence_title"]


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"))
    consent = forms.BooleanField(
        label=_("The person agrees to be asked by e-mail whether the work is done"),
        required=False,
    )


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Is it really done?"), choices=FollowUpAnswer.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )


class FilterForm(forms.Form):
    status: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Status"),
        queryset=ActionStatus.objects.none(),
        required=False,
        empty_label=_("Any status"),
        to_field_name="key",
    )
    source = forms.ChoiceField(label=_("Source"), required=False)
    service: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("Any service"),
        to_field_name="slug",
    )
    overdue = forms.BooleanField(label=_("Only with overdue actions"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict = self.fields
        fields["status"].queryset = status_list()
        fields["source"].choices = [("", _("Any source")), *Source.choices]
        fields["service"].queryset = Service.objects.all()

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "status": data.get("status"),
            "source": data.get("source") or "",
            "service": data.get("service"),
            "overdue": bool(data.get("overdue")),
        }


class StatusDefinitionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    name_ky = forms.CharField(label=_("Name in Kyrgyz"), max_length=100)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=100)
    name_en = forms.CharField(label=_("Name in English"), max_length=100, required=False)
    default_progress = forms.IntegerField(
        label=_("Default progress, %"), min_value=0, max_value=100
    )
    is_open = forms.BooleanField(label=_("Counts as open"), required=False)
    excluded = forms.BooleanField(label=_("Left out of progress (cancelled)"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
