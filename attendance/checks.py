"""attendance: the nightly checks (policy 二、3 考勤管理: 迟到、早退、旷工 are punished; 第五条 3: 不得私自加班).

Both are set-based: a constant number of queries whatever the number of employees or flags,
then one batch for `discipline.services.raise_flags`. Given `employee_ids` (a chunk of the
department, see `opsdept.nightly`), they look at those employees only.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from discipline.services import Finding, flag_facts, raise_flags
from opsdept import employment, nightly
from opsdept.facts import department_facts, of_chunk, rows, settings_row
from opsdept.models import Employee
from opsdept.registries import CheckResult

from .models import AttendanceDay, AttendanceSettings, DayStatus, Overtime, Punch, day_findings
from .overtime import unrequested
from .selectors import cover_facts
from .services import refresh_attendance_days


def day_facts(day: date, employee_ids: list[int]) -> list[object]:
    """What judging these employees' `day` reads (opsdept.facts): the people, schedule and calendar, their punches,
    what the day providers cover (leave, business trips, duty), HR's attendance settings, and the rules flagged."""
    return [
        *department_facts(day, employee_ids),
        rows(Punch.objects.filter(of_chunk("employee_id", employee_ids), local_date=day)),
        cover_facts(employee_ids, day),
        settings_row(AttendanceSettings),
        *flag_facts(),
    ]


def overtime_facts(day: date, employee_ids: list[int]) -> list[object]:
    """`day_facts` and the overtime requests that may cover the evening (from the day before: overnight ones)."""
    return [*day_facts(day, employee_ids),
            rows(Overtime.objects.filter(of_chunk("employee_id", employee_ids), date__range=(day - timedelta(days=1), day)))]


@nightly.register("attendance.lateness", facts=day_facts)
def flag_late_early_missing_and_absent(day: date, employee_ids: list[int] | None = None) -> int:
    """Refresh `day`'s attendance days, then flag each late arrival, early leave, missing punch and absence once."""
    refresh_attendance_days(employee_ids=employee_ids, start=day, end=day)
    # Served by attendance_day_date (see its migration), not a whole scan of (employee, date).
    # Only the days that break a rule (what `AttendanceDay.findings` lists): a normal night loads a few.
    breaks = Q(late_minutes__gt=0) | Q(early_minutes__gt=0) | Q(status__in=(DayStatus.MISSING, DayStatus.ABSENT))
    rows = AttendanceDay.objects.filter(breaks, date=day).order_by("employee_id")
    if employee_ids is not None:
        rows = rows.filter(employee_id__any=set(employee_ids))
    rows = list(rows.values_list("employee_id", "late_minutes", "early_minutes", "status"))
    raised = raise_flags(
        Finding(employee_id, day, code, details, "attendance.lateness")
        for (employee_id, *_facts), found in zip(rows, day_findings([tuple(facts) for _pk, *facts in rows]))
        for code, details in found.items()
    )
    return CheckResult(len(raised), findings=raised.findings)


@nightly.register("attendance.unrequested_overtime", facts=overtime_facts)
def unrequested_overtime(day: date, employee_ids: list[int] | None = None) -> int:
    """Flag punched overtime on `day` that no approved request covers (第五条 3: 不得私自加班，加班需经上级主管批准)."""
    found = unrequested(employee_ids, day, day)
    if not found:
        return CheckResult(0, findings=0)
    spans = employment.spans([pk for pk, _day in found], day, day)
    employees = Employee.objects.in_bulk([pk for pk in spans])
    findings = []
    with translation.override(settings.LANGUAGE_CODE):
        for (employee_id, _day), minutes in sorted(found.items()):
            if employee_id not in spans or not employment.is_tracked(day, spans[employee_id]):
                continue
            details = _("%(minutes)d minutes punched outside working hours without approved overtime.") % {"minutes": minutes}
            findings.append(Finding(employees[employee_id], day, "unapproved-overtime", details,
                                    "attendance.unrequested_overtime"))
    raised = raise_flags(findings)
    return CheckResult(len(raised), findings=raised.findings)


@nightly.register("attendance.comp_time")
def comp_time_for_rest_day_overtime(day: date) -> int:
    """Credit the comp-time ledger for rest-day overtime taken as comp time that ended by `day` (raises no flag).

    The punches and corrections credit it as they come; the night makes sure nothing was missed.
    """
    from .comptime import sync_overtime_between

    sync_overtime_between(None, day, day, actor=None)
    return 0
