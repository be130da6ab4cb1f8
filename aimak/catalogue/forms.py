from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProviderType, Service


class ProvisionForm(forms.Form):
    service: forms.ModelChoiceField[Service] = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.none()
    )
    provider_type = forms.ChoiceField(label=_("Provided by"), choices=ProviderType.choices)
    provider_name = forms.CharField(
        label=_("Provider's name"),
        max_length=200,
        required=False,
        help_text=_("For example: MP «Taza Suu»."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = (  # type: ignore[attr-defined]
            services if services is not None else Service.objects.all()
        )
