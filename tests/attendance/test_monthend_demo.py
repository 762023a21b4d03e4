"""The demo's month end: go-live at the start of its data, a newcomer and a leaver, rest-day overtime as comp time,
a business trip, and last month confirmed by most with one dispute resolved."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core.management.base import OutputWrapper
from django.utils import timezone

from attendance import confirmation, demo as attendance_demo, export, selectors
from attendance.models import DayDispute, MonthConfirmation, Overtime, RequestStatus
from leave import demo as leave_demo
from leave.models import BusinessTrip
from attendance import comptime
from attendance.models import CompTimeEntry
from leave.models import LeaveRequest
from opsdept import demo as opsdept_demo
from opsdept.models import Employee, WorkSchedule


def test_the_demo_month_end(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = OutputWrapper(StringIO())
    opsdept_demo.seed(out)
    attendance_demo.seed(out)
    leave_demo.seed(out)
    today = timezone.localdate()
    assert WorkSchedule.current().go_live_date == today - timedelta(weeks=4)
    zhang = Employee.objects.get(employee_no="OP003")
    year_row = selectors.year_summary_columns([zhang.pk], today.year)[zhang.pk]
    assert Decimal(list(year_row.values())[4]) <= 2          # 旷工天数: at most the demo's one absence, never 204
    leaver, newcomer = Employee.objects.get(employee_no="OP016"), Employee.objects.get(employee_no="OP015")
    assert not leaver.is_active and leaver.leave_date == today - timedelta(days=9)
    month = export.build(leaver.leave_date.year, leaver.leave_date.month)
    assert leaver.pk in month.totals and month.totals[leaver.pk].last_day == leaver.leave_date
    assert min(month.totals[newcomer.pk].days, default=newcomer.hire_date) >= newcomer.hire_date
    assert Overtime.objects.filter(status=RequestStatus.APPROVED, compensation="comp_time", day_kind="rest").exists()
    # 刘洋's Saturday morning earned 4 hours of comp time; her approved half day of 调休 drew them all.
    liuyang = Employee.objects.get(user__username="liuyang")
    credit = CompTimeEntry.objects.get(employee=liuyang, kind="credit")
    debit = CompTimeEntry.objects.get(employee=liuyang, kind="debit")
    assert (credit.hours, debit.hours) == (Decimal("4.00"), Decimal("-4.00"))
    assert LeaveRequest.objects.get(employee=liuyang, leave_type__code="compensatory").status == "approved"
    assert comptime.comp_time_balance(liuyang) == Decimal("0.00")
    assert comptime.balances_as_of([liuyang.pk], credit.dated)[liuyang.pk] == Decimal("4.00")
    assert BusinessTrip.objects.filter(status=RequestStatus.APPROVED).exists()
    last = today.replace(day=1) - timedelta(days=1)
    if today >= confirmation.opens_on(last.year, last.month):
        close = confirmation.close_for(last.year, last.month)
        statuses = dict(close.confirmations.values_list("employee__employee_no", "status"))
        assert statuses["OP005"] == MonthConfirmation.Status.PENDING          # 陈晨 has not confirmed
        assert list(statuses.values()).count(MonthConfirmation.Status.CONFIRMED) >= 10
        assert DayDispute.objects.filter(resolved_at__isnull=False).count() == 1
