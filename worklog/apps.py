from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogConfig(AppConfig):
    name = "worklog"
    verbose_name = _("Work log")

    def ready(self) -> None:
        # Meetings sit beside worklog: an action item becomes a task, a report prefills the minutes.
        from opsdept import registries

        from .selectors import done_task_ids, report_summaries
        from .services import assign_on_behalf, complete_task

        registries.task_assigners.register("worklog", registries.TaskAssigner(
            assign=assign_on_behalf, done_ids=done_task_ids, complete=complete_task))
        registries.daily_report_summaries.register("worklog", report_summaries)
