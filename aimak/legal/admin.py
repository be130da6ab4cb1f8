from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import IssuingBody, LegalAct, LegalActAttachment, LegalActLink
from .services import legal_act_save


class AttachmentInline(admin.TabularInline):
    model = LegalActAttachment
    extra = 0


class LinkInline(admin.TabularInline):
    model = LegalActLink
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]


@admin.register(LegalAct)
class LegalActAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "date", "act_type", "body", "status", "partial"]
    list_filter = ["act_type", "status", "body"]
    search_fields = ["number", "title_ru", "title_ky"]
    inlines = [LinkInline, AttachmentInline]

    def save_model(self, request, obj, form, change):
        legal_act_save(act=obj)


@admin.register(IssuingBody)
class IssuingBodyAdmin(TranslationAdmin):
    list_display = ["slug", "name"]
