"""attendance: thin views — permission, form, one service, message, redirect."""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from discipline.selectors import money_totals
from opsdept import bounds, permissions, workcalendar
from opsdept.errors import DomainError
from opsdept.models import Employee, WorkSchedule
from opsdept.net import client_ip
from opsdept.selectors import calendar_css, month_grid
from opsdept.web import (MonthNav, apply_domain_error, blocktranslated, compact_month_grid, get_for_action_or_404, number_display,
                         people_page, require_action, requires, url_with_pk)

from . import export, selectors, services
from .filters import AttendanceRequestFilter, MyAttendanceRequestFilter
from . import confirmation
from . import overtime as overtime_rules
from .forms import (CorrectionForm, DecisionForm, DisputeForm, ExportForm, ImportForm, LockedPunchForm, OvertimeForm, ResolveForm,
                    SettingsForm)
from .models import AttendanceSettings, Correction, DayDispute, DayStatus, Overtime, RequestStatus

STATUS_CSS = {
    DayStatus.NORMAL: "status-normal", DayStatus.LATE: "status-late", DayStatus.EARLY: "status-early",
    DayStatus.LATE_EARLY: "status-late", DayStatus.MISSING: "status-missing", DayStatus.ABSENT: "status-absent",
    DayStatus.ON_LEAVE: "status-leave", DayStatus.BUSINESS: "status-business",
}


def _cell_css(info: workcalendar.DayInfo, status: str | None, untracked: bool = False) -> str:
    """A month-grid cell's heat-map class: the judged status, else the calendar's colour (the same on every grid)."""
    if status is not None:
        return STATUS_CSS.get(status, "")
    if untracked:
        return "status-untracked"
    return "" if info.is_workday else calendar_css(info)


# ---------------------------------------------------------------- punching

@requires("attendance.punch")
def punch(request: HttpRequest) -> HttpResponse:
    """The big clock-in / clock-out button (phone-friendly) and the day so far.

    htmx posts the button and swaps in the panel (`_punch_panel.html`) with the feedback;
    without JavaScript the form posts, the feedback is a message and the page reloads.
    """
    me = permissions.employee_of(request.user)
    feedback: tuple[str, str] | None = None
    if request.method == "POST":
        try:
            recorded, created = services.record_punch(actor=request.user, ip_address=client_ip(request))
        except DomainError as error:
            feedback = ("danger", error.message)
        else:
            feedback = _punch_feedback(selectors.punch_day(me, recorded.local_date), recorded, created)
        if not request.htmx:
            level, text = feedback
            messages.add_message(request, MESSAGE_LEVELS[level], text)
            return redirect("attendance:punch")
    today = timezone.localdate()
    context = {
        "today": today,
        "today_info": workcalendar.day_info(today),
        "day": selectors.punch_day(me, today),
        "schedule": WorkSchedule.current(),
        "feedback": feedback,
        "double_tap_seconds": services.DOUBLE_TAP_SECONDS,
    }
    template = "attendance/_punch_panel.html" if request.htmx else "attendance/punch.html"
    return render(request, template, context)


MESSAGE_LEVELS = {"success": messages.SUCCESS, "warning": messages.WARNING, "info": messages.INFO,
                  "danger": messages.ERROR}


