from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, Membership, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            "Aimak",
            {
                "fields": (
                    "full_name",
                    "audience_category",
                    "organisation",
                    "preferred_language",
                    "is_demo",
                )
            },
        ),
    )
    list_display = ("username", "email", "full_name", "audience_category", "is_staff")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "municipality", "granted_at", "ended_at")
    list_filter = ("role",)
    raw_id_fields = ("user", "municipality", "granted_by", "ended_by")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "prefix", "created_at", "revoked_at")
    readonly_fields = ("prefix", "digest")
