"""leave: admin (read-mostly; state changes go through the pages and their services)."""

from django.contrib import admin

from .models import AnnualLeaveAdjustment, LeaveRequest, LeaveType


@admin.register(LeaveType)
class LeaveTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_paid", "requires_attachment", "deducts_annual_balance", "is_active"]


@admin.register(LeaveRequest)
class LeaveRequestAdmin(admin.ModelAdmin):
    list_display = ["employee", "leave_type", "start_date", "end_date", "days", "status", "is_emergency"]
    list_filter = ["status", "leave_type", "is_emergency"]
    list_select_related = ["employee", "leave_type"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnnualLeaveAdjustment)
class AnnualLeaveAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "year", "days", "created_by", "created_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
