"""worklog: its reminders (registered in opsdept.registries.reminders from WorklogConfig.ready()).

    worklog.daily_report   17:30  the day's report, if not yet written
    worklog.same_day_task  17:00  tasks due today, neither done nor given feedback
"""

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import registries
from opsdept.notify import Message
from opsdept.models import Employee

from .models import REPORTING_ROLES, DailyReport, Task, TaskFeedback

DAILY_REPORT = "worklog.daily_report"
SAME_DAY_TASK = "worklog.same_day_task"


def report_key(employee_id: int, day: date) -> str:
    return f"{DAILY_REPORT}:{employee_id}:{day.isoformat()}"


def daily_report_due(day: date) -> list[registries.Due]:
    """Everyone who writes reports, hired by `day`, with no report for `day` yet."""
    missing = (Employee.objects.filter(is_active=True, role__in=REPORTING_ROLES, hire_date__lte=day)
               .exclude(Exists(DailyReport.objects.filter(employee=OuterRef("pk"), date=day))).select_related("user"))
    url = reverse("worklog:report_today")
    return [registries.Due(employee=employee, key=report_key(employee.pk, day),
                           subject=Message(gettext_lazy("Write today's work report (%(day)s) before midnight"), **{"day": day.isoformat()}),
                           url=url)
            for employee in missing]


def same_day_task_due(day: date) -> list[registries.Due]:
    """One reminder per assignee listing today's tasks that are neither done nor given feedback."""
    fed_back = TaskFeedback.objects.filter(task=OuterRef("pk"), given_on__lte=day)
    tasks = (Task.objects.select_related("assignee", "assignee__user")
             .filter(due_date=day, status=Task.Status.OPEN, assignee__is_active=True)
             .exclude(Exists(fed_back)).order_by("assignee_id", "id"))
    by_assignee: dict[int, list[Task]] = {}
    for task in tasks:
        by_assignee.setdefault(task.assignee_id, []).append(task)
    return [registries.Due(
        employee=items[0].assignee, key=f"{SAME_DAY_TASK}:{pk}:{day.isoformat()}",
        subject=Message(gettext_lazy("Today's tasks not done: finish them or give feedback today (%(count)s)"), **{"count": len(items)}),
        body="\n".join(f"· {task.title}" for task in items),
        url=reverse("worklog:task_detail", kwargs={"pk": items[0].pk}) if len(items) == 1 else reverse("worklog:task_list"),
    ) for pk, items in by_assignee.items()]


def register() -> None:
    registries.reminders.register(DAILY_REPORT, registries.Reminder(
        label=gettext_lazy("17:30 · today's work report, if not yet written"), at="17:30", due=daily_report_due), order=30)
    registries.reminders.register(SAME_DAY_TASK, registries.Reminder(
        label=gettext_lazy("17:00 · tasks due today, neither done nor given feedback"), at="17:00", due=same_day_task_due),
        order=31)
