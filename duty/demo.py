"""Demo data for the duty chapter, loaded by `manage.py seed_demo` (idempotent).

The manager's published National Day 2026 roster for the whole department (filled evenly,
one person in charge per day) with punches and duty logs for its days — except 10-04,
which nobody clocked in for, so `duty.missed` has a finding — one approved swap and one
pending (accepted, waiting for the supervisor), and the New Year 2027 period as a draft
(its 01-01 holiday is an HR override: chinese-calendar does not know 2027 yet).
Swaps on past days are written directly: the services accept only future duty days.
"""

from datetime import date, time

from django.core.management.base import OutputWrapper
from django.utils import timezone

from attendance.days import local_moment
from attendance.models import Punch
from opsdept.models import CalendarOverride, Employee

from . import checks, services
from .models import DutyAssignment, DutyDay, DutyLog, DutyPeriod, DutyRoster, DutySwap

NATIONAL_DAY = (date(2026, 10, 1), date(2026, 10, 7))
NEW_YEAR = (date(2027, 1, 1), date(2027, 1, 3))
NOBODY_CAME = date(2026, 10, 4)
LOGS = ["网站首页、下单流程、客服工单系统巡检正常", "活动页面访问量高峰，服务器负载正常",
        "发现支付回调延迟，已联系技术部处理，半小时恢复", "客服消息按时回复，无投诉"]


def seed(stdout: OutputWrapper) -> None:
    manager = Employee.objects.filter(employee_no="OP001").first()
    if manager is None:
        stdout.write("  duty: no demo people, skipped")
        return
    CalendarOverride.objects.get_or_create(date=date(2027, 1, 1), defaults={
        "kind": CalendarOverride.Kind.HOLIDAY, "note": "元旦"})
    actor = manager.user
    period = DutyPeriod.objects.filter(start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1]).first()
    roster = DutyRoster.objects.filter(period=period, owner=manager).first() if period else None
    if roster is None:
        roster = services.start_duty_roster(actor=actor, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
        services.fill_roster_evenly(roster.pk, actor=actor)
        services.publish_duty_roster(roster.pk, actor=actor)
        _swaps(roster)
        _punches_and_logs(roster)
        for day in roster.period.days:
            checks.comp_time_for_worked_duty(day)
            checks.missed_duty(day)
    if not DutyPeriod.objects.filter(start_date=NEW_YEAR[0], end_date=NEW_YEAR[1], rosters__owner=manager).exists():
        draft = services.start_duty_roster(actor=actor, start_date=NEW_YEAR[0], end_date=NEW_YEAR[1])
        services.fill_roster_evenly(draft.pk, actor=actor)
    stdout.write(f"  duty: National Day 2026 published ({roster.days.count()} days), New Year 2027 in draft")


def _punches_and_logs(roster: DutyRoster) -> None:
    for index, duty_day in enumerate(roster.days.select_related("responsible").order_by("date")):
        if duty_day.date == NOBODY_CAME:
            continue
        for assignment in DutyAssignment.objects.filter(shift__day=duty_day, is_active=True):
            for clock in (time(8, 55), time(18, 2)):
                Punch.objects.create(employee=assignment.employee, at=local_moment(duty_day.date, clock),
                                     local_date=duty_day.date, source=Punch.Source.IMPORT)
        DutyLog.objects.create(day=duty_day, author=duty_day.responsible, checked=LOGS[index % len(LOGS)],
                               incidents="支付回调延迟 20 分钟，技术部重启服务后恢复" if index == 2 else "",
                               contacts="李静（客服部）、技术部值班工程师")


def _swaps(roster: DutyRoster) -> None:
    """One approved swap (on the last day, history kept) and one accepted, waiting for the manager."""
    days = list(roster.days.order_by("date"))
    team = list(Employee.objects.filter(is_active=True).exclude(role__in=[Employee.Role.HR, Employee.Role.MANAGER])
                .order_by("employee_no"))
    now = timezone.now()
    last = DutyAssignment.objects.filter(shift__day=days[-1], is_active=True).select_related("employee").first()
    colleague = next(p for p in team if not DutyAssignment.objects.filter(shift__day=days[-1], employee=p).exists())
    approved = DutySwap.objects.create(assignment=last, requester=last.employee, colleague=colleague, reason="家中有事，请同事代班",
                                       accepted_at=now, status="approved", decided_by=roster.owner, decided_at=now)
    last.is_active, last.ended_at = False, now
    last.save(update_fields=["is_active", "ended_at"])
    DutyAssignment.objects.create(shift=last.shift, employee=colleague, phone=colleague.phone, via_swap=approved)
    if days[-1].responsible_id == last.employee_id:
        DutyDay.objects.filter(pk=days[-1].pk).update(responsible=colleague)
    pending_on = DutyAssignment.objects.filter(shift__day=days[-2], is_active=True).select_related("employee").first()
    other = next(p for p in reversed(team) if p.pk != pending_on.employee_id)
    DutySwap.objects.create(assignment=pending_on, requester=pending_on.employee, colleague=other,
                            reason="想与同事调换值班日期", accepted_at=now)
