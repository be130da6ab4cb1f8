import datetime

from django import forms
from django.utils.translation import gettext_lazy as _


class PopulationForm(forms.Form):
    population = forms.IntegerField(label=_("Population"), min_value=0, max_value=5_000_000)
    year = forms.IntegerField(label=_("Year of the figure"), min_value=1990)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_("For example: household register of the ayil okmotu, 1 January 2025."),
    )

    def clean_year(self):
        # Checked on each submission: a limit fixed at start-up would go stale on 1 January.
        year = self.cleaned_data["year"]
        this_year = datetime.date.today().year
        if year > this_year:
            raise forms.ValidationError(
                _("Ensure this value is less than or equal to %(limit_value)s."),
                params={"limit_value": this_year},
            )
        return year
