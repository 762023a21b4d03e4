"""attendance: admin. Punches and derived days are read-only here: punches are never edited (corrections are new rows)."""

from django.contrib import admin

from opsdept.admin import ReadOnlyAdmin

from .models import AttendanceDay, AttendanceSettings, CompTimeEntry, Correction, Overtime, Punch


@admin.register(Punch)
class PunchAdmin(ReadOnlyAdmin):
    list_display = ["employee", "at", "local_date", "source", "ip_address"]
    list_filter = ["source"]
    list_select_related = ["employee"]
    search_fields = ["employee__name", "employee__employee_no"]


@admin.register(AttendanceDay)
class AttendanceDayAdmin(ReadOnlyAdmin):
    list_display = ["employee", "date", "status", "late_minutes", "early_minutes", "leave_fraction"]
    list_filter = ["status"]
    list_select_related = ["employee"]


@admin.register(Correction, Overtime)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["employee", "date", "status", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["employee", "decided_by"]


@admin.register(AttendanceSettings)
class AttendanceSettingsAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "correction_monthly_limit"]


@admin.register(CompTimeEntry)
class CompTimeEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "employee", "kind", "hours", "source"]
    list_filter = ["kind"]