def _punch_feedback(day: selectors.PunchDay, recorded, created: bool) -> tuple[str, str]:
    """(level, sentence) for what the tap just did: in or out, late or early, moved or merged."""
    moment = timezone.localtime(recorded.at).strftime("%H:%M")
    if not created:
        return "info", _("Already recorded at %(time)s: taps within %(seconds)d seconds count once.") % {
            "time": timezone.localtime(recorded.at).strftime("%H:%M:%S"), "seconds": services.DOUBLE_TAP_SECONDS}
    position = next((index for index, item in enumerate(day.punches) if item.pk == recorded.pk), 0)
    if position == 0:
        if day.late_minutes:
            return "warning", _("Clocked in at %(time)s — late by %(minutes)d minutes.") % {
                "time": moment, "minutes": day.late_minutes}
        return "success", _("Clocked in at %(time)s.") % {"time": moment}
    if position == 1:
        if day.early_minutes:
            return "warning", _("Clocked out at %(time)s — %(minutes)d minutes before the end of work.") % {
                "time": moment, "minutes": day.early_minutes}
        return "success", _("Clocked out at %(time)s.") % {"time": moment}
    if day.early_minutes:
        return "warning", _("Clock-out moved to %(time)s — still %(minutes)d minutes before the end of work.") % {
            "time": moment, "minutes": day.early_minutes}
    return "info", _("Clock-out moved to %(time)s.") % {"time": moment}


# ---------------------------------------------------------------- months

def _render_month(request: HttpRequest, employee: Employee, own: bool) -> HttpResponse:
    nav = MonthNav.from_request(request)
    days, totals = selectors.month_days_for(employee, nav.year, nav.month)
    for entry in days:
        entry["date"] = entry["info"].date
        entry["status"] = entry["day"].status if entry["day"] else ""
        entry["css"] = _cell_css(entry["info"], entry["status"] or None, bool(entry["untracked"]))
    weeks = month_grid(days)
    return render(request, "attendance/month.html", {
        "employee": employee, "own": own, "weeks": weeks, "days": days, "totals": totals,
        "month_start": nav.first, "previous": nav.previous, "following": nav.following,
    })


@requires("attendance.view")
def my_month(request: HttpRequest) -> HttpResponse:
    return _render_month(request, permissions.employee_of(request.user), own=True)


