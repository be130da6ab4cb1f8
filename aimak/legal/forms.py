from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActStatus, ActType, IssuingBody
from .selectors import LegalActFilters


class LegalActSearchForm(forms.Form):
    """The query and filters of the search page (and of the API, through LegalActFilters)."""

    q = forms.CharField(label=_("Words to find"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), required=False)
    body: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Issuing body"),
        required=False,
        queryset=IssuingBody.objects.none(),
        to_field_name="slug",
        empty_label=_("All bodies"),
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, bodies, years, **kwargs):
        super().__init__(*args, **kwargs)
        fields: dict = self.fields
        fields["type"].choices = [("", _("All types")), *ActType.choices]
        fields["status"].choices = [("", _("Any status")), *ActStatus.choices]
        fields["body"].queryset = bodies
        fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

    def filters(self) -> LegalActFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return LegalActFilters(
            act_type=data.get("type") or None,
            body=data.get("body"),
            year=data.get("year"),
            status=data.get("status") or None,
        )

    def query(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""
