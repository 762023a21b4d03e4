"""Demo data for the attendance chapter, loaded by `manage.py seed_demo` (idempotent).

Four weeks of punches before today for the demo department: most days on time, a few late
arrivals, one missing punch, one absence, one approved correction and one approved overtime.
"""

from datetime import date, time, timedelta
import random

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from opsdept import workcalendar
from opsdept.demo import LEAVER, NEWCOMER, PEOPLE, go_live_date
from opsdept.models import Employee

from . import comptime, confirmation, services
from .days import local_moment
from .models import Correction, Overtime, OvertimeCompensation, Punch



def _scenario(workdays: list[date]) -> dict[tuple[str, date], list[time] | None]:
    """The days that are not ordinary: (username, date) → punch times (None: no punch at all)."""
    late_1, late_2, missing, absent, corrected = workdays[-3], workdays[-8], workdays[-5], workdays[-6], workdays[-4]
    return {
        ("zhangwei", late_1): [time(9, 12), time(18, 5)],
        ("zhangwei", late_2): [time(9, 25, 30), time(18, 20)],
        ("sunyue", late_1): [time(9, 7), time(18, 1)],
        ("zhouting", workdays[-10]): [time(8, 52), time(17, 40)],   # early leave
        ("liuyang", missing): [time(8, 49)],                         # missing punch (缺卡)
        ("chenchen", absent): None,                                  # absent (旷工)
        ("heli", corrected): [time(8, 55)],                          # the evening punch is corrected below
    }


@transaction.atomic
def seed(stdout: OutputWrapper) -> None:
    today = timezone.localdate()
    start, end = go_live_date(), today - timedelta(days=1)
    workdays = workcalendar.workdays_between(start, end)
    if len(workdays) < 10:
        stdout.write("  attendance: too few workdays in the last four weeks; no demo punches")
        return
    usernames = [row[0] for row in PEOPLE] + [NEWCOMER[0], LEAVER[0]]
    employees = {e.user.username: e for e in Employee.objects.select_related("user").filter(user__username__in=usernames)}
    special = _scenario(workdays)
    punched = set(Punch.objects.filter(employee__in=employees.values(), local_date__range=(start, end))
                  .values_list("employee_id", "local_date"))
    new: list[Punch] = []
    for username, employee in employees.items():
        for day in workdays:
            if day < employee.hire_date or (employee.leave_date and day > employee.leave_date) or (employee.pk, day) in punched:
                continue
            # The same pseudo-random times on every run: the seed is the person and the date.
            rng = random.Random(f"{username}-{day.isoformat()}")
            times = special.get((username, day), [time(8, rng.randint(30, 59)), time(18, rng.randint(0, 40))])
            for clock in times or []:
                new.append(Punch(employee=employee, at=local_moment(day, clock.replace(second=rng.randint(0, 59))),
                                 local_date=day, source=Punch.Source.IMPORT))
    Punch.objects.bulk_create(new)
    _approved_correction(employees, workdays)
    _approved_overtime(employees, workdays)
    _rest_day_overtime_as_comp_time(employees, start, end)
    changed = services.refresh_attendance_days(employee_ids=[e.pk for e in employees.values()], start=start, end=end)
    _last_month_confirmed(employees, today)
    stdout.write(f"  attendance: {len(new)} punches added, {changed} attendance days computed")


def _approved_correction(employees: dict[str, Employee], workdays: list[date]) -> None:
    heli, boss = employees.get("heli"), employees.get("wugang")
    day = workdays[-4]
    if heli is None or boss is None or Correction.objects.filter(employee=heli, date=day).exists():
        return
    correction = services.request_correction(actor=heli.user, day=day, clock=time(18, 10), reason="下班时手机没电，忘记打卡")
    services.decide_correction(correction.pk, actor=boss.user, approve=True, comment="已核实，同意补卡")


def _approved_overtime(employees: dict[str, Employee], workdays: list[date]) -> None:
    zhang, boss = employees.get("zhangwei"), employees.get("lijing")
    day = workdays[-2]
    if zhang is None or boss is None or Overtime.objects.filter(employee=zhang, date=day).exists():
        return
    overtime = services.request_overtime(actor=zhang.user, day=day, start=time(18, 30), end=time(21, 0), reason="双十一客服高峰值守",
                                         now=local_moment(day, time(10, 0)))
    services.decide_overtime(overtime.pk, actor=boss.user, approve=True, comment="同意")


def _rest_day_overtime_as_comp_time(employees: dict[str, Employee], start: date, end: date) -> None:
    """刘洋 worked a Saturday morning, approved beforehand and taken as comp time (调休), with the punches to show it."""
    liuyang, boss = employees.get("liuyang"), employees.get("lijing")
    rest_days = [day for day in (start + timedelta(days=n) for n in range((end - start).days + 1))
                 if workcalendar.overtime_kind(day) == workcalendar.OvertimeKind.REST_DAY]
    if liuyang is None or boss is None or not rest_days or Overtime.objects.filter(employee=liuyang, date=rest_days[-1]).exists():
        return
    day = rest_days[-1]
    overtime = services.request_overtime(actor=liuyang.user, day=day, start=time(9, 0), end=time(13, 0),
                                         reason="周末客服系统升级值守", compensation=OvertimeCompensation.COMP_TIME,
                                         now=local_moment(day - timedelta(days=2), time(15, 0)))
    overtime = services.decide_overtime(overtime.pk, actor=boss.user, approve=True, comment="同意，按调休处理")
    Punch.objects.bulk_create([Punch(employee=liuyang, at=local_moment(day, clock), local_date=day, source=Punch.Source.IMPORT)
                               for clock in (time(8, 56), time(13, 4))])
    # The night after credits the comp-time ledger with the hours the punches support (4).
    comptime.sync_overtime_credits([overtime], actor=None)


def _last_month_confirmed(employees: dict[str, Employee], today: date) -> None:
    """Last month's 考勤确认: confirmed by most, one dispute resolved, one person (陈晨) not confirmed."""
    hr, boss = employees.get("mahong"), employees.get("lijing")
    last_month = today.replace(day=1) - timedelta(days=1)
    year, month = last_month.year, last_month.month
    if hr is None or boss is None or confirmation.close_for(year, month) is not None or today < confirmation.opens_on(year, month):
        return
    confirmation.open_confirmation(year, month, actor=hr.user, today=today)
    zhangwei = employees.get("zhangwei")
    if zhangwei is not None:
        disputed = workcalendar.workdays_between(last_month.replace(day=1), last_month)[-1]
        dispute = confirmation.dispute_day(year, month, disputed, actor=zhangwei.user, reason="当天在客户处开会，已报备主管")
        confirmation.resolve_dispute(dispute.pk, actor=boss.user, resolution="note", note="已核实，按外出处理，记录备注")
    for username, employee in employees.items():
        if username == "chenchen" or not employee.is_active:
            continue
        try:
            confirmation.confirm_month(year, month, actor=employee.user)
        except confirmation.ConfirmationError:
            continue
