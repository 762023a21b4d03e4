"""The department's state changes: people, the schedule, the calendar."""

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, outbox, permissions, registries, workcalendar
from .errors import DomainError
from .models import CalendarOverride, CalendarYear, Employee, Notification, WorkSchedule

EMPLOYEE_FIELDS = [
    "employee_no", "name", "department", "title", "supervisor", "role", "is_meeting_clerk",
    "phone", "email", "hire_date", "work_start_date", "leave_date", "is_active",
]
# One's own role and reporting line are changed by someone else (see _check_reporting_line).
REPORTING_FIELDS = {"role", "supervisor"}
SCHEDULE_FIELDS = ["start_time", "end_time", "lunch_start", "lunch_end", "grace_minutes", "go_live_date"]


class PeopleError(DomainError):
    pass


def _end_sessions(user: AbstractBaseUser) -> int:
    """Delete the open login sessions of `user`; return how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _check_reporting_line(actor: AbstractBaseUser, employee: Employee | None, changed: dict[str, Any]) -> None:
    """Refuse a change of role or supervisor that the actor would make in their own favour.

    Nobody changes their own role or reporting line (the manager does it for HR staff,
    HR for the manager), and nobody but the manager makes themselves someone's
    supervisor: otherwise HR could promote themselves, or approve a chosen person's leave.
    """
    me = permissions.employee_of(actor)
    if employee is not None and me is not None and employee.pk == me.pk:
        raise PeopleError(_("You cannot change your own role or reporting line: the manager does it for HR staff, "
                            "HR for the manager."), field="role" if "role" in changed else "supervisor")
    supervisor = changed.get("supervisor")
    if me is not None and supervisor is not None and supervisor.pk == me.pk and not me.is_manager:
        raise PeopleError(_("You cannot make yourself someone's supervisor: ask the manager."), field="supervisor")
    if employee is not None:
        permissions.require(actor, "people.reassign", employee)


@transaction.atomic
def create_employee(*, actor: AbstractBaseUser, username: str, password: str, **fields: Any) -> Employee:
    """Create a login and its employee record."""
    permissions.require(actor, "people.manage")
    _check_reporting_line(actor, None, {name: fields[name] for name in REPORTING_FIELDS if fields.get(name)})
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise PeopleError(_("That username is taken."), field="username")
    user = User(username=username, email=fields.get("email", ""))
    try:
        # The same rules as the sign-up of any Django site: letters, digits and @.+-_ only.
        User._meta.get_field("username").run_validators(username)
    except ValidationError as error:
        raise PeopleError(" ".join(error.messages), field="username") from error
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise PeopleError(" ".join(error.messages), field="password") from error
    user.set_password(password)
    user.save()
    employee = Employee(user=user)
    audit.update_audited(employee, actor=actor, action=audit.Action.EMPLOYEE_CREATED, fields=EMPLOYEE_FIELDS, values=fields)
    return employee


@transaction.atomic
def update_employee(employee_id: int, *, actor: AbstractBaseUser, **fields: Any) -> Employee:
    """Change an employee's record; the audit keeps before and after.

    HR changes any field; the manager only the role and supervisor of HR staff.
    """
    if set(fields) - REPORTING_FIELDS:
        permissions.require(actor, "people.manage")
    employee = Employee.objects.select_for_update().get(pk=employee_id)
    reporting = {name: fields[name] for name in REPORTING_FIELDS & set(fields)
                 if getattr(employee, name) != fields[name]}
    if reporting:
        _check_reporting_line(actor, employee, reporting)
    elif not set(fields) - REPORTING_FIELDS:
        permissions.require(actor, "people.reassign", employee)
    changes = audit.update_audited(employee, actor=actor, action=audit.Action.EMPLOYEE_UPDATED, fields=EMPLOYEE_FIELDS, values=fields)
    if "is_active" in changes:
        _apply_activity(employee)
    return employee


def _apply_activity(employee: Employee) -> None:
    user = employee.user
    user.is_active = employee.is_active
    user.save(update_fields=["is_active"])
    if not employee.is_active:
        _end_sessions(user)


@transaction.atomic
def deactivate_employee(employee_id: int, *, actor: AbstractBaseUser, reason: str = "") -> Employee:
    """Block the employee's login and end their sessions; their history stays."""
    permissions.require(actor, "people.manage")
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee_id)
    if employee.user_id == actor.pk:
        raise PeopleError(_("You cannot deactivate yourself."))
    if not employee.is_active:
        raise PeopleError(_("This employee is already inactive."))
    if employee.reports.filter(is_active=True).exists():
        raise PeopleError(_("Move this employee's reports to another supervisor first."))
    employee.is_active = False
    employee.save(update_fields=["is_active"])
    _apply_activity(employee)
    audit.record(actor, audit.Action.EMPLOYEE_DEACTIVATED, employee, changes={"is_active": [True, False]}, note=reason)
    return employee


