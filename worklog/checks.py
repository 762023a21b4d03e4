"""worklog: the nightly checks for daily reports and same-day tasks.

    worklog.missing_report   → rule `missing-report`       (员工必须按时提交每日工作报告)
    worklog.unfinished_task  → rule `same-day-unfinished`  (奖惩条例 1: 当天工作事宜必须当天完成 …)

Both look only at one local date, raise through `discipline.services.raise_flag`
(unique per employee, date and rule) and are safe to run twice. A non-workday
raises nothing: no report is due, and tasks cannot be due then.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from attendance.selectors import leave_fractions
from discipline.services import raise_flag
from opsdept import employment, nightly, workcalendar
from opsdept.chat import post_event
from opsdept.models import Employee
from opsdept.registries import CheckResult

from .models import REPORTING_ROLES, DailyReport, Task, TaskFeedback

MISSING_REPORT = "missing-report"
SAME_DAY_UNFINISHED = "same-day-unfinished"


@nightly.register("worklog.missing_report")
def missing_report(day: date) -> int:
    """Flag each staff member or supervisor employed on a tracked workday with no report, unless on leave all day."""
    if not workcalendar.is_workday(day):
        return 0
    go_live = employment.go_live_date()
    if go_live is not None and day < go_live:
        return 0
    candidates = list(
        employment.employees_between(day, day).filter(role__in=REPORTING_ROLES)
        .exclude(Exists(DailyReport.objects.filter(employee=OuterRef("pk"), date=day)))
    )
    leave = leave_fractions([employee.pk for employee in candidates], day, day)
    raised = found = 0
    for employee in candidates:
        if leave.get((employee.pk, day), Decimal("0")) >= 1:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            details = _("No daily work report for %(day)s.") % {"day": day.isoformat()}
        _flag, created = raise_flag(employee, day=day, rule_code=MISSING_REPORT, source="worklog.missing_report", details=details)
        raised += created
        found += 1
    if raised:  # the daily digest for the group robots that want it (names only where HR allows)
        missing = [employee.name for employee in candidates if leave.get((employee.pk, day), Decimal("0")) < 1]
        with translation.override(settings.LANGUAGE_CODE):
            post_event("worklog.missing_reports",
                       text=_("Daily reports for %(day)s: %(count)s missing.") % {"day": day.isoformat(), "count": len(missing)},
                       personal_text=_("Daily reports for %(day)s: %(count)s missing: %(names)s") % {
                           "day": day.isoformat(), "count": len(missing), "names": "、".join(missing)})
    return CheckResult(raised, findings=found)


@nightly.register("worklog.unfinished_task")
def unfinished_task(day: date) -> int:
    """Flag each assignee with a task due on `day` that was neither done nor given feedback by the day's end."""
    if not workcalendar.is_workday(day):
        return 0
    done_in_time = Task.objects.filter(pk=OuterRef("pk"), status=Task.Status.DONE, done_on__lte=day)
    fed_back = TaskFeedback.objects.filter(task=OuterRef("pk"), given_on__lte=day)
    tasks = (
        Task.objects.select_related("assignee").filter(due_date=day, assignee__is_active=True)
        .exclude(Exists(done_in_time)).exclude(Exists(fed_back)).order_by("assignee_id", "id")
    )
    titles: dict[int, list[str]] = {}
    assignees: dict[int, Employee] = {}
    for task in tasks:
        titles.setdefault(task.assignee_id, []).append(task.title)
        assignees[task.assignee_id] = task.assignee
    raised = 0
    for employee_id, names in titles.items():
        # Flag details are stored text: write them in the department's language, whoever runs the check.
        with translation.override(settings.LANGUAGE_CODE):
            details = _("Not done and no same-day feedback: %(titles)s") % {"titles": "；".join(names)}
        _flag, created = raise_flag(
            assignees[employee_id], day=day, rule_code=SAME_DAY_UNFINISHED, source="worklog.unfinished_task", details=details,
        )
        raised += created
    return CheckResult(raised, findings=len(titles))
