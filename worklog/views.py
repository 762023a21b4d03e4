"""worklog: pages for daily reports and same-day tasks. Thin: look up, validate, one service, redirect."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdept import permissions, pickers, workcalendar
from opsdept.errors import DomainError
from opsdept.web import apply_domain_error, get_for_action_or_404, id_from_request, people_page, requires

from . import selectors, services
from .forms import DailyReportForm, DayForm, FeedbackForm, ReviewForm, TaskForm
from .models import DailyReport, Task

REPORT_FIELDS = ["done", "completion", "problems", "solutions", "plan"]


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


# ---------------------------------------------------------------- daily reports

@requires("report.write")
def my_reports(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_reports(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "worklog/my_reports.html", {"page": page, "today": timezone.localdate()})


@requires("report.write")
def report_today(request: HttpRequest) -> HttpResponse:
    """Write today's report, or change it until the day ends."""
    today = timezone.localdate()
    me = permissions.employee_of(request.user)
    existing = DailyReport.objects.filter(employee=me, date=today).first()
    if request.method == "POST":
        form = DailyReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_daily_report(data["date"], actor=request.user, **{name: data[name] for name in REPORT_FIELDS})
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Your report for today is saved. You can change it until the end of the day."))
                return redirect("worklog:my_reports")
    else:
        initial = {"date": today}
        if existing is not None:
            initial.update({name: getattr(existing, name) for name in REPORT_FIELDS})
        form = DailyReportForm(initial=initial)
    return render(request, "worklog/report_form.html", {
        "form": form, "today": today, "existing": existing, "is_workday": workcalendar.is_workday(today),
    })


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_action_or_404(request, DailyReport.objects.select_related("employee", "reviewed_by"), pk=pk)
    return _render_report(request, report, ReviewForm(initial={"rating": report.rating, "comment": report.comment}))


def _render_report(request: HttpRequest, report: DailyReport, form: ReviewForm) -> HttpResponse:
    return render(request, "worklog/report_detail.html", {
        "report": report,
        "form": form,
        "can_review": permissions.can(request.user, "report.review", report),
        "can_edit": permissions.can(request.user, "report.edit", report),
    })


@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_for_action_or_404(request, DailyReport.objects.select_related("employee", "reviewed_by"), "report.review", pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_daily_report(report.pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Comment saved; the author has been notified."))
            next_url = _safe_next(request)
            return redirect(next_url) if next_url else redirect("worklog:report_detail", pk=report.pk)
    return _render_report(request, report, form)


@requires("report.team")
def team_reports(request: HttpRequest) -> HttpResponse:
    """The supervisor's day page: every team member's report for one day, with a comment box each."""
    today = timezone.localdate()
    day_form = DayForm(request.GET or None)
    day: date = (day_form.cleaned_data["date"] or today) if day_form.is_valid() else today
    team = selectors.report_team(request.user)
    people = people_page(request, team)
    rows = selectors.team_reports_for_day(request.user, day, people.rows)
    day_info = workcalendar.day_info(day)
    for row in rows:
        row.can_review = row.report is not None and permissions.can(request.user, "report.review", row.report)
    return render(request, "worklog/team_reports.html", {
        "rows": rows, "day": day, "day_info": day_info, "day_form": day_form, "people": people,
        "ratings": DailyReport.Rating.choices, "written": selectors.reports_written(team, day), "total": people.total,
        # 每日工作报告 is owed by the end of each workday: before that nobody is missing it.
        "due_state": selectors.report_due_state(day_info, today),
    })


# ---------------------------------------------------------------- tasks

def task_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.tasks_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "worklog/task_list.html", {"page": page, "today": timezone.localdate()})


@requires("report.team")
def team_tasks(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.team_open_tasks(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "worklog/team_tasks.html", {
        "page": page, "today": timezone.localdate(), "can_assign": permissions.can(request.user, "task.assign"),
    })


@requires("task.assign")
def task_create(request: HttpRequest) -> HttpResponse:
    team = pickers.people_for("worklog-assignee", request.user)
    if request.method == "POST":
        form = TaskForm(request.POST, team=team)
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = services.assign_task(
                    data["assignee"].pk, actor=request.user, title=data["title"], detail=data["detail"], due_date=data["due_date"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Task assigned; %(name)s has been notified.") % {"name": task.assignee.name})
                return redirect("worklog:team_tasks")
    else:
        wanted = id_from_request(request, "assignee")  # the team pages link here with a person's id
        assignee = team.filter(pk=wanted).first() if wanted is not None else None
        form = TaskForm(team=team, initial={"due_date": workcalendar.workday_on_or_after(timezone.localdate()), "assignee": assignee})
    return render(request, "worklog/task_form.html", {"form": form})


def _visible_task(request: HttpRequest, pk: int, action: str | None = None) -> Task:
    """The task the user may see (else 404); 403 if they see it but may not do `action`."""
    return get_for_action_or_404(request, selectors.task_detail_queryset(), action, employee_field="assignee", pk=pk)


def _render_task(request: HttpRequest, task: Task, form: FeedbackForm) -> HttpResponse:
    today = timezone.localdate()
    mine = permissions.can(request.user, "task.complete", task)
    return render(request, "worklog/task_detail.html", {
        "task": task, "form": form, "today": today, "mine": mine,
        "can_feedback": mine and not task.is_done and today <= task.due_date,
    })


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_task(request, _visible_task(request, pk), FeedbackForm())


@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk, "task.complete")
    try:
        services.complete_task(task.pk, actor=request.user)
        messages.success(request, _("Task marked done."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_safe_next(request) or "worklog:task_list")


@require_POST
def task_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    task = _visible_task(request, pk, "task.feedback")
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.give_task_feedback(task.pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Feedback sent to %(name)s.") % {"name": task.assigned_by.name})
            return redirect("worklog:task_detail", pk=task.pk)
    return _render_task(request, task, form)
