"""duty: read-only admin; every change goes through the services."""

from django.contrib import admin

from opsdept.admin import ReadOnlyAdmin

from .models import DutyAssignment, DutyDay, DutyLog, DutyPeriod, DutyRoster, DutySwap


@admin.register(DutyPeriod)
class DutyPeriodAdmin(ReadOnlyAdmin):
    list_display = ["name", "start_date", "end_date", "is_declared", "compensation", "pay_rate"]


@admin.register(DutyRoster)
class DutyRosterAdmin(ReadOnlyAdmin):
    list_display = ["period", "owner", "status", "published_at"]
    list_filter = ["status"]


@admin.register(DutyDay)
class DutyDayAdmin(ReadOnlyAdmin):
    list_display = ["date", "roster", "responsible"]


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["shift", "employee", "phone", "is_active"]
    list_filter = ["is_active"]


@admin.register(DutySwap)
class DutySwapAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "requester", "colleague", "status", "accepted_at"]
    list_filter = ["status"]


@admin.register(DutyLog)
class DutyLogAdmin(ReadOnlyAdmin):
    list_display = ["day", "author", "written_at"]
