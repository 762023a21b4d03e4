from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogConfig(AppConfig):
    name = "worklog"
    verbose_name = _("Work log")

    def ready(self) -> None:
        from opsdept import registries

        from . import checks, demo, reminders, selectors  # noqa: F401  (checks registers the nightly checks)
        from .services import assign_on_behalf, complete_task

        reminders.register()
        registries.chat_events.register("worklog.missing_reports", _("The daily digest of missing work reports"), order=20)

        registries.year_summary_columns.register(
            "worklog", registries.YearColumns(_("Reports and tasks"), selectors.year_summary_columns), order=30)
        registries.dashboard_cards.register("worklog", registries.DashboardCard("worklog/_dashboard.html"), order=30)
        registries.demo_seeders.register("worklog", registries.DemoSeeder(demo.seed), order=30)
        # Meetings sit beside worklog: an action item becomes a task, a report prefills the minutes.
        registries.task_assigners.register("worklog", registries.TaskAssigner(
            assign=assign_on_behalf, done_ids=selectors.done_task_ids, complete=complete_task))
        registries.daily_report_summaries.register("worklog", selectors.report_summaries)
        registries.employee_pickers.register("worklog-assignee", registries.PickerScope("task.assign", selectors.task_assignees))

        from opsdept import durability

        from .models import DailyReport, Task, TaskFeedback
        durability.protect(DailyReport, Task, TaskFeedback)
