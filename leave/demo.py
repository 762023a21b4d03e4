"""Demo data for the leave chapter, loaded by `manage.py seed_demo` (idempotent: a second run changes nothing).

A few requests in every state, a supervisor's own leave decided by the manager, one emergency leave
waiting for its written request, and an HR adjustment of an annual-leave balance. Everything goes
through the services, so the audit trail, notifications and attendance days are what the app would make.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import OutputWrapper
from django.utils import timezone

from opsdept import permissions, workcalendar
from attendance import comptime
from opsdept.models import Employee

from . import services
from .errors import LeaveError
from .models import AnnualLeaveAdjustment, BusinessTrip, LeaveRequest, LeaveType
from .seeds import seed_leave_types

# username, type code, workdays from today, length in workdays, start half, end half, reason, outcome
REQUESTS = [
    ("zhangwei", "annual", 3, 2, "am", "pm", "回老家探亲", "pending"),
    ("liuyang", "personal", 2, 1, "am", "pm", "办理房产过户手续", "approved"),
    ("chenchen", "compensatory", 4, 1, "am", "pm", "用国庆值班换休", "rejected"),
    ("sunyue", "personal", 1, 1, "pm", "pm", "孩子家长会", "approved"),
    ("zhouting", "marriage", 6, 3, "am", "pm", "婚礼", "pending"),
    ("zhouting", "personal", 2, 1, "am", "am", "去银行办事", "cancelled"),
    ("lijing", "annual", 5, 1, "am", "pm", "家中有事", "approved"),
    # Half a day of 调休 drawn on 刘洋's Saturday overtime taken as comp time (attendance's demo: 4 hours earned).
    ("liuyang", "compensatory", 8, 1, "am", "am", "用周六加班换休半天", "approved"),
]
EMERGENCY_NOTE = "何丽早上电话请病假，发烧就医"
ADJUSTMENT_REASON = "2025 年未休年假结转 1 天（经部门经理同意）"


def _last_workday_on_or_before(day: date) -> date:
    while not workcalendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def _nth_workday_after(day: date, count: int) -> date:
    return workcalendar.add_workdays(day, count)


def seed(stdout: OutputWrapper) -> None:
    seed_leave_types(LeaveType)  # the migration made them; a flushed test database may have lost them
    people = {employee.user.username: employee for employee in Employee.objects.select_related("user", "supervisor")}
    types = {leave_type.code: leave_type for leave_type in LeaveType.objects.all()}
    today = timezone.localdate()
    created = 0
    # 调休 draws on earned comp time: the demo's 调休 request rests on duty worked the winter before.
    comptime.credit_comp_time(people["chenchen"], hours=Decimal("8"), source="2026 年春节值班", actor=None,
                              source_key="demo.leave.spring-festival-duty")
    for username, code, offset, length, start_half, end_half, reason, outcome in REQUESTS:
        employee = people[username]
        if LeaveRequest.objects.filter(employee=employee, reason=reason).exists():
            continue
        start = _nth_workday_after(today, offset)
        end = _nth_workday_after(start, length - 1)
        try:
            leave = services.file_leave_request(
                employee.pk, actor=employee.user, leave_type=types[code], start_date=start, start_half=start_half,
                end_date=end, end_half=end_half, reason=reason,
            )
        except LeaveError as error:
            stdout.write(f"  leave: skipped {username} {code}: {error.message}")
            continue
        approver = permissions.approver_for(employee)
        if outcome == "approved":
            services.approve_leave_request(leave.pk, actor=approver.user, note="同意，注意做好工作交接")
        elif outcome == "rejected":
            services.reject_leave_request(leave.pk, actor=approver.user, note="当天有促销活动，请改期")
        elif outcome == "cancelled":
            services.cancel_leave_request(leave.pk, actor=employee.user, note="事情已办妥")
        created += 1
    heli = people["heli"]
    if not LeaveRequest.objects.filter(employee=heli, is_emergency=True, decision_note=EMERGENCY_NOTE).exists():
        day = _last_workday_on_or_before(today)
        try:
            services.record_emergency_leave(
                heli.pk, actor=heli.supervisor.user, leave_type=types["sick"], start_date=day, start_half="am",
                end_date=day, end_half="pm", granted_via=LeaveRequest.Channel.PHONE, note=EMERGENCY_NOTE,
            )
            created += 1
        except LeaveError as error:
            stdout.write(f"  leave: skipped the emergency leave: {error.message}")
    zhangwei = people["zhangwei"]
    if not AnnualLeaveAdjustment.objects.filter(employee=zhangwei, reason=ADJUSTMENT_REASON).exists():
        services.adjust_annual_leave(zhangwei.pk, actor=people["mahong"].user, year=today.year, days=Decimal("1"),
                                     reason=ADJUSTMENT_REASON)
    _business_trip(people, today, stdout)
    stdout.write(f"  leave: {created} requests added, {LeaveRequest.objects.count()} in all")


TRIP_REASON = "赴杭州客户现场支持双十二活动筹备"


def _business_trip(people: dict[str, Employee], today: date, stdout: OutputWrapper) -> None:
    """周婷's approved two-day business trip last week: those days count as attended without a punch."""
    zhouting = people.get("zhouting")
    if zhouting is None or BusinessTrip.objects.filter(employee=zhouting, reason=TRIP_REASON).exists():
        return
    start = _last_workday_on_or_before(today - timedelta(days=7))
    end = _nth_workday_after(start, 1)
    try:
        trip = services.file_business_trip(zhouting.pk, actor=zhouting.user, kind=BusinessTrip.Kind.TRIP, start_date=start,
                                           start_half="am", end_date=end, end_half="pm", destination="杭州", reason=TRIP_REASON)
        services.decide_business_trip(trip.pk, actor=permissions.approver_for(zhouting).user, approve=True, note="同意，注意安全")
    except LeaveError as error:
        stdout.write(f"  leave: skipped the business trip: {error.message}")
