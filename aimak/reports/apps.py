from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "aimak.reports"
    verbose_name = _("Report-card reports")
