from django.contrib import admin

from opsdept.admin import ReadOnlyAdmin

from .models import Appeal, CampaignMiss, Flag, PolicyAcknowledgement, PolicyVersion, Record, Rule


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["code", "number", "category", "min_amount", "max_amount", "is_active"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["employee", "date", "rule", "status"]
    list_filter = ["status", "rule"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ["employee", "rule", "kind", "amount", "issued_at", "reverses"]
    list_filter = ["kind", "rule"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["employee", "record", "status", "filed_at", "decided_at"]


@admin.register(CampaignMiss)
class CampaignMissAdmin(ReadOnlyAdmin):
    list_display = ["employee", "campaign", "date", "penalised_by"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["label", "published_at", "published_by"]


@admin.register(PolicyAcknowledgement)
class PolicyAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["employee", "version", "acknowledged_at"]
