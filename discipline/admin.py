from django.contrib import admin

from .models import Flag, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "category", "min_amount", "max_amount", "is_active"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["employee", "date", "rule", "status"]
    list_filter = ["status", "rule"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
