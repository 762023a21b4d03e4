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
    return CheckResult(len(raised.created), findings=raised.findings)


def comp_time_for_worked_duty(day: date) -> int:
    """Credit the shifts worked on `day`; raises no flag, so it reports 0."""
    credit_worked_duty(day)
    return 0


def remind_duty(day: date) -> int:
    """On the workday before duty, remind each person of their duty days (raises no flag, reports 0).

    Runs in the night after `day`; the next morning `day + 1` is the reminder's workday when it is one.
    The duty dates it covers run from the day after that workday up to the next workday. Sent once
    (a notification with the same subject is not repeated) and never for dates already past.
    """
    from django.urls import reverse
    from django.utils import timezone

    from opsdept.models import Notification
    from opsdept.notify import notify

    target = day + timedelta(days=1)
    infos = workcalendar.days_between(target, target + timedelta(days=MAX_PERIOD_DAYS + 15))
    if not infos[0].is_workday or target < timezone.localdate():
        return 0
    following = next((info.date for info in infos[1:] if info.is_workday), infos[-1].date)
    dates_of: dict[int, list[date]] = {}
    people: dict[int, object] = {}
    roster_of: dict[int, int] = {}
    for assignment in DutyAssignment.objects.filter(
        is_active=True, shift__day__roster__status=DutyRoster.Status.PUBLISHED,
        shift__day__date__gt=target, shift__day__date__lte=following,
    ).select_related("employee", "shift__day").order_by("shift__day__date"):
        dates_of.setdefault(assignment.employee_id, []).append(assignment.shift.day.date)
        people[assignment.employee_id] = assignment.employee
        roster_of[assignment.employee_id] = assignment.shift.day.roster_id
    for pk, dates in dates_of.items():
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Reminder: you are on holiday duty on %(days)s") % {
                "days": "、".join(sorted({d.strftime("%m-%d") for d in dates}))}
        if Notification.objects.filter(recipient_id=pk, subject=subject[:200]).exists():
            continue
        notify(people[pk], subject=subject, url=reverse("duty:roster_detail", args=[roster_of[pk]]))
    return 0
