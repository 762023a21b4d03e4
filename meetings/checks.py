"""meetings: the nightly checks (registered in opsdept.registries.nightly_checks).

    meetings.absence  → rule `meeting-absent`   (例会不能无故请假、迟到、缺勤)
        closes the roll of each meeting held that day (absent / excused by leave are written),
        then flags everyone absent, and everyone late without an acknowledged explanation.
    meetings.minutes  → rule `minutes-missing`  (会议须准确做好会议记录)
        a meeting held that day without published minutes by the day's end flags the clerk who drafted
        them, else the clerks of the meeting's department (else every clerk).

Both look at one finished local date and raise through `discipline.services.raise_flags` in one batch
(unique per employee, date and rule), so a rerun adds nothing; a constant number of queries per meeting.
"""

from datetime import date

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from discipline.services import Finding, raise_flags
from opsdept.models import Department, Employee
from opsdept.notify import department_language
from opsdept.registries import CheckResult

from . import services
from .models import AttendanceStatus, Meeting, MeetingAttendance, Minutes

MEETING_ABSENT = "meeting-absent"
MINUTES_MISSING = "minutes-missing"


def _held_on(day: date) -> list[Meeting]:
    return list(Meeting.objects.filter(date=day, status=Meeting.Status.SCHEDULED).order_by("starts_at"))


def absence(day: date) -> int:
    """Close the roll of each meeting held on `day`, then flag the absent and the unexplained late (one batch)."""
    meetings = _held_on(day)
    for meeting in meetings:
        services.close_roll(meeting.pk)
    records = (
        MeetingAttendance.objects.filter(meeting__in=meetings).select_related("employee", "meeting")
        .filter(status__in=[AttendanceStatus.ABSENT, AttendanceStatus.LATE]).order_by("meeting__starts_at", "employee_id")
    )
    findings = []
    with department_language():
        for record in records:
            if record.status == AttendanceStatus.LATE and record.is_acknowledged:
                continue
            if record.status == AttendanceStatus.ABSENT:
                details = _("Absent from %(meeting)s without leave.") % {"meeting": record.meeting}
            else:
                details = _("Late to %(meeting)s without an acknowledged explanation.") % {"meeting": record.meeting}
            findings.append(Finding(record.employee, day, MEETING_ABSENT, details, "meetings.absence"))
    raised = raise_flags(findings)
    return CheckResult(len(raised), findings=raised.findings)


def _responsible_clerks(meeting: Meeting, clerks: list[Employee], parents: dict[int, int | None]) -> list[Employee]:
    """Who answers for a meeting's minutes: the clerk who drafted them; else the clerks of the meeting's
    department (its sub-departments included); else, when that department has none, every clerk."""
    drafted_by = getattr(getattr(meeting, "minutes", None), "updated_by_id", None)
    drafter = [clerk for clerk in clerks if clerk.pk == drafted_by]
    if drafter:
        return drafter

    def within(department_id: int | None) -> bool:
        seen = set()
        while department_id is not None and department_id not in seen:
            if department_id == meeting.department_id:
                return True
            seen.add(department_id)
            department_id = parents.get(department_id)
        return False

    return [clerk for clerk in clerks if within(clerk.department_id)] or clerks


def minutes(day: date) -> int:
    """Flag the clerks who answer for a meeting held on `day` that has no published minutes."""
    published = Minutes.objects.filter(meeting=OuterRef("pk"), status=Minutes.Status.PUBLISHED)
    missing = list(Meeting.objects.filter(date=day, status=Meeting.Status.SCHEDULED)
                   .exclude(Exists(published)).select_related("minutes").order_by("starts_at"))
    if not missing:
        return CheckResult(0, findings=0)
    clerks = list(Employee.objects.filter(is_meeting_clerk=True, is_active=True).order_by("pk"))
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    owed: dict[Employee, list[Meeting]] = {}
    for meeting in missing:
        for clerk in _responsible_clerks(meeting, clerks, parents):
            owed.setdefault(clerk, []).append(meeting)
    findings = []
    with department_language():
        for clerk, meetings in owed.items():
            details = _("No published minutes for %(meetings)s.") % {"meetings": "；".join(str(m) for m in meetings)}
            findings.append(Finding(clerk, day, MINUTES_MISSING, details, "meetings.minutes"))
    raised = raise_flags(findings)
    return CheckResult(len(raised), findings=raised.findings)
