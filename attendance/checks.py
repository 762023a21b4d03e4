"""attendance: the nightly check (policy 二、3 考勤管理: 迟到、早退、旷工 are punished)."""

from datetime import date

from discipline.services import raise_flag
from opsdept import nightly
from opsdept.registries import CheckResult

from .models import AttendanceDay
from .services import refresh_attendance_days


@nightly.register("attendance.lateness")
def flag_late_early_missing_and_absent(day: date) -> int:
    """Refresh `day`'s attendance days, then flag each late arrival, early leave, missing punch and absence once."""
    refresh_attendance_days(employee_ids=None, start=day, end=day)
    raised = found = 0
    for row in AttendanceDay.objects.filter(date=day).select_related("employee").order_by("employee_id"):
        for code, details in row.findings().items():
            _flag, created = raise_flag(row.employee, day=day, rule_code=code, details=details, source="attendance.lateness")
            raised += int(created)
            found += 1
    return CheckResult(raised, findings=found)


@nightly.register("attendance.unrequested_overtime")
def unrequested_overtime(day: date) -> int:
    """Flag punched overtime on `day` that no approved request covers (第五条 3: 不得私自加班，加班需经上级主管批准)."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.translation import gettext as _

    from opsdept import employment
    from opsdept.models import Employee

    from .overtime import unrequested

    found = unrequested(None, day, day)
    if not found:
        return 0
    spans = employment.spans([pk for pk, _day in found], day, day)
    employees = Employee.objects.in_bulk([pk for pk in spans])
    raised = 0
    for (employee_id, _day), minutes in sorted(found.items()):
        if employee_id not in spans or not employment.is_tracked(day, spans[employee_id]):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            details = _("%(minutes)d minutes punched outside working hours without approved overtime.") % {"minutes": minutes}
        _flag, created = raise_flag(employees[employee_id], day=day, rule_code="unapproved-overtime", details=details,
                                    source="attendance.unrequested_overtime")
        raised += int(created)
    return raised


@nightly.register("attendance.comp_time")
def comp_time_for_rest_day_overtime(day: date) -> int:
    """Credit the comp-time ledger for rest-day overtime taken as comp time that ended by `day` (raises no flag).

    The punches and corrections credit it as they come; the night makes sure nothing was missed.
    """
    from .comptime import sync_overtime_between

    sync_overtime_between(None, day, day, actor=None)
    return 0
