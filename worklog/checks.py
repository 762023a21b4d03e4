"""worklog: the nightly checks for daily reports and same-day tasks.

    worklog.missing_report   → rule `missing-report`       (员工必须按时提交每日工作报告)
    worklog.unfinished_task  → rule `same-day-unfinished`  (奖惩条例 1: 当天工作事宜必须当天完成 …)

Both look only at one local date (and, given `employee_ids`, a chunk of the department), read it
in a constant number of queries, raise one batch through `discipline.services.raise_flags`
(unique per employee, date and rule) and are safe to run twice. A non-workday
raises nothing: no report is due, and tasks cannot be due then.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from attendance.selectors import cover_facts, leave_fractions
from discipline.models import Flag
from discipline.services import Finding, flag_facts, raise_flags
from opsdept import employment, nightly, workcalendar
from opsdept.chat import post_event
from opsdept.facts import department_facts, of_chunk, rows
from opsdept.models import AlertSent, Employee
from opsdept.registries import CheckResult

from .models import REPORTING_ROLES, DailyReport, Task, TaskFeedback

MISSING_REPORT = "missing-report"
SAME_DAY_UNFINISHED = "same-day-unfinished"


def report_facts(day: date, employee_ids: list[int]) -> list[object]:
    """What `missing_report` reads (opsdept.facts): the people, calendar and go-live date, which of them reported
    on `day` (the report's text is not read), what leave covers, and the rules flagged."""
    return [
        *department_facts(day, employee_ids),
        DailyReport.objects.filter(of_chunk("employee_id", employee_ids), date=day).order_by()
        .values_list("pk", "employee_id", "date"),
        cover_facts(employee_ids, day),
        *flag_facts(),
    ]


def task_facts(day: date, employee_ids: list[int]) -> list[object]:
    """What `unfinished_task` reads (opsdept.facts): the people and calendar, their tasks due on `day` and the
    feedback on them, and the rules flagged."""
    return [
        *department_facts(day, employee_ids),
        rows(Task.objects.filter(of_chunk("assignee_id", employee_ids), due_date=day)),
        rows(TaskFeedback.objects.filter(of_chunk("task__assignee_id", employee_ids), task__due_date=day)),
        *flag_facts(),
    ]


@nightly.register("worklog.missing_report", facts=report_facts)
def missing_report(day: date, employee_ids: list[int] | None = None) -> int:
    """Flag each staff member or supervisor employed on a tracked workday with no report, unless on leave all day."""
    if not workcalendar.is_workday(day):
        return 0
    go_live = employment.go_live_date()
    if go_live is not None and day < go_live:
        return 0
    # Served by worklog_dailyreport_date (see its migration): the NOT EXISTS probes by date.
    candidates = (employment.employees_between(day, day).filter(role__in=REPORTING_ROLES)
                  .exclude(Exists(DailyReport.objects.filter(employee=OuterRef("pk"), date=day))).order_by("pk"))
    if employee_ids is not None:
        candidates = candidates.filter(pk__any=set(employee_ids))
    candidates = list(candidates.values_list("pk", flat=True))
    leave = leave_fractions(candidates, day, day)
    missing = [pk for pk in candidates if leave.get((pk, day), Decimal("0")) < 1]
    with translation.override(settings.LANGUAGE_CODE):
        details = _("No daily work report for %(day)s.") % {"day": day.isoformat()}
    raised = raise_flags(Finding(employee, day, MISSING_REPORT, details, "worklog.missing_report") for employee in missing)
    return CheckResult(len(raised), findings=raised.findings)


@nightly.register("worklog.missing_report_digest")
def missing_report_digest(day: date) -> int:
    """Post the day's digest of missing reports to the group robots that want it, once per date.

    A check of its own, after `worklog.missing_report`: that one runs in chunks of the department,
    and the robots want one message for the whole department (names only where HR allows).
    """
    key = f"worklog.missing_reports:{day.isoformat()}"
    if AlertSent.objects.filter(key=key).exists():
        return 0  # posted by an earlier run of this night (a rerun reads no flag)
    # The names only, not an Employee per flag (the worst night flags everyone).
    names = list(Flag.objects.filter(date=day, rule__code=MISSING_REPORT).order_by("employee__employee_no")
                 .values_list("employee__name", flat=True))
    if not names:
        return 0
    try:
        with transaction.atomic():
            AlertSent.objects.create(key=key)
    except IntegrityError:
        return 0  # posted by an earlier run of this night
    with translation.override(settings.LANGUAGE_CODE):
        post_event("worklog.missing_reports",
                   text=_("Daily reports for %(day)s: %(count)s missing.") % {"day": day.isoformat(), "count": len(names)},
                   personal_text=_("Daily reports for %(day)s: %(count)s missing: %(names)s") % {
                       "day": day.isoformat(), "count": len(names), "names": "、".join(names)})
    return 0


@nightly.register("worklog.unfinished_task", facts=task_facts)
def unfinished_task(day: date, employee_ids: list[int] | None = None) -> int:
    """Flag each assignee with a task due on `day` that was neither done nor given feedback by the day's end."""
    if not workcalendar.is_workday(day):
        return 0
    done_in_time = Task.objects.filter(pk=OuterRef("pk"), status=Task.Status.DONE, done_on__lte=day)
    fed_back = TaskFeedback.objects.filter(task=OuterRef("pk"), given_on__lte=day)
    tasks = (
        Task.objects.select_related("assignee").filter(due_date=day, assignee__is_active=True)
        .exclude(Exists(done_in_time)).exclude(Exists(fed_back)).order_by("assignee_id", "id")
    )
    if employee_ids is not None:
        tasks = tasks.filter(assignee_id__any=set(employee_ids))
    titles: dict[int, list[str]] = {}
    assignees: dict[int, Employee] = {}
    for task in tasks:
        titles.setdefault(task.assignee_id, []).append(task.title)
        assignees[task.assignee_id] = task.assignee
    findings = []
    # Flag details are stored text: write them in the department's language, whoever runs the check.
    with translation.override(settings.LANGUAGE_CODE):
        for employee_id, names in titles.items():
            details = _("Not done and no same-day feedback: %(titles)s") % {"titles": "；".join(names)}
            findings.append(Finding(assignees[employee_id], day, SAME_DAY_UNFINISHED, details, "worklog.unfinished_task"))
    raised = raise_flags(findings)
    return CheckResult(len(raised), findings=raised.findings)
