"""worklog: read-only admin; every change goes through the services."""

from django.contrib import admin

from opsdept.admin import ReadOnlyAdmin

from .models import DailyReport, Task, TaskFeedback


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
