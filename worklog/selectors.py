"""worklog: reads shared by pages, the dashboard card and the discipline chapter's year summary."""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from attendance.selectors import leave_fractions
from opsdept import employment, permissions, workcalendar
from opsdept.selectors import Queue, queue
from opsdept.models import Employee

from .models import REPORTING_ROLES, DailyReport, Task, TaskFeedback


def my_reports(user: AbstractBaseUser) -> QuerySet[DailyReport]:
    me = permissions.employee_of(user)
    return DailyReport.objects.select_related("reviewed_by").filter(employee=me)


def report_writers_among(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """The active people in `employees` who owe a daily report (staff and supervisors)."""
    return employees.filter(is_active=True, role__in=REPORTING_ROLES)


@dataclass
class TeamDayRow:
    employee: Employee
    report: DailyReport | None
    leave_fraction: Decimal


def report_due_state(day: workcalendar.DayInfo, today: date) -> str:
    """Whether a missing report for `day` is a gap yet: "not_workday" (none owed), "not_due" (the day is not over), "due"."""
    if not day.is_workday:
        return "not_workday"
    return "not_due" if day.date >= today else "due"


def report_team(user: AbstractBaseUser) -> QuerySet[Employee]:
    """Everyone the user leads who writes reports (all report writers, for HR), in page order."""
    if permissions.is_hr(user):
        team = Employee.objects.select_related("department", "supervisor")
    else:
        team = permissions.team_employees(user)
    return report_writers_among(team).order_by("department_id", "employee_no")


def team_reports_for_day(user: AbstractBaseUser, day: date, members: list[Employee] | None = None) -> list[TeamDayRow]:
    """`members` (one page of them; default everyone the user leads) with their report for `day`, or None.

    Queries: the team (unless given), their reports for the day, plus the leave providers' own.
    """
    members = list(report_team(user) if members is None else members)
    ids = [member.pk for member in members]
    reports = {
        report.employee_id: report
        for report in DailyReport.objects.select_related("reviewed_by").filter(employee_id__in=ids, date=day)
    }
    for member in members:
        if member.pk in reports:
            reports[member.pk].employee = member  # already loaded: permission checks read it
    leave = leave_fractions(ids, day, day)
    return [TeamDayRow(member, reports.get(member.pk), leave.get((member.pk, day), Decimal("0"))) for member in members]


def reports_written(team: QuerySet[Employee], day: date) -> int:
    """How many of `team` wrote their report for `day` (one query)."""
    return DailyReport.objects.filter(employee__in=team.order_by().values("pk"), date=day).count()


MISSING_SHOWN = 10


def team_missing(user: AbstractBaseUser, day: date) -> tuple[int, list[Employee]]:
    """How many of the user's team have no report for `day` (not counting those on leave all day), and the first few.

    Queries: the missing ids with their names, the leave providers'; never one row per team member. (The few
    shown were read again by id, a query of their own; they are built from the names read, with only those two
    fields loaded, as `.only("id", "name")` would.)
    """
    missing = report_team(user).exclude(Exists(DailyReport.objects.filter(employee=OuterRef("pk"), date=day)))
    names = dict(missing.values_list("pk", "name"))
    leave = leave_fractions(list(names) if len(names) <= 1000 else None, day, day)
    ids = [pk for pk in names if leave.get((pk, day), Decimal("0")) < 1]
    return len(ids), [Employee.from_db(None, ["id", "name"], (pk, names[pk])) for pk in ids[:MISSING_SHOWN]]


def _with_feedback(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.annotate(
        same_day_feedback=Exists(TaskFeedback.objects.filter(task=OuterRef("pk"), given_on__lte=OuterRef("due_date"))),
    )


def tasks_of(user: AbstractBaseUser) -> QuerySet[Task]:
    """The user's own tasks, open first, with whether they have same-day feedback."""
    me = permissions.employee_of(user)
    return _with_feedback(Task.objects.select_related("assigned_by").filter(assignee=me)).order_by("status", "-due_date", "id")


def _team_tasks(user: AbstractBaseUser, me: Employee) -> QuerySet[Task]:
    """The tasks of the people `user` leads; for the manager (whose team is everyone but themself) without
    the subquery of all employees that the planner hash-joined to every task."""
    if me.is_manager:
        return Task.objects.exclude(assignee=me)
    return Task.objects.filter(permissions.team_filter(user, "assignee"))


def team_open_tasks(user: AbstractBaseUser) -> QuerySet[Task]:
    """The open tasks of the people the user leads (everyone's, for HR)."""
    if permissions.is_hr(user):
        tasks = Task.objects.all()
    else:
        tasks = Task.objects.filter(permissions.team_filter(user, "assignee"))
    return _with_feedback(tasks.select_related("assignee", "assigned_by").filter(status=Task.Status.OPEN)).order_by("due_date", "assignee__employee_no", "id")


def task_detail_queryset() -> QuerySet[Task]:
    return Task.objects.select_related("assignee", "assigned_by").prefetch_related("feedback")


@dataclass
class DashboardCard:
    writes_reports: bool
    is_workday: bool
    today_report: DailyReport | None
    today_tasks: list[Task]
    leads_team: bool
    team_missing: list[Employee]
    team_open_tasks: Queue | None
    today_date: date
    team_missing_count: int = 0


def dashboard_for(user: AbstractBaseUser) -> DashboardCard | None:
    """What the worklog card on the home page shows: today's report and tasks; the team's gaps."""
    me = permissions.employee_of(user)
    if me is None:
        return None
    today = timezone.localdate()
    workday = workcalendar.is_workday(today)
    writes = permissions.can(user, "report.write")
    report = DailyReport.objects.filter(employee=me, date=today).first() if writes else None
    today_tasks = list(_with_feedback(Task.objects.filter(assignee=me, due_date__lte=today)).filter(
        Q(status=Task.Status.OPEN) | Q(due_date=today)).order_by("status", "due_date", "id"))
    leads_team = me.is_supervisor
    missing: list[Employee] = []
    missing_count = 0
    open_count = None
    if leads_team:
        if workday:
            missing_count, missing = team_missing(user, today)
        open_count = queue(_team_tasks(user, me).filter(status=Task.Status.OPEN), "created_at")
    return DashboardCard(writes, workday, report, today_tasks, leads_team, missing, open_count, today, missing_count)


def _task_counts(ids: list[int], start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    rows = (
        Task.objects.filter(assignee_id__in=ids, due_date__range=(start, end))
        .values("assignee_id")
        .annotate(
            assigned=Count("pk"),
            done=Count("pk", filter=Q(status=Task.Status.DONE, done_on__lte=F("due_date"))),
            late=Count("pk", filter=Q(status=Task.Status.DONE, done_on__gt=F("due_date"))
                       | Q(status=Task.Status.OPEN, due_date__lt=today)),
        )
        .order_by()
    )
    return {row["assignee_id"]: row for row in rows}


def year_summary(employee_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """Per employee, the year's daily reports and tasks, for the year-end summary (奖惩条例 5).

    Keys of each inner dict:
      reports_written  reports written in the year
      reports_missing  tracked workdays (from max(go-live, hire date) to the leave date, up to yesterday) with no report and not wholly on leave;
                       always 0 for HR and the manager, who write no reports
      tasks_assigned   tasks due in the year
      tasks_done       of those, done by their due date
      tasks_late       of those, done after their due date or still open after it

    A constant number of queries: employees, report dates, task counts, the calendar,
    plus the leave providers' own.
    """
    ids = list(employee_ids)
    start, end = date(year, 1, 1), date(year, 12, 31)
    today = timezone.localdate()
    last_countable = min(end, today - timedelta(days=1))
    go_live = employment.go_live_date()
    employees = {pk: (role, employment.tracked_span(hired, left, go_live))
                 for pk, role, hired, left in Employee.objects.filter(pk__in=ids).values_list("pk", "role", "hire_date", "leave_date")}
    written: dict[int, set[date]] = {pk: set() for pk in ids}
    for employee_id, day in DailyReport.objects.filter(employee_id__in=ids, date__range=(start, end)).values_list("employee_id", "date"):
        written[employee_id].add(day)
    task_counts = _task_counts(ids, start, end, today)
    workdays = workcalendar.workdays_between(start, last_countable) if last_countable >= start else []
    leave = leave_fractions(ids, start, last_countable) if workdays else {}
    result: dict[int, dict[str, int]] = {}
    for pk in ids:
        role, span = employees.get(pk, (None, None))
        missing = 0
        if role in REPORTING_ROLES:
            # Only the person's tracked workdays (`workdays` is sorted): not the whole year's for someone who
            # joined or went live in October.
            first, last = span
            tracked = workdays[bisect_left(workdays, first):bisect_right(workdays, last) if last else len(workdays)]
            mine = written[pk]
            missing = sum(1 for day in tracked if day not in mine and leave.get((pk, day), 0) < 1)
        counts = task_counts.get(pk, {})
        result[pk] = {
            "reports_written": len(written.get(pk, ())),
            "reports_missing": missing,
            "tasks_assigned": counts.get("assigned", 0),
            "tasks_done": counts.get("done", 0),
            "tasks_late": counts.get("late", 0),
        }
    return result


def year_summary_columns(employee_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """{employee id: {label: value}}: the "reports and tasks" section of the year-end summary (opsdept.registries)."""
    from django.utils.translation import gettext as _

    labels = (_("reports written"), _("reports missing"), _("tasks"), _("done on time"), _("late or open"))
    keys = ("reports_written", "reports_missing", "tasks_assigned", "tasks_done", "tasks_late")
    return {pk: dict(zip(labels, (item[key] for key in keys))) for pk, item in year_summary(employee_ids, year).items()}


def report_summaries(employee_ids: list[int], day: date) -> dict[int, tuple[str, str]]:
    """The `daily_report_summaries` entry: (work done, problems met) of each report written on `day`."""
    rows = DailyReport.objects.filter(employee_id__in=list(employee_ids), date=day).values_list("employee_id", "done", "problems")
    return {employee_id: (done, problems) for employee_id, done, problems in rows}


def done_task_ids(task_ids: list[int]) -> set[int]:
    """The `task_assigners` entry's `done_ids`: which of these tasks are done."""
    return set(Task.objects.filter(pk__in=list(task_ids), status=Task.Status.DONE).values_list("pk", flat=True))


def task_assignees(user: AbstractBaseUser) -> QuerySet[Employee]:
    """Whom `user` may assign a task (the picker "worklog-assignee"): the report writers of their team."""
    return report_writers_among(permissions.team_employees(user)).order_by("department_id", "employee_no")
