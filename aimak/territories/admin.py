from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Territory, TerritoryChange, TerritoryLoad


@admin.register(Territory)
class TerritoryAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("code", "name", "level", "kind", "population", "valid_to")
    list_filter = ("level", "kind")
    search_fields = ("code", "name_ru", "name_ky", "name_en")
    raw_id_fields = ("parent", "successor")


@admin.register(TerritoryLoad)
class TerritoryLoadAdmin(admin.ModelAdmin):
    list_display = ("loaded_at", "file_name", "label", "created", "updated", "unchanged")


@admin.register(TerritoryChange)
class TerritoryChangeAdmin(admin.ModelAdmin):
    list_display = ("territory", "field", "old_value", "new_value", "load")
    raw_id_fields = ("territory", "load")
