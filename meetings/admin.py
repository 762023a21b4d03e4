"""meetings: read-only admin; every change goes through the services. The calendar-feed secrets are left out."""

from django.contrib import admin

from opsdept.admin import ReadOnlyAdmin

from .models import ActionItem, Meeting, MeetingAttendance, MeetingSettings, Minutes, MinutesVersion


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["starts_at", "title", "kind", "status", "planned_at"]
    list_filter = ["kind", "status"]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "employee", "status", "source", "marked_by"]
    list_filter = ["status", "source"]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "status", "version", "published_at"]


admin.site.register(ActionItem, ReadOnlyAdmin)
admin.site.register(MinutesVersion, ReadOnlyAdmin)
admin.site.register(MeetingSettings, ReadOnlyAdmin)
