import datetime

from django import forms
from django.utils.translation import gettext_lazy as _


class PopulationForm(forms.Form):
    population = forms.IntegerField(label=_("Population"), min_value=0, max_value=5_000_000)
    year = forms.IntegerField(label=_("Year of the figure"), min_value=1990,
                              max_value=datetime.date.today().year)
    source = forms.CharField(label=_("Source"), max_length=200,
                             help_text=_("For example: household register of the ayil okmotu, "
                                         "1 January 2025."))
