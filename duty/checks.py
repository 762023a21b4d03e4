"""duty: the nightly checks (节假日值班制度: 值班实行责任制).

    duty.missed     → rule `duty-missed`: a past published duty day on which nobody on it
                      punched (everyone on it is flagged), or whose person in charge wrote no
                      duty log by the end of the next workday (they are flagged, on the duty date).
    duty.comp_time  → no flag: credits comp time for the shifts worked on the date.

Both look at one finished local date and are safe to run twice (flags are unique per
employee, date and rule; comp-time lines per shift).
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from attendance.selectors import punches_by_day
from discipline.services import Finding, raise_flags
from opsdept import workcalendar
from opsdept.registries import CheckResult

from .models import DutyAssignment, DutyDay, DutyRoster
from .services import MAX_PERIOD_DAYS, credit_worked_duty

DUTY_MISSED = "duty-missed"


def _next_workday(day: date, infos: dict[date, bool]) -> date | None:
    current = day + timedelta(days=1)
    while current in infos:
        if infos[current]:
            return current
        current += timedelta(days=1)
    return None


def missed_duty(day: date) -> int:
    """Flag the people of a duty day with no punch, and the person in charge whose log is overdue (one batch)."""
    findings = []
    published = DutyDay.objects.filter(roster__status=DutyRoster.Status.PUBLISHED)
    today_days = list(published.filter(date=day))
    if today_days:
        assignments = list(DutyAssignment.objects.filter(shift__day__in=today_days, is_active=True).select_related("employee", "shift"))
        punches = punches_by_day({a.employee_id for a in assignments}, day, day)
        by_day: dict[int, list[DutyAssignment]] = {}
        for assignment in assignments:
            by_day.setdefault(assignment.shift.day_id, []).append(assignment)
        with translation.override(settings.LANGUAGE_CODE):
            details = _("Nobody on holiday duty on %(day)s clocked in.") % {"day": day.isoformat()}
        for people in by_day.values():
            if any(punches.get((a.employee_id, day)) for a in people):
                continue
            findings.extend(Finding(assignment.employee, day, DUTY_MISSED, details, "duty.missed") for assignment in people)
    # The log is due by the end of the next workday after the duty day: that workday is `day`.
    infos = {info.date: info.is_workday for info in workcalendar.days_between(day - timedelta(days=MAX_PERIOD_DAYS + 15), day)}
    candidates = published.filter(date__gte=day - timedelta(days=MAX_PERIOD_DAYS + 15), date__lt=day,
                                  log__isnull=True, responsible__isnull=False).select_related("responsible")
    with translation.override(settings.LANGUAGE_CODE):
        for duty_day in candidates:
            if _next_workday(duty_day.date, infos) != day:
                continue
            details = _("No duty log for %(day)s by the end of the next workday.") % {"day": duty_day.date.isoformat()}
            findings.append(Finding(duty_day.responsible, duty_day.date, DUTY_MISSED, details, "duty.missed"))
    raised = raise_flags(findings)
    return CheckResult(len(raised), findings=raised.findings)


def comp_time_for_worked_duty(day: date) -> int:
    """Credit the shifts worked on `day`; raises no flag, so it reports 0."""
    credit_worked_duty(day)
    return 0