@transaction.atomic
def reactivate_employee(employee_id: int, *, actor: AbstractBaseUser) -> Employee:
    permissions.require(actor, "people.manage")
    employee = Employee.objects.select_for_update().select_related("user").get(pk=employee_id)
    if employee.is_active:
        raise PeopleError(_("This employee is already active."))
    employee.is_active = True
    employee.save(update_fields=["is_active"])
    _apply_activity(employee)
    audit.record(actor, audit.Action.EMPLOYEE_REACTIVATED, employee, changes={"is_active": [False, True]})
    return employee


@transaction.atomic
def update_schedule(*, actor: AbstractBaseUser, **fields: Any) -> WorkSchedule:
    """Change the working hours (HR)."""
    permissions.require(actor, "calendar.manage")
    schedule = WorkSchedule.objects.select_for_update().get(pk=WorkSchedule.current().pk)
    audit.update_audited(schedule, actor=actor, action=audit.Action.SCHEDULE_UPDATED, fields=SCHEDULE_FIELDS, values=fields)
    return schedule


@transaction.atomic
def set_calendar_override(day: date, *, actor: AbstractBaseUser, kind: str, note: str = "") -> CalendarOverride:
    """Declare `day` a holiday or a workday, above what chinese-calendar says."""
    permissions.require(actor, "calendar.manage")
    if kind not in CalendarOverride.Kind.values:
        raise PeopleError(_("Choose holiday or workday."), field="kind")
    override = CalendarOverride.objects.select_for_update().filter(date=day).first() or CalendarOverride(date=day, created_by=permissions.employee_of(actor))
    audit.update_audited(override, actor=actor, action=audit.Action.CALENDAR_OVERRIDE_SET, fields=["kind", "note"],
                         values={"kind": kind, "note": note}, validate=False)
    for hook in registries.calendar_changed_hooks:
        hook(day, actor)
    return override


@transaction.atomic
def remove_calendar_override(day: date, *, actor: AbstractBaseUser) -> None:
    """Go back to what chinese-calendar says for `day`."""
    permissions.require(actor, "calendar.manage")
    override = CalendarOverride.objects.select_for_update().filter(date=day).first()
    if override is None:
        raise PeopleError(_("There is no override for that date."))
    audit.record(actor, audit.Action.CALENDAR_OVERRIDE_REMOVED, override, changes={"kind": [override.kind, None], "note": [override.note, None]})
    override.delete()
    for hook in registries.calendar_changed_hooks:
        hook(day, actor)


@transaction.atomic
def confirm_calendar_year(year: int, *, actor: AbstractBaseUser) -> CalendarYear:
    """HR confirms that `year`'s holidays and make-up workdays are entered; its held nights run after commit.

    Only for a year the calendar package does not know: until it is confirmed its nights wait
    ("waiting for the calendar") instead of being checked against a Monday-to-Friday guess.
    """
    permissions.require(actor, "calendar.manage")
    today = timezone.localdate()
    if not (today.year - 5 <= year <= today.year + 1):
        raise PeopleError(_("Confirm a year from %(first)d to %(last)d.") % {"first": today.year - 5, "last": today.year + 1},
                          field="year")
    if workcalendar.package_knows(date(year, 7, 1)):
        raise PeopleError(_("The official schedule for %(year)d is already known; there is nothing to confirm.")
                          % {"year": year}, field="year")
    confirmed, created = CalendarYear.objects.select_for_update().get_or_create(year=year, defaults={"confirmed_by": permissions.employee_of(actor)})
    if not created:
        raise PeopleError(_("%(year)d has already been confirmed.") % {"year": year}, field="year")
    overrides = CalendarOverride.objects.filter(date__year=year).count()
    audit.record(actor, audit.Action.CALENDAR_YEAR_CONFIRMED, confirmed, changes={"year": year, "overrides": overrides})
    # The catch-up runs the held nights; through the outbox, so a dead broker now only delays it.
    outbox.add_task("opsdept.tasks.run_nightly_checks")
    return confirmed


@transaction.atomic
def mark_notifications_read(*, actor: AbstractBaseUser, notification_id: int | None = None) -> int:
    """Mark one of the actor's notifications (or all of them) as read; return how many."""
    me = permissions.employee_of(actor)
    if me is None:
        return 0
    unread = Notification.objects.filter(recipient=me, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
