from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InclusionConfig(AppConfig):
    name = "aimak.inclusion"
    verbose_name = _("Gender and social inclusion")
