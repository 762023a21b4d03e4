from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import audit_words, employment, nightly, permissions, registries, selectors, services, workcalendar
from .errors import DomainError
from .filters import AuditFilter, PeopleFilter
from .forms import (CalendarOverrideForm, ConfirmYearForm, EmployeeForm, NewEmployeeForm, ReasonForm,
                    ReportingLineForm, ScheduleForm)
from .models import Employee, Notification, WorkSchedule
from .web import MonthNav, apply_domain_error, get_for_action_or_404, people_page, require_action, requires


FIRST_DAY_GUIDE_DAYS = 14


def home(request: HttpRequest) -> HttpResponse:
    me = permissions.employee_of(request.user)
    context = {
        "today": timezone.localdate(),
        "today_info": workcalendar.day_info(timezone.localdate()),
        "team_size": permissions.active_team_size(request.user),
    }
    if me is not None:
        # The first-day guide opens for a newcomer, or for everyone in the fortnight after the go-live date.
        first = employment.first_tracked_day(me.hire_date, employment.go_live_date())
        context["first_day_open"] = first >= timezone.localdate() - timedelta(days=FIRST_DAY_GUIDE_DAYS)
    if me is not None and (me.is_hr or me.is_manager):
        context["calendar_warning"] = selectors.calendar_warning(timezone.localdate())
    # The chapters' cards (opsdept.registries.dashboard_cards), each with its own extra context.
    context["dashboard_cards"] = [
        {"template": card.template, "context": card.context(request) if card.context else {}}
        for card in registries.dashboard_cards
    ] if me is not None else []
    return render(request, "opsdept/home.html", context)


# ---------------------------------------------------------------- people

@requires("people.view")
def people_list(request: HttpRequest) -> HttpResponse:
    found = PeopleFilter(request.GET or None, queryset=permissions.visible_employees(request.user).order_by("department_id", "employee_no"))
    people = people_page(request, found.qs, search=False)
    return render(request, "opsdept/people_list.html", {"employees": people.rows, "filter": found, "people": people})


def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_for_action_or_404(request, Employee.objects.select_related("department", "supervisor", "user"),
                                     employee_field="pk", pk=pk)
    return render(request, "opsdept/employee_detail.html", {
        "employee": employee,
        "reports": employee.reports.filter(is_active=True),
        "reason_form": ReasonForm(),
    })


