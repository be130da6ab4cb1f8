from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Service, ServiceProvision


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("slug", "name", "order", "is_active")


@admin.register(ServiceProvision)
class ServiceProvisionAdmin(SimpleHistoryAdmin):
    list_display = ("municipality", "service", "provider_type", "provider_name", "ended_at")
    raw_id_fields = ("municipality",)
