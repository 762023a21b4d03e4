"""attendance: the nightly check (policy 二、3 考勤管理: 迟到、早退、旷工 are punished)."""

from datetime import date

from django.utils.translation import gettext as _

from discipline.services import raise_flag
from opsdept import nightly

from .models import AttendanceDay, DayStatus
from .services import refresh_attendance_days


@nightly.register("attendance.lateness")
def check(day: date) -> int:
    """Refresh `day`'s attendance days, then flag each late arrival, early leave, missing punch and absence once."""
    refresh_attendance_days(employee_ids=None, start=day, end=day)
    raised = 0
    for row in AttendanceDay.objects.filter(date=day).select_related("employee").order_by("employee_id"):
        findings = []
        if row.late_minutes:
            findings.append(("late", _("Late by %(minutes)d minutes.") % {"minutes": row.late_minutes}))
        if row.early_minutes:
            findings.append(("early-leave", _("Left %(minutes)d minutes early.") % {"minutes": row.early_minutes}))
        if row.status == DayStatus.MISSING:
            findings.append(("missing-punch", _("Only one punch on this workday.")))
        if row.status == DayStatus.ABSENT:
            findings.append(("absent", _("No punch and no approved leave on this workday.")))
        for code, details in findings:
            _flag, created = raise_flag(row.employee, day=day, rule_code=code, details=details, source="attendance.lateness")
            raised += int(created)
    return raised
