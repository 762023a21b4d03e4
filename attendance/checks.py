"""attendance: the nightly check (policy 二、3 考勤管理: 迟到、早退、旷工 are punished)."""

from datetime import date

from discipline.services import raise_flag
from opsdept import nightly

from .models import AttendanceDay
from .services import refresh_attendance_days


@nightly.register("attendance.lateness")
def flag_late_early_missing_and_absent(day: date) -> int:
    """Refresh `day`'s attendance days, then flag each late arrival, early leave, missing punch and absence once."""
    refresh_attendance_days(employee_ids=None, start=day, end=day)
    raised = 0
    for row in AttendanceDay.objects.filter(date=day).select_related("employee").order_by("employee_id"):
        for code, details in row.findings().items():
            _flag, created = raise_flag(row.employee, day=day, rule_code=code, details=details, source="attendance.lateness")
            raised += int(created)
    return raised
