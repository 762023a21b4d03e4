"""worklog: every state change of daily reports and tasks."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import audit, bounds, permissions, workcalendar
from opsdept.errors import DomainError
from opsdept.models import Employee
from opsdept.notify import Lines, Message, department_language, mark_read, notify

from .models import DailyReport, Task, TaskFeedback
from .reminders import report_key

REPORT_FIELDS = ["done", "completion", "problems", "solutions", "plan"]
REVIEW_FIELDS = ["rating", "comment"]
TASK_FIELDS = ["assignee", "assigned_by", "title", "detail", "due_date"]


class WorklogError(DomainError):
    pass


def _me(actor: AbstractBaseUser) -> Employee:
    me = permissions.employee_of(actor)
    if me is None:
        raise WorklogError(_("Your login is not linked to an employee record. Ask HR."))
    return me


def _clean_report_text(fields: dict) -> dict:
    cleaned = {name: (fields.get(name) or "").strip() for name in ("done", "problems", "solutions", "plan")}
    if not cleaned["done"]:
        raise WorklogError(_("Say what work you did today."), field="done")
    if not cleaned["plan"]:
        raise WorklogError(_("Give your plan for tomorrow."), field="plan")
    completion = fields.get("completion")
    if completion is None or isinstance(completion, bool) or not isinstance(completion, int) or not 0 <= completion <= 100:
        raise WorklogError(_("Completion is a whole percentage from 0 to 100."), field="completion")
    cleaned["completion"] = completion
    return cleaned


@transaction.atomic
def save_daily_report(day: date, *, actor: AbstractBaseUser, **fields: object) -> DailyReport:
    """Write or change the actor's report for `day`, which must be today's local date and a workday.

    A report is editable by its author until the end of its own local day
    (Asia/Shanghai), then locked; every edit is audited with before and after.
    """
    permissions.require(actor, "report.write")
    me = _me(actor)
    today = timezone.localdate()
    if day != today:
        raise WorklogError(_("You can only write the report for today (%(today)s).") % {"today": today.isoformat()}, field="date")
    if not workcalendar.is_workday(day):
        raise WorklogError(_("Today is not a workday: no report is due."), field="date")
    cleaned = _clean_report_text(fields)
    report = DailyReport.objects.select_for_update().filter(employee=me, date=day).first()
    if report is None:
        report = DailyReport(employee=me, date=day)
        try:
            with transaction.atomic():
                audit.update_audited(report, actor=actor, action=audit.Action.REPORT_WRITTEN, fields=REPORT_FIELDS,
                                     values=cleaned, validate=False)
        except IntegrityError:
            # A double submit: the first request created it; treat this one as an edit.
            report = DailyReport.objects.select_for_update().get(employee=me, date=day)
        else:
            mark_read(report_key(me.pk, day))  # the 17:30 reminder is done with
            return report
    permissions.require(actor, "report.edit", report)
    audit.update_audited(report, actor=actor, action=audit.Action.REPORT_EDITED, fields=REPORT_FIELDS,
                         values=cleaned, validate=False)
    return report


@transaction.atomic
def review_daily_report(report_id: int, *, actor: AbstractBaseUser, rating: str, comment: str) -> DailyReport:
    """Comment on and rate a report of someone the actor leads (主管根据员工的工作报告进行评估)."""
    report = DailyReport.objects.select_for_update().select_related("employee").get(pk=report_id)
    permissions.require(actor, "report.review", report)
    if rating not in DailyReport.Rating.values:
        raise WorklogError(_("Choose a rating."), field="rating")
    comment = (comment or "").strip()
    if not comment:
        raise WorklogError(_("Write a comment for the author."), field="comment")
    reviewer = _me(actor)
    changes = audit.update_audited(
        report, actor=actor, action=audit.Action.REPORT_REVIEWED, fields=REVIEW_FIELDS, validate=False,
        values={"rating": rating, "comment": comment, "reviewed_by": reviewer, "reviewed_at": timezone.now()},
    )
    if not changes:
        report.refresh_from_db(fields=["reviewed_by", "reviewed_at"])
        return report
    notify(
        report.employee,
        subject=Message(gettext_lazy("%(name)s commented on your report of %(day)s"),
                        name=report.reviewed_by.name, day=report.date.isoformat()),
        body=Message(gettext_lazy("%(rating)s: %(comment)s"), rating=report.get_rating_display, comment=comment),
        url=reverse("worklog:report_detail", kwargs={"pk": report.pk}),
    )
    return report


@transaction.atomic
def assign_task(
    assignee_id: int, *, actor: AbstractBaseUser, title: str, detail: str = "", due_date: date | None = None,
    on_behalf_of: str = "",
) -> Task:
    """Assign a task to someone in the actor's reporting tree; due today unless said otherwise.

    `on_behalf_of` names a body that decided the task (a meeting's action item, recorded by
    its clerk, who need not lead the assignee): the caller has checked the actor may record
    it; the task is then assigned by the assignee's approver, and the audit names the source.
    """
    me = _me(actor)
    assignee = Employee.objects.filter(pk=assignee_id, is_active=True).first()
    if on_behalf_of and assignee is not None:
        assigner = permissions.approver_for(assignee) or me
        if assigner.pk == assignee.pk:
            raise WorklogError(_("Nobody can assign this person a task."), field="assignee")
        me = assigner
    elif assignee is None or not permissions.leads(actor, assignee):
        raise WorklogError(_("You can only assign tasks to people you lead."), field="assignee")
    title = (title or "").strip()
    if not title:
        raise WorklogError(_("Give the task a title."), field="title")
    today = timezone.localdate()
    due_date = due_date or today
    if due_date < today:
        raise WorklogError(_("The due date cannot be in the past."), field="due_date")
    bounds.check_date(due_date, kind=bounds.Kind.FUTURE, field="due_date")
    if not workcalendar.is_workday(due_date):
        raise WorklogError(_("The due date must be a workday."), field="due_date")
    task = Task(assignee=assignee, assigned_by=me, title=title, detail=(detail or "").strip(), due_date=due_date)
    audit.update_audited(task, actor=actor, action=audit.Action.TASK_ASSIGNED, fields=TASK_FIELDS, validate=False,
                         note=on_behalf_of)
    notify(
        assignee,
        subject=Message(gettext_lazy("New task from %(name)s: %(title)s"), name=me.name, title=title),
        body=Lines(Message(gettext_lazy("Due %(day)s."), day=due_date.isoformat()), task.detail),
        url=reverse("worklog:task_detail", kwargs={"pk": task.pk}),
    )
    return task


@transaction.atomic
def complete_task(task_id: int, *, actor: AbstractBaseUser) -> Task:
    """The assignee marks a task done (late if after its due date; the record keeps the date)."""
    task = Task.objects.select_for_update().select_related("assignee").get(pk=task_id)
    permissions.require(actor, "task.complete", task)
    if task.is_done:
        raise WorklogError(_("This task is already done."))
    task.status = Task.Status.DONE
    task.done_at = timezone.now()
    task.done_on = timezone.localdate()
    task.save(update_fields=["status", "done_at", "done_on"])
    audit.record(actor, audit.Action.TASK_DONE, task, changes={"status": ["open", "done"], "done_on": [None, task.done_on]})
    return task


@transaction.atomic
def give_task_feedback(task_id: int, *, actor: AbstractBaseUser, reason: str, new_plan: str) -> TaskFeedback:
    """Say why a task is not done and the new plan, before its due day ends (当天及时反馈)."""
    task = Task.objects.select_for_update().select_related("assignee", "assigned_by").get(pk=task_id)
    permissions.require(actor, "task.feedback", task)
    if task.is_done:
        raise WorklogError(_("This task is already done."))
    today = timezone.localdate()
    if today > task.due_date:
        raise WorklogError(_("The due day is over: same-day feedback is no longer possible."), field="reason")
    reason, new_plan = (reason or "").strip(), (new_plan or "").strip()
    if not reason:
        raise WorklogError(_("Say why the task is not done."), field="reason")
    if not new_plan:
        raise WorklogError(_("Give the new plan."), field="new_plan")
    feedback = TaskFeedback.objects.create(task=task, author=_me(actor), reason=reason, new_plan=new_plan, given_on=today)
    audit.record(actor, audit.Action.TASK_FEEDBACK, task, changes={"reason": reason, "new_plan": new_plan, "given_on": today})
    notify(
        task.assigned_by,
        subject=Message(gettext_lazy("%(name)s gave feedback on the task %(title)s"), name=task.assignee.name, title=task.title),
        body=Lines(reason, new_plan),
        url=reverse("worklog:task_detail", kwargs={"pk": task.pk}),
    )
    return feedback


def assign_on_behalf(owner: Employee, title: str, due: date, *, actor: AbstractBaseUser, source: str) -> Task:
    """The `task_assigners` entry (opsdept.registries): a task decided elsewhere, e.g. at a meeting."""
    with department_language():  # stored text: in the department's language, whoever records it
        detail = _("Action item from %(source)s.") % {"source": source}
    return assign_task(owner.pk, actor=actor, title=title, detail=detail, due_date=due, on_behalf_of=source)