@requires("people.manage")
def employee_create(request: HttpRequest) -> HttpResponse:
    form = NewEmployeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        username, password = data.pop("username"), data.pop("password")
        try:
            employee = services.create_employee(actor=request.user, username=username, password=password, **data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Employee %(name)s created.") % {"name": employee.name})
            return redirect("employee_detail", pk=employee.pk)
    return render(request, "opsdept/employee_form.html", {"form": form, "title": _("New employee")})


def employee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """HR edits the whole record; the manager only HR staff's role and supervisor."""
    employee = get_object_or_404(Employee, pk=pk)
    if permissions.can(request.user, "people.manage"):
        form_class = EmployeeForm
    else:
        require_action(request, "people.reassign", employee)
        form_class = ReportingLineForm
    form = form_class(request.POST or None, instance=Employee.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employee(employee.pk, actor=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("employee_detail", pk=employee.pk)
    return render(request, "opsdept/employee_form.html", {"form": form, "title": _("Edit %(name)s") % {"name": employee.name}})


@require_POST
@requires("people.manage")
def employee_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_object_or_404(Employee, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():  # the audit trail says why someone lost their login
        messages.error(request, _("Give the reason for deactivating."))
        return redirect("employee_detail", pk=employee.pk)
    try:
        services.deactivate_employee(employee.pk, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s can no longer sign in. Their history stays.") % {"name": employee.name})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("employee_detail", pk=employee.pk)


@require_POST
@requires("people.manage")
def employee_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    employee = get_object_or_404(Employee, pk=pk)
    try:
        services.reactivate_employee(employee.pk, actor=request.user)
        messages.success(request, _("%(name)s can sign in again.") % {"name": employee.name})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("employee_detail", pk=employee.pk)


# ---------------------------------------------------------------- calendar and schedule

def calendar_month(request: HttpRequest) -> HttpResponse:
    nav = MonthNav.from_request(request)
    days = workcalendar.month_days(nav.year, nav.month)
    can_manage = permissions.can(request.user, "calendar.manage")
    return render(request, "opsdept/calendar.html", {
        "weeks": selectors.month_grid([{"date": day.date, "css": selectors.calendar_css(day), "kind": day.kind, "info": day}
                                       for day in days]),
        "month_start": nav.first,
        "previous": nav.previous,
        "following": nav.following,
        "fallback": any(day.source == workcalendar.Source.FALLBACK for day in days),
        "workday_count": sum(1 for day in days if day.is_workday),
        "can_manage": can_manage,
        "override_form": CalendarOverrideForm(initial={"date": nav.first}) if can_manage else None,
        "overrides": selectors.overrides_for_month(nav.year, nav.month) if can_manage else [],
        "schedule": WorkSchedule.current(),
        "unconfirmed_years": selectors.unconfirmed_years(timezone.localdate()) if can_manage else [],
    })


@require_POST
@requires("calendar.manage")
def calendar_override_set(request: HttpRequest) -> HttpResponse:
    form = CalendarOverrideForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            services.set_calendar_override(day, actor=request.user, kind=form.cleaned_data["kind"], note=form.cleaned_data["note"])
            messages.success(request, _("%(date)s saved.") % {"date": day.isoformat()})
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(f"{_calendar_url()}?month={day:%Y-%m}")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(_calendar_url())


@require_POST
@requires("calendar.manage")
def calendar_override_remove(request: HttpRequest, day: str) -> HttpResponse:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        messages.error(request, _("That is not a date."))
        return redirect(_calendar_url())
    try:
        services.remove_calendar_override(parsed, actor=request.user)
        messages.success(request, _("%(date)s follows the official calendar again.") % {"date": parsed.isoformat()})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{_calendar_url()}?month={parsed:%Y-%m}")


@require_POST
@requires("calendar.manage")
def calendar_year_confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmYearForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            services.confirm_calendar_year(year, actor=request.user)
            messages.success(request, _("The %(year)d holidays are confirmed; nights waiting for them run now.") % {"year": year})
        except DomainError as error:
            messages.error(request, error.message)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_calendar_url())


def _calendar_url() -> str:
    from django.urls import reverse

    return reverse("calendar")


@requires("calendar.manage")
def schedule_edit(request: HttpRequest) -> HttpResponse:
    form = ScheduleForm(request.POST or None, instance=WorkSchedule.current())
    if request.method == "POST" and form.is_valid():
        try:
            services.update_schedule(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Working hours saved."))
            return redirect("calendar")
    return render(request, "opsdept/schedule_form.html", {"form": form})


# ---------------------------------------------------------------- audit

@requires("audit.view")
def audit_list(request: HttpRequest) -> HttpResponse:
    found = AuditFilter(request.GET or None, queryset=selectors.audit_events())
    page = Paginator(found.qs, 50).get_page(request.GET.get("page"))
    return render(request, "opsdept/audit_list.html", {
        "filter": found, "page": page, "entries": audit_words.describe(list(page)), "query": found.query,
    })


# ---------------------------------------------------------------- the nightly run log

NIGHTS_SHOWN = 31


@requires("nightly.view")
def nightly_runs(request: HttpRequest) -> HttpResponse:
    end = timezone.localdate() - timedelta(days=1)
    return render(request, "opsdept/nightly_runs.html", {
        "nights": selectors.nights(end - timedelta(days=NIGHTS_SHOWN - 1), end),
        "unconfirmed_years": selectors.unconfirmed_years(timezone.localdate()),
        "night_starts": nightly.NIGHT_STARTS,
    })


# ---------------------------------------------------------------- notifications

def notification_list(request: HttpRequest) -> HttpResponse:
    me = permissions.employee_of(request.user)
    notifications = Notification.objects.filter(recipient=me) if me else Notification.objects.none()
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "opsdept/notification_list.html", {"page": page})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    me = permissions.employee_of(request.user)
    notification = get_object_or_404(Notification, pk=pk, recipient=me)
    services.mark_notifications_read(actor=request.user, notification_id=notification.pk)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("notification_list")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_notifications_read(actor=request.user)
    return redirect("notification_list")
