"""meetings: the nightly checks (registered in opsdept.registries.nightly_checks).

    meetings.absence  → rule `meeting-absent`   (例会不能无故请假、迟到、缺勤)
        closes the roll of each meeting held that day (absent / excused by leave are written),
        then flags everyone absent, and everyone late without an acknowledged explanation.
    meetings.minutes  → rule `minutes-missing`  (会议须准确做好会议记录)
        a meeting held that day without published minutes by the day's end flags the clerk.

Both look at one finished local date and raise through `discipline.services.raise_flag`
(unique per employee, date and rule), so a rerun adds nothing.
"""

from datetime import date

from django.utils.translation import gettext as _

from discipline.services import raise_flag
from opsdept.models import Employee
from opsdept.notify import department_language

from . import services
from .models import AttendanceStatus, Meeting, MeetingAttendance, Minutes

MEETING_ABSENT = "meeting-absent"
MINUTES_MISSING = "minutes-missing"


def _held_on(day: date) -> list[Meeting]:
    return list(Meeting.objects.filter(date=day, status=Meeting.Status.SCHEDULED).order_by("starts_at"))


def absence(day: date) -> int:
    raised = 0
    for meeting in _held_on(day):
        services.close_roll(meeting.pk)
        records = (
            MeetingAttendance.objects.filter(meeting=meeting).select_related("employee")
            .filter(status__in=[AttendanceStatus.ABSENT, AttendanceStatus.LATE])
        )
        for record in records:
            if record.status == AttendanceStatus.LATE and record.is_acknowledged:
                continue
            with department_language():
                if record.status == AttendanceStatus.ABSENT:
                    details = _("Absent from %(meeting)s without leave.") % {"meeting": meeting}
                else:
                    details = _("Late to %(meeting)s without an acknowledged explanation.") % {"meeting": meeting}
            _flag, created = raise_flag(record.employee, day=day, rule_code=MEETING_ABSENT, source="meetings.absence",
                                        details=details)
            raised += created
    return raised


def minutes(day: date) -> int:
    raised = 0
    missing = [m for m in _held_on(day)
               if not Minutes.objects.filter(meeting=m, status=Minutes.Status.PUBLISHED).exists()]
    if not missing:
        return 0
    clerks = list(Employee.objects.filter(is_meeting_clerk=True, is_active=True))
    with department_language():
        details = _("No published minutes for %(meetings)s.") % {"meetings": "；".join(str(m) for m in missing)}
    for clerk in clerks:
        _flag, created = raise_flag(clerk, day=day, rule_code=MINUTES_MISSING, source="meetings.minutes", details=details)
        raised += created
    return raised