def employee_month(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_for_action_or_404(request, Employee.objects.select_related("department"), employee_field="pk", pk=pk)
    return _render_month(request, employee, own=employee.pk == permissions.employee_of(request.user).pk)


@requires("attendance.team")
def team_today(request: HttpRequest) -> HttpResponse:
    """Who is in today: the department summary, then one page of 50 (a small team: everyone, no paging)."""
    today = timezone.localdate()
    team = selectors.team_today_queryset(request.user)
    people = people_page(request, team)
    overall, departments = selectors.team_today_counts(team, today)
    rows = selectors.team_today(request.user, today, people.rows)
    person_month = url_with_pk("attendance:employee_month")
    for row in rows:  # ready strings, as on the team month (_team_month_rows): the engine's lookups cost more
        row.update(_person_strings(row["employee"], person_month(row["employee"].pk)))
    return render(request, "attendance/team_today.html", {
        "today": today, "today_info": workcalendar.day_info(today), "people": people,
        "rows": rows, "counts": overall.states, "departments": departments,
    })


@requires("attendance.team")
def team_month(request: HttpRequest) -> HttpResponse:
    """The team's month totals, one page of 50 at a time (only that page's month is computed)."""
    nav = MonthNav.from_request(request)
    team = selectors.team_month_queryset(request.user, nav.year, nav.month)
    people = people_page(request, team)
    rows = selectors.team_month(request.user, nav.year, nav.month, people.rows)
    daily = selectors.daily_chart(selectors.team_scope(request.user, team), nav.year, nav.month)
    trend = selectors.attendance_trend(selectors.team_scope(request.user, selectors.team_queryset(request.user)), nav.first)
    return render(request, "attendance/team_month.html", {
        "people": people, "rows": _team_month_rows(rows, nav), "daily_chart": daily,
        "daily_counts": selectors.daily_counts(daily), "trend": trend, "trend_chart": selectors.trend_chart(trend),
        "month_start": nav.first, "previous": nav.previous, "following": nav.following,
        "can_export": permissions.can(request.user, "attendance.export"),
    })


def _person_strings(employee: Employee, url: str) -> dict[str, str]:
    """A team page's person, as the strings the row shows (the link to their month, name, number, department)."""
    return {"url": url, "name": employee.name, "employee_no": employee.employee_no,
            "department": employee.department.name if employee.department else ""}


def _team_month_rows(rows: list[tuple[Employee, selectors.MonthTotals]], nav: MonthNav) -> list[dict[str, SafeString]]:
    """Each person's line of the table and card of the grids, as the HTML the page shows.

    Built here (each value escaped by format_html), not by the template engine: for a page of 50 the engine's
    lookups on objects and its formatting of 450 numbers were a third of a supervisor's request at 10,000
    employees, and its 1,000 variables of ready strings still a fifth. The cell colours only
    (opsdept.web.compact_month_grid): the legend names them, the person's month has the detail.
    """
    calendar = workcalendar.month_days(nav.year, nav.month)
    # Each day's colour when the person has no status that day (`_cell_css`), the same for everyone: once a page.
    plain = [(info.date, _cell_css(info, None)) for info in calendar]
    show, person_month = number_display(), url_with_pk("attendance:employee_month")
    month = f"?month={nav}"
    summary = _("%(present)s/%(expected)s days · late %(late)s")
    lines = []
    for employee, totals in rows:
        person = _person_strings(employee, person_month(employee.pk) + month)
        numbers = {"expected": show(totals.expected_days), "present": show(totals.present_days),
                   "late": show(totals.late_count)}
        unrequested = format_html(_UNREQUESTED, show(totals.unrequested_days)) if totals.unrequested_days else "0"
        statuses, first, last = totals.statuses, totals.first_day, totals.last_day
        css = [STATUS_CSS.get(statuses[day], "") if day in statuses else
               "status-untracked" if (first is not None and day < first) or (last is not None and day > last) else colour
               for day, colour in plain]  # `_cell_css(info, status, not totals.tracks(day))`, written out for 1,500 cells
        lines.append({
            "line": format_html(_TEAM_MONTH_LINE, **person, **numbers, early=show(totals.early_count),
                                missing=show(totals.missing_count), absent=show(totals.absent_days),
                                leave=show(totals.leave_days), overtime=show(totals.overtime_hours), unrequested=unrequested),
            "card": format_html(_TEAM_MONTH_CARD, url=person["url"], name=person["name"],
                                # The translation as blocktranslate shows it: its own text as written, the numbers escaped.
                                summary=blocktranslated(summary, **numbers),
                                grid=compact_month_grid(calendar[0].date, css, "person-grid")),
        })
    return lines


# The team month's table line and person card (templates/attendance/team_month.html places them).
_TEAM_MONTH_LINE = (
    '<tr><td class="sticky-col" data-testid="team-name"><a href="{url}">{name}</a></td><td>{employee_no}</td>'
    "<td>{department}</td><td>{expected}</td><td>{present}</td><td>{late}</td><td>{early}</td><td>{missing}</td>"
    '<td>{absent}</td><td>{leave}</td><td>{overtime}</td><td data-testid="unrequested">{unrequested}</td></tr>\n')
_UNREQUESTED = '<span class="badge text-bg-warning">{}</span>'
_TEAM_MONTH_CARD = (
    '<div class="col"><div class="card h-100" data-testid="person-card"><div class="card-body p-2">'
    '<div class="d-flex justify-content-between align-items-baseline gap-2">'
    '<a class="fw-bold text-nowrap" href="{url}">{name}</a><span class="small text-muted text-nowrap">{summary}</span>'
    "</div>{grid}</div></div></div>\n")


# ---------------------------------------------------------------- corrections and overtime

@requires("attendance.request")
def corrections(request: HttpRequest) -> HttpResponse:
    """My corrections (补卡) and the form to ask for one."""
    me = permissions.employee_of(request.user)
    form = CorrectionForm(request.POST or None, initial={"date": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correction(actor=request.user, day=form.cleaned_data["date"], clock=form.cleaned_data["time"],
                                        reason=form.cleaned_data["reason"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your correction was sent to your supervisor."))
            return redirect("attendance:corrections")
    found = MyAttendanceRequestFilter(request.GET or None, queryset=selectors.my_requests(me, Correction))
    return render(request, "attendance/corrections.html", {
        "form": form, "requests": found.qs[:200], "filter": found,
        "limit": AttendanceSettings.current().correction_monthly_limit,
    })


@requires("attendance.request")
def overtime(request: HttpRequest) -> HttpResponse:
    me = permissions.employee_of(request.user)
    form = OvertimeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_overtime(actor=request.user, day=form.cleaned_data["date"], start=form.cleaned_data["start_time"],
                                      end=form.cleaned_data["end_time"], reason=form.cleaned_data["reason"],
                                      compensation=form.cleaned_data["compensation"], late_reason=form.cleaned_data["late_reason"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your overtime request was sent to your supervisor."))
            return redirect("attendance:overtime")
    found = MyAttendanceRequestFilter(request.GET or None, queryset=selectors.my_requests(me, Overtime))
    items = list(found.qs[:100])
    return render(request, "attendance/overtime.html", {"form": form, "rows": overtime_rules.checked(items), "filter": found,
                                                        "late_days": AttendanceSettings.current().overtime_late_days})


def _cancel(request: HttpRequest, model, pk: int, service, target: str) -> HttpResponse:
    item = get_for_action_or_404(request, model.objects.select_related("employee"), "attendance.cancel", pk=pk)
    try:
        service(item.pk, actor=request.user)
        messages.success(request, _("Request withdrawn."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(target)


@require_POST
def correction_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, Correction, pk, services.cancel_correction, "attendance:corrections")


@require_POST
def overtime_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, Overtime, pk, services.cancel_overtime, "attendance:overtime")


def _routed_or_404(request: HttpRequest, model, pk: int):
    # The team's requests, and those routed to the user as deputy (代理审批人) or escalated to them.
    visible = permissions.scope_with_routed(
        request.user, model.objects.select_related("employee", "decided_by", "decided_for", "escalated_to"), start_field="date")
    return get_object_or_404(visible, pk=pk)


def _request_detail(request: HttpRequest, model, pk: int) -> HttpResponse:
    """One correction or overtime request; to its decider while pending, with the context to decide it."""
    item = _routed_or_404(request, model, pk)
    deciding = item.status == RequestStatus.PENDING and permissions.can(request.user, "attendance.decide", item)
    is_correction = model is Correction
    return render(request, "attendance/request_detail.html", {
        "item": item, "is_correction": is_correction, "deciding": deciding,
        "context": selectors.approval_context(item) if deciding else None,
        "decide_url": reverse("attendance:correction_decide" if is_correction else "attendance:overtime_decide", args=[item.pk]),
        "labels": _row_labels(),
    })


def _row_labels() -> dict[str, str]:
    """The words of the approval list's rows and of the decide form (templates/attendance/_correction_row.html,
    _overtime_row.html, _decide.html), translated once per page: a hundred rows of a dozen `{% translate %}`s and
    two URL reversals each were most of the manager's approval page at 10,000 employees (issue 16)."""
    return {"employee": _("Employee"), "date": _("Date"), "punch_time": _("Punch time"), "time": _("Time"),
            "reason": _("Reason"), "escalated": _("escalated"), "next_day": _("next day"),
            "filed_afterwards": _("Filed afterwards:"), "comment": _("Comment (required to reject)"),
            "decision_comment": _("Decision comment"), "approve": _("Approve"), "reject": _("Reject"), "review": _("Review")}


def _with_urls(items: Iterable, model) -> list:
    """`items` (corrections or overtime) with the URLs their row links to (`decide_url`, `review_url`), each
    reversed once for all of them."""
    correction = model is Correction
    decide = url_with_pk("attendance:correction_decide" if correction else "attendance:overtime_decide")
    review = url_with_pk("attendance:correction_detail" if correction else "attendance:overtime_detail")
    items = list(items)
    for item in items:
        item.decide_url, item.review_url = decide(item.pk), review(item.pk)
    return items


def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_detail(request, Correction, pk)


def overtime_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_detail(request, Overtime, pk)


def _decide(request: HttpRequest, model, pk: int, service) -> HttpResponse:
    item = _routed_or_404(request, model, pk)
    require_action(request, "attendance.decide", item)
    # Without htmx the answer is the request's own page, with its new status or the reason it was refused.
    detail = reverse("attendance:correction_detail" if model is Correction else "attendance:overtime_detail", args=[item.pk])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect(detail)
    approve = form.cleaned_data["decision"] == "approve"
    error_message = ""
    try:
        service(item.pk, actor=request.user, approve=approve, comment=form.cleaned_data["comment"])
    except DomainError as error:
        error_message = error.message
    if request.htmx:  # the row of the approval list answers in place
        template = "attendance/_correction_row.html" if model is Correction else "attendance/_overtime_row.html"
        return render(request, template, {
            "item": _with_urls([model.objects.select_related("employee", "decided_by").get(pk=item.pk)], model)[0],
            "labels": _row_labels(), "error": error_message,
            "done": "" if error_message else (_("Approved.") if approve else _("Rejected.")),
            "comment": form.cleaned_data["comment"],
        })
    if error_message:
        messages.error(request, error_message)
    else:
        messages.success(request, _("Approved.") if approve else _("Rejected."))
    return redirect(detail)


@require_POST
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, Correction, pk, services.decide_correction)


@require_POST
def overtime_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, Overtime, pk, services.decide_overtime)


@requires("attendance.decide")
def approvals(request: HttpRequest) -> HttpResponse:
    """The supervisor's queue: pending corrections and overtime of their team, 50 of each at a time."""
    found = AttendanceRequestFilter(request.GET or None, queryset=Correction.objects.none())
    corrections = people_page(request, AttendanceRequestFilter(
        request.GET or None, queryset=selectors.pending_queryset_for(request.user, Correction)).qs,
        search=False, page_param="corrections_page")
    overtime = people_page(request, AttendanceRequestFilter(
        request.GET or None, queryset=selectors.pending_queryset_for(request.user, Overtime)).qs,
        search=False, page_param="overtime_page")
    return render(request, "attendance/approvals.html", {
        "filter": found, "corrections": _with_urls(corrections.rows, Correction), "overtime": _with_urls(overtime.rows, Overtime),
        "labels": _row_labels(),
        "corrections_people": corrections, "overtime_people": overtime,
        "pending": RequestStatus.PENDING,
    })


# ---------------------------------------------------------------- HR

@requires("attendance.export")
def export_month(request: HttpRequest) -> HttpResponse:
    """HR (and the manager) pick a month and download the XLSX or CSV."""
    if "month" in request.GET:
        form = ExportForm(request.GET)
        if form.is_valid():
            year, month = form.year_month()
            try:
                kind = form.cleaned_data["format"]
                data = export.build(year, month, daily=kind != "csv")
            except DomainError as error:
                apply_domain_error(form, error)
                return render(request, "attendance/export.html", {"form": form})
            if kind == "csv":
                response = HttpResponse(export.to_csv(data), content_type="text/csv; charset=utf-8")
            else:
                response = HttpResponse(export.to_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = f'attachment; filename="{export.filename(year, month, kind)}"'
            return response
    else:
        last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
        form = ExportForm(initial={"month": last_month.strftime("%Y-%m"), "format": "xlsx"})
    return render(request, "attendance/export.html", {"form": form})


@requires("attendance.import")
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.import_punches(upload.read(), actor=request.user, filename=upload.name)
        except services.ImportRejected as rejected:
            problems = rejected.problems
            form.add_error("file", rejected.message)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("%(added)d punches added, %(skipped)d already known.") % {"added": result.added, "skipped": result.skipped})
            return redirect("attendance:import")
    return render(request, "attendance/import.html", {"form": form, "problems": problems})


@requires("attendance.settings")
def settings_edit(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=AttendanceSettings.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_attendance_settings(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Attendance settings saved."))
            return redirect("attendance:settings")
    return render(request, "attendance/settings.html", {"form": form})


# ---------------------------------------------------------------- monthly confirmation (考勤确认)

def _month_query(nav: MonthNav) -> str:
    return f"?month={nav}"


@requires("attendance.confirm")
def confirm(request: HttpRequest) -> HttpResponse:
    """The employee's month to confirm: the grid, the totals, leave, overtime, rewards and penalties."""
    me = permissions.employee_of(request.user)
    nav = MonthNav.from_request(request)
    days, totals = selectors.month_days_for(me, nav.year, nav.month)
    rewards, penalties = money_totals([me.pk], nav.first, nav.last).get(me.pk, (0, 0))
    overtime = overtime_rules.checked(overtime_rules.approved([me.pk], nav.first, nav.last))
    return render(request, "attendance/confirm.html", {
        "nav": nav, "days": days, "totals": totals, "rewards": rewards, "penalties": penalties, "overtime": overtime,
        "close": confirmation.close_for(nav.year, nav.month), "mine": confirmation.my_confirmation(me, nav.year, nav.month),
        "dispute_form": DisputeForm(),
    })


@require_POST
@requires("attendance.confirm")
def month_confirm(request: HttpRequest) -> HttpResponse:
    nav = MonthNav.from_request(request)
    try:
        confirmation.confirm_month(nav.year, nav.month, actor=request.user)
        messages.success(request, _("Thank you: your month is confirmed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("attendance:confirm") + _month_query(nav))


@require_POST
@requires("attendance.confirm")
def day_dispute(request: HttpRequest) -> HttpResponse:
    nav = MonthNav.from_request(request)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a day and give a reason."))
    else:
        try:
            confirmation.dispute_day(nav.year, nav.month, form.cleaned_data["date"], actor=request.user,
                                     reason=form.cleaned_data["reason"])
            messages.success(request, _("Your dispute was sent to your supervisor."))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(reverse("attendance:confirm") + _month_query(nav))


def confirmations(request: HttpRequest) -> HttpResponse:
    """HR: who has confirmed, remind, lock. A supervisor: the team's disputes to resolve."""
    if not (permissions.can(request.user, "attendance.close_month") or permissions.can(request.user, "attendance.resolve_dispute")):
        raise PermissionDenied
    nav = MonthNav.from_request(request)
    rows = confirmation.confirmations_for(request.user, nav.year, nav.month)
    people = people_page(request, rows, person="employee__")
    return render(request, "attendance/confirmations.html", {
        "nav": nav, "people": people, "counts": confirmation.status_counts(rows), "close": confirmation.close_for(nav.year, nav.month),
        "opens_on": confirmation.opens_on(nav.year, nav.month), "resolve_form": ResolveForm(), "punch_form": LockedPunchForm(),
        "is_hr": permissions.can(request.user, "attendance.close_month"),
    })


def _hr_month_action(request: HttpRequest, service, done: str) -> HttpResponse:
    nav = MonthNav.from_request(request)
    try:
        result = service(nav.year, nav.month, actor=request.user)
        messages.success(request, done % {"count": result} if "%(count)" in done else done)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(reverse("attendance:confirmations") + _month_query(nav))


@require_POST
@requires("attendance.close_month")
def confirmation_open(request: HttpRequest) -> HttpResponse:
    return _hr_month_action(request, confirmation.open_confirmation, _("The month is open for confirmation."))


@require_POST
@requires("attendance.close_month")
def confirmation_remind(request: HttpRequest) -> HttpResponse:
    return _hr_month_action(request, confirmation.remind_unconfirmed, _("%(count)s reminders sent."))


@require_POST
@requires("attendance.close_month")
def month_lock(request: HttpRequest) -> HttpResponse:
    return _hr_month_action(request, confirmation.lock_month, _("The month is locked."))


@require_POST
def dispute_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = get_for_action_or_404(request, DayDispute.objects.select_related("employee", "confirmation__close"),
                                    "attendance.resolve_dispute", pk=pk)
    month = dispute.confirmation.close.month
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the dispute is resolved and say how."))
    else:
        try:
            confirmation.resolve_dispute(dispute.pk, actor=request.user, resolution=form.cleaned_data["resolution"],
                                         note=form.cleaned_data["note"])
            messages.success(request, _("Dispute resolved."))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(reverse("attendance:confirmations") + f"?month={month:%Y-%m}")


@require_POST
@requires("attendance.close_month")
def locked_punch(request: HttpRequest) -> HttpResponse:
    """HR adds a missed punch to a locked month, with a reason (marked in the export)."""
    nav = MonthNav.from_request(request)
    form = LockedPunchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the employee, the date and time, and give a reason."))
    else:
        data = form.cleaned_data
        try:
            services.add_punch_to_locked_month(data["employee"].pk, data["date"], data["time"], actor=request.user,
                                               reason=data["reason"])
            messages.success(request, _("The punch was added and the change is marked in the export."))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(reverse("attendance:confirmations") + _month_query(nav))


# ---------------------------------------------------------------- the comp-time (调休) ledger

def comp_time(request: HttpRequest) -> HttpResponse:
    """An employee's comp-time balance and ledger: one's own, or (?employee=) someone one may see."""
    from django.core.paginator import Paginator
    from django.http import Http404

    from opsdept import pickers

    from . import comptime
    from .forms import CompTimeAdjustForm, CompTimePersonForm

    me = permissions.employee_of(request.user)
    require_action(request, "comptime.view")
    employee = me
    wanted = request.GET.get("employee", "")  # a link from a leave request: the person's id
    if wanted:
        if not bounds.ascii_digits(wanted):
            raise Http404
        employee = permissions.get_visible_or_404(request.user, Employee.objects.all(), "pk", pk=int(wanted))
    # Whose ledger: the picker (a search box beyond 50 people; a list of everyone with their balance was most of the page).
    chooser = None
    if permissions.can(request.user, "people.view"):
        chooser = CompTimePersonForm(request.GET if "who" in request.GET else None, initial={"who": employee},
                                     people=pickers.people_for("attendance-comp-time", request.user))
        if chooser.is_bound and chooser.is_valid() and chooser.cleaned_data["who"] is not None:
            employee = chooser.cleaned_data["who"]
    require_action(request, "comptime.view", employee)
    page = Paginator(comptime.ledger_for(employee), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    ledger = comptime.ledger_of(employee)
    return render(request, "attendance/comp_time.html", {
        "employee": employee, "balance": ledger.balance(today), "page": page,
        "expiring": ledger.expiring(today), "expired": ledger.expired_before(today),
        "expiry_months": AttendanceSettings.current().comp_time_expiry_months,
        "chooser": chooser, "query": f"employee={employee.pk}" if employee != me else "",
        "may_adjust": permissions.can(request.user, "comptime.adjust", employee),
        "form": CompTimeAdjustForm(), "hours_per_day": comptime.hours_per_workday(),
    })


@require_POST
def comp_time_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    from . import comptime
    from .forms import CompTimeAdjustForm

    employee = permissions.get_visible_or_404(request.user, Employee.objects.all(), "pk", pk=pk)
    require_action(request, "comptime.adjust", employee)
    form = CompTimeAdjustForm(request.POST)
    if form.is_valid():
        try:
            comptime.adjust_comp_time(employee.pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The comp-time balance is adjusted."))
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('attendance:comp_time')}?employee={employee.pk}")
