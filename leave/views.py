"""leave: thin views — look up through the permission module, parse a form, call one service, redirect."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance.comptime import available_on, comp_time_balance
from opsdept import permissions, pickers, workcalendar
from opsdept.errors import DomainError
from opsdept.models import Employee, RequestStatus
from opsdept.web import MonthNav, apply_domain_error, get_for_action_or_404, people_page, require_action, requires, year_from_request

from . import balance, selectors, services
from .filters import MyLeaveFilter, MyTripFilter, PendingLeaveFilter
from .forms import (AdjustmentForm, BusinessTripForm, CancelForm, DecisionForm, EmergencyLeaveForm, EndEarlyForm, LeaveRequestForm,
                    LeaveTypeForm, SettingsForm, WrittenSlipForm)
from .models import LeaveAttachment, LeaveRequest, LeaveSettings, LeaveType


def me_or_404(request: HttpRequest) -> Employee:
    me = permissions.employee_of(request.user)
    if me is None:
        raise Http404
    return me


def visible_request_or_404(request: HttpRequest, pk: int, action: str | None = None) -> LeaveRequest:
    """The request if the user may see it (its line, or the deputy / escalation target it went to), else 404;
    403 if they see it but may not do `action`."""
    leave = get_object_or_404(LeaveRequest.objects.select_related(
        "employee", "employee__department", "leave_type", "decided_by", "decided_for", "escalated_to"), pk=pk)
    if not permissions.can(request.user, "leave.view", leave):
        raise Http404
    if action is not None:
        require_action(request, action, leave)
    return leave


# ---------------------------------------------------------------- the employee

def my_requests(request: HttpRequest) -> HttpResponse:
    me = me_or_404(request)
    year = timezone.localdate().year
    found = MyLeaveFilter(request.GET or None, queryset=selectors.requests_of(me))
    return render(request, "leave/my_requests.html", {
        "requests": found.qs[:200],
        "filter": found,
        "balance": balance.balance_for(me, year),
    })


def request_new(request: HttpRequest) -> HttpResponse:
    me = me_or_404(request)
    require_action(request, "leave.file")
    # 请假需提前至少一天: the form opens on the next workday, never on a weekend or holiday.
    first_day = workcalendar.next_workday(timezone.localdate())
    form = LeaveRequestForm(request.POST or None, request.FILES or None,
                            initial={"start_date": first_day, "end_date": first_day})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.file_leave_request(
                me.pk, actor=request.user, leave_type=data["leave_type"], start_date=data["start_date"],
                start_half=data["start_half"], end_date=data["end_date"], end_half=data["end_half"],
                reason=data["reason"], attachments=data["attachment"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your request was sent to your supervisor."))
            return redirect("leave:detail", pk=leave.pk)
    return render(request, "leave/request_form.html", {
        "form": form, "balance": balance.balance_for(me, timezone.localdate().year),
        "settings": LeaveSettings.current(), "comp_time_balance": comp_time_balance(me),
    })


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    leave = visible_request_or_404(request, pk)
    comp_time = None
    if leave.leave_type.code == services.COMP_TIME_CODE:
        # The approver sees what the 调休 takes beside what the requester has (never below zero).
        comp_time = {"balance": comp_time_balance(leave.employee), "needed": services.comp_time_hours(leave.days),
                     "available": available_on(leave.employee, leave.start_date)}
    deciding = leave.status == LeaveRequest.Status.PENDING and permissions.can(request.user, "leave.decide", leave)
    return render(request, "leave/detail.html", {
        "comp_time": comp_time,
        "leave": leave,
        "context": selectors.approval_context(leave, permissions.employee_of(request.user)) if deciding else None,
        "attachments": list(leave.attachments.all()),
        "decision_form": DecisionForm(),
        "cancel_form": CancelForm(),
        "end_early_form": EndEarlyForm(initial={"end_date": max(timezone.localdate(), leave.start_date)}),
        "slip_form": WrittenSlipForm(),
        "today": timezone.localdate(),
    })


def slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable leave slip (请假条): valid only once the superior has approved it (请假条必须有上级签字方可生效)."""
    leave = visible_request_or_404(request, pk)
    if leave.status != LeaveRequest.Status.APPROVED:
        raise Http404
    return render(request, "leave/slip.html", {"leave": leave, "printed_at": timezone.localtime()})


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment only to those who may see its request (never a public /media URL)."""
    item = get_for_action_or_404(request, LeaveAttachment.objects.select_related("request__employee"),
                                 employee_field="request__employee", pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=item.content_type, as_attachment=item.content_type == "application/pdf",
                            filename=item.original_name)
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'"
    return response


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    leave = visible_request_or_404(request, pk, "leave.cancel")
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.cancel_leave_request(leave.pk, actor=request.user, note=form.cleaned_data.get("note", ""))
        messages.success(request, _("The request was cancelled."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("leave:detail", pk=pk)


@require_POST
def written_slip(request: HttpRequest, pk: int) -> HttpResponse:
    leave = visible_request_or_404(request, pk, "leave.hand_in_slip")
    form = WrittenSlipForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.hand_in_written_slip(leave.pk, actor=request.user, reason=form.cleaned_data["reason"],
                                          attachments=form.cleaned_data["attachment"])
            messages.success(request, _("Your written request was handed in."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give the reason for your leave."))
    return redirect("leave:detail", pk=pk)


# ---------------------------------------------------------------- the supervisor

def pending(request: HttpRequest) -> HttpResponse:
    me = me_or_404(request)
    require_action(request, "leave.decide")
    found = PendingLeaveFilter(request.GET or None, queryset=selectors.pending_requests_for(me))
    people = people_page(request, found.qs, search=False)
    return render(request, "leave/pending.html", {"requests": people.rows, "filter": found, "people": people,
                                                  "decision_form": DecisionForm()})


def _decide(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    """Approve or reject: from the request's page (redirect back to it) or, with htmx, from a row of the
    approval list (the row answers in place, decided or with the reason it was not)."""
    leave = visible_request_or_404(request, pk, "leave.decide")
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    error_message, done = "", ""
    try:
        if approve:
            services.approve_leave_request(leave.pk, actor=request.user, note=note)
            done = _("Leave approved.")
        else:
            services.reject_leave_request(leave.pk, actor=request.user, note=note)
            done = _("Leave rejected.")
    except DomainError as error:
        error_message = error.message
    if request.htmx:
        return render(request, "leave/_pending_row.html", {
            "leave": visible_request_or_404(request, pk), "done": done, "error": error_message, "note": note,
        })
    if error_message:
        messages.error(request, error_message)
    else:
        messages.success(request, done)
    return redirect("leave:detail", pk=pk)


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)


@require_POST
def end_early(request: HttpRequest, pk: int) -> HttpResponse:
    leave = visible_request_or_404(request, pk, "leave.end_early")
    form = EndEarlyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.end_leave_early(leave.pk, actor=request.user, end_date=data["end_date"],
                                     end_half=data["end_half"], note=data["note"])
            messages.success(request, _("The leave now ends earlier."))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Give the new last day and a reason."))
    return redirect("leave:detail", pk=pk)


@requires("leave.record_emergency")
def emergency_new(request: HttpRequest) -> HttpResponse:
    me = me_or_404(request)
    employees = pickers.people_for("leave-emergency", request.user)  # the service checks each one again
    today = timezone.localdate()
    form = EmergencyLeaveForm(request.POST or None, employees=employees,
                              initial={"start_date": today, "end_date": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.record_emergency_leave(
                data["employee"].pk, actor=request.user, leave_type=data["leave_type"], start_date=data["start_date"],
                start_half=data["start_half"], end_date=data["end_date"], end_half=data["end_half"],
                granted_via=data["granted_via"], note=data["note"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Emergency leave recorded. The employee was told to hand in the written request."))
            return redirect("leave:detail", pk=leave.pk)
    return render(request, "leave/emergency_form.html", {"form": form, "settings": LeaveSettings.current()})


@requires("leave.team_calendar")
def team_calendar(request: HttpRequest) -> HttpResponse:
    nav = MonthNav.from_request(request)
    people = people_page(request, selectors.team_away_queryset(request.user, nav.year, nav.month))
    days, rows = selectors.team_month(request.user, nav.year, nav.month, people.rows)
    return render(request, "leave/team_calendar.html", {
        "first": nav.first, "days": days, "rows": rows, "previous": nav.previous_first, "following": nav.following_first,
        "people": people,
    })


# ---------------------------------------------------------------- HR

@requires("leave.view_balances")
def balances(request: HttpRequest) -> HttpResponse:
    year = year_from_request(request)
    people = people_page(request, Employee.objects.filter(is_active=True).select_related("department").order_by("employee_no"))
    employees = people.rows
    found = balance.balances_for(employees, year)
    return render(request, "leave/balances.html", {
        "year": year, "rows": [(employee, found[employee.pk]) for employee in employees], "people": people,
    })


@requires("leave.manage")
def balance_adjust(request: HttpRequest, employee_pk: int) -> HttpResponse:
    employee = get_object_or_404(Employee, pk=employee_pk)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adjust_annual_leave(employee.pk, actor=request.user, year=data["year"], days=data["days"],
                                         reason=data["reason"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The balance of %(name)s was adjusted.") % {"name": employee.name})
            return redirect(f"{reverse('leave:balances')}?year={data['year']}")
    year = timezone.localdate().year
    return render(request, "leave/balance_adjust.html", {
        "form": form, "employee": employee, "balance": balance.balance_for(employee, year),
        "adjustments": employee.annual_leave_adjustments.select_related("created_by")[:50],
    })


@requires("leave.manage")
def types(request: HttpRequest) -> HttpResponse:
    current = LeaveSettings.current()
    settings_form = SettingsForm(initial={"emergency_slip_workdays": current.emergency_slip_workdays,
                                          "max_attachment_mb": current.max_attachment_mb})
    return render(request, "leave/types.html", {"types": LeaveType.objects.all(), "settings_form": settings_form})


@requires("leave.manage")
def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(LeaveType, pk=pk) if pk is not None else None
    form = LeaveTypeForm(request.POST or None, instance=instance)
    if instance is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.save_leave_type(pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Leave type saved."))
            return redirect("leave:types")
    return render(request, "leave/type_form.html", {"form": form, "leave_type": instance})


@require_POST
@requires("leave.manage")
def settings_save(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST)
    if form.is_valid():
        services.update_leave_settings(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Settings saved."))
    else:  # the field's own message: a range, or full-width digits
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("leave:types")


# ---------------------------------------------------------------- business trips (外出 / 出差)

def trips(request: HttpRequest) -> HttpResponse:
    """My business trips and the form to ask for one; a supervisor also sees the team's trips to decide."""
    me = me_or_404(request)
    require_action(request, "leave.file")
    tomorrow = workcalendar.next_workday(timezone.localdate())
    form = BusinessTripForm(request.POST or None, initial={"start_date": tomorrow, "end_date": tomorrow})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.file_business_trip(
                me.pk, actor=request.user, kind=data["kind"], start_date=data["start_date"], start_half=data["start_half"],
                end_date=data["end_date"], end_half=data["end_half"], destination=data["destination"], reason=data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your request was sent to your supervisor."))
            return redirect("leave:trips")
    found = MyTripFilter(request.GET or None, queryset=selectors.trips_of(me))
    return render(request, "leave/trips.html", {
        "form": form, "trips": found.qs[:200], "filter": found,
        "to_decide": selectors.pending_trips_for(me),
        "decision_form": DecisionForm(),
    })


def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One business trip; to its decider while pending, with who else is away and the requester's month."""
    trip = get_for_action_or_404(request, selectors.visible_trips(request.user), pk=pk)
    deciding = trip.status == RequestStatus.PENDING and permissions.can(request.user, "leave.decide", trip)
    return render(request, "leave/trip_detail.html", {
        "trip": trip, "deciding": deciding,
        "context": selectors.approval_context(trip, permissions.employee_of(request.user)) if deciding else None,
    })


def _decide_trip(request: HttpRequest, pk: int, approve: bool) -> HttpResponse:
    """Approve or reject a trip: with htmx from its row of the list (the row answers in place), else redirect."""
    trip = get_for_action_or_404(request, selectors.visible_trips(request.user), "leave.decide", pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    error_message, done = "", ""
    try:
        services.decide_business_trip(trip.pk, actor=request.user, approve=approve, note=note)
        done = _("Business trip approved.") if approve else _("Business trip rejected.")
    except DomainError as error:
        error_message = error.message
    if request.htmx:
        return render(request, "leave/_trip_row.html", {
            "trip": selectors.visible_trips(request.user).get(pk=trip.pk), "done": done, "error": error_message, "note": note})
    if error_message:
        messages.error(request, error_message)
    else:
        messages.success(request, done)
    return redirect("leave:trips")


@require_POST
def trip_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_trip(request, pk, approve=True)


@require_POST
def trip_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_trip(request, pk, approve=False)


@require_POST
def trip_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    trip = get_for_action_or_404(request, selectors.visible_trips(request.user), "leave.cancel", pk=pk)
    try:
        services.cancel_business_trip(trip.pk, actor=request.user)
        messages.success(request, _("Request withdrawn."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("leave:trips")
