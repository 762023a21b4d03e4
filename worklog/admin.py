"""worklog: read-only admin; every change goes through the services."""

from django.contrib import admin

from .models import DailyReport, Task, TaskFeedback


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DailyReport)
class DailyReportAdmin(ReadOnlyAdmin):
    list_display = ["date", "employee", "completion", "rating"]
    list_filter = ["date", "rating"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["due_date", "assignee", "title", "status"]
    list_filter = ["status", "due_date"]


@admin.register(TaskFeedback)
class TaskFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["given_on", "task"]
