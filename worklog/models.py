"""Daily work reports and same-day tasks (运营部规章制度: 工作报告; 工作任务分配和执行; 奖惩条例 1).

Who writes a daily report: staff and supervisors — the people who do the
department's 运营 work and report to someone above them. HR (人事, outside
the operations work itself) and the manager (the top of the reporting tree,
with nobody above to read the report) are exempt; see `writes_reports`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from opsdept.models import Employee

REPORTING_ROLES = (Employee.Role.STAFF, Employee.Role.SUPERVISOR)


def writes_reports(employee: Employee) -> bool:
    """Whether `employee` owes a daily report: staff and supervisors, not HR nor the manager."""
    return employee.is_active and employee.role in REPORTING_ROLES


class DailyReport(models.Model):
    """One employee's report on one workday (员工必须按时提交每日工作报告)."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Poor")

    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="daily_reports")
    date = models.DateField(_("date"))
    done = models.TextField(_("work done"))
    completion = models.PositiveSmallIntegerField(_("completion (%)"), default=100)
    problems = models.TextField(_("problems met"), blank=True)
    solutions = models.TextField(_("solutions"), blank=True)
    plan = models.TextField(_("tomorrow's plan"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    comment = models.TextField(_("supervisor's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        Employee, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "employee__employee_no"]
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="one_report_per_employee_day"),
            models.CheckConstraint(condition=models.Q(completion__lte=100), name="report_completion_at_most_100"),
        ]
        indexes = [
            # The missing-report check's NOT EXISTS (one date's reports for everyone): PostgreSQL 15 fed
            # its Merge Anti Join from a Parallel Seq Scan of every report ever written (159 ms at 10k
            # employees × 60 workdays, growing with history); with this index, an Index Scan of that
            # date's reports (72 ms, most of it the sort). Plans: tests/bench/nightly_explain.md.
            models.Index(fields=["date"], name="worklog_dailyreport_date"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.name} {self.date}"


class Task(models.Model):
    """Work assigned by a supervisor or the manager (所有工作任务由主管或经理进行分配)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("status", "Open")
        DONE = "done", _("Done")

    assignee = models.ForeignKey(Employee, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="tasks")
    assigned_by = models.ForeignKey(Employee, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    due_date = models.DateField(_("due date"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # The local date it was marked done: the nightly check and the year summary compare it with due_date.
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "due_date"]),
            # The home page's "open tasks in the team" (count and oldest): EXPLAIN ANALYZE at 10,000 employees and
            # 38,000 tasks (PostgreSQL 15), the manager's: a Seq Scan of every task ever assigned to find the 3,857
            # open ones, hash-joined to all employees, 6.4 ms and growing with history; with this partial index
            # (and no join: worklog.selectors._team_tasks), a Bitmap Index Scan of the open ones, 1.4 ms.
            models.Index(fields=["assignee", "created_at"], condition=models.Q(status="open"), name="worklog_task_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(assignee=models.F("assigned_by")), name="task_not_assigned_to_self"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", done_on__isnull=True) | models.Q(status="done", done_on__isnull=False),
                name="task_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class TaskFeedback(models.Model):
    """The assignee's same-day word on an unfinished task: why, and the new plan (当天及时反馈)."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="feedback")
    author = models.ForeignKey(Employee, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why it is not done"))
    new_plan = models.TextField(_("new plan"))
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    # Local date the feedback was given; "same-day" means given_on <= the task's due date.
    given_on = models.DateField(_("given on"))

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("task feedback")
        verbose_name_plural = _("task feedback")

    def __str__(self) -> str:
        return f"{self.task} {self.given_on}"
