"""The attendance day rules: in/out, late and early minutes, missing punch, absence, leave, the calendar."""

from datetime import date, datetime, timezone as dt_timezone
from decimal import Decimal
import os
import time

import pytest

from attendance import selectors, services
from attendance.models import AttendanceDay, DayStatus, Punch
from opsdept import services as opsdept_services
from opsdept.models import WorkSchedule
from tests.attendance.factories import local, punch_day
from tests.factories import EmployeeFactory

MONDAY = "2026-10-12"


def refresh(employee, day: str = MONDAY) -> AttendanceDay:
    d = date.fromisoformat(day)
    services.refresh_attendance_days(employee_ids=[employee.pk], start=d, end=d)
    return AttendanceDay.objects.get(employee=employee, date=d)


def test_punches_in_time_make_a_normal_day(cast):
    punch_day(cast.employee, MONDAY, "08:52", "12:01", "18:03")
    day = refresh(cast.employee)
    assert day.status == DayStatus.NORMAL
    assert day.first_in == local(f"{MONDAY} 08:52") and day.last_out == local(f"{MONDAY} 18:03")
    assert (day.late_minutes, day.early_minutes, day.punch_count) == (0, 0, 3)


def test_late_minutes_count_from_start_plus_grace(cast):
    punch_day(cast.employee, MONDAY, "09:07", "18:00")
    assert refresh(cast.employee).late_minutes == 7
    WorkSchedule.objects.update(grace_minutes=5)
    day = refresh(cast.employee)
    assert (day.status, day.late_minutes) == (DayStatus.LATE, 2)


def test_seconds_past_the_hour_are_not_late(cast):
    punch_day(cast.employee, MONDAY, "09:00:59", "18:00:00")
    assert refresh(cast.employee).status == DayStatus.NORMAL


def test_leaving_before_the_end_is_early_leave(cast):
    punch_day(cast.employee, MONDAY, "08:59", "17:30")
    day = refresh(cast.employee)
    assert (day.status, day.early_minutes) == (DayStatus.EARLY, 30)


def test_late_and_early_on_one_day_keeps_both(cast):
    punch_day(cast.employee, MONDAY, "09:20", "17:50")
    day = refresh(cast.employee)
    assert (day.status, day.late_minutes, day.early_minutes) == (DayStatus.LATE_EARLY, 20, 10)


def test_a_single_punch_is_a_missing_punch_not_present(cast):
    punch_day(cast.employee, MONDAY, "08:55")
    day = refresh(cast.employee)
    assert day.status == DayStatus.MISSING
    assert day.last_out is None


def test_no_punch_without_leave_is_absent(cast):
    assert refresh(cast.employee).status == DayStatus.ABSENT


def test_full_day_of_leave_is_on_leave(cast, fake_leave):
    fake_leave.days[(cast.employee.pk, date(2026, 10, 12))] = "1"
    day = refresh(cast.employee)
    assert (day.status, day.leave_fraction) == (DayStatus.ON_LEAVE, Decimal("1"))


def test_morning_leave_judges_the_afternoon_from_lunch_end(cast, fake_leave):
    fake_leave.days[(cast.employee.pk, date(2026, 10, 12))] = "0.5"
    punch_day(cast.employee, MONDAY, "13:10", "18:00")
    day = refresh(cast.employee)
    assert (day.status, day.late_minutes) == (DayStatus.LATE, 10)
    punch_day(cast.employee, MONDAY, "12:58")
    assert refresh(cast.employee).status == DayStatus.NORMAL


def test_afternoon_leave_ends_the_day_at_lunch_start(cast, fake_leave):
    fake_leave.days[(cast.employee.pk, date(2026, 10, 12))] = "0.5"
    punch_day(cast.employee, MONDAY, "08:58", "12:00")
    day = refresh(cast.employee)
    assert (day.status, day.early_minutes, day.leave_fraction) == (DayStatus.NORMAL, 0, Decimal("0.5"))


def test_half_day_leave_without_punches_is_half_absent(cast, fake_leave):
    fake_leave.days[(cast.employee.pk, date(2026, 10, 12))] = "0.5"
    totals = selectors.month_totals([cast.employee.pk], 2026, 10)[cast.employee.pk]
    assert totals.days[date(2026, 10, 12)].status == DayStatus.ABSENT
    assert totals.days[date(2026, 10, 12)].absent_days == Decimal("0.5")


def test_make_up_saturday_is_an_attendance_day(cast):
    # 2026-10-10 is a Saturday worked for the National Day holiday (调休上班).
    day = refresh(cast.employee, "2026-10-10")
    assert day.status == DayStatus.ABSENT
    punch_day(cast.employee, "2026-10-10", "09:00", "18:00")
    assert refresh(cast.employee, "2026-10-10").status == DayStatus.NORMAL


def test_make_up_sunday_in_september_counts_too(cast):
    punch_day(cast.employee, "2026-09-20", "09:30", "18:00")
    day = refresh(cast.employee, "2026-09-20")
    assert (day.status, day.late_minutes) == (DayStatus.LATE, 30)


def test_statutory_holiday_and_weekends_are_not_attendance_days(cast):
    punch_day(cast.employee, "2026-10-01", "10:00", "12:00")
    services.refresh_attendance_days(employee_ids=[cast.employee.pk], start=date(2026, 9, 26), end=date(2026, 10, 11))
    dates = set(AttendanceDay.objects.filter(employee=cast.employee).values_list("date", flat=True))
    assert date(2026, 10, 1) not in dates           # 国庆节
    assert date(2026, 9, 27) not in dates           # an ordinary Sunday
    assert {date(2026, 9, 28), date(2026, 10, 9), date(2026, 10, 10)} <= dates


def test_days_before_hire_are_not_counted(cast):
    late_joiner = EmployeeFactory(hire_date=date(2026, 10, 14))
    totals = selectors.month_totals([late_joiner.pk], 2026, 10)[late_joiner.pk]
    assert min(totals.days) == date(2026, 10, 14)


@pytest.fixture
def process_in_utc():
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


def test_midnight_punches_belong_to_their_local_date_with_the_process_in_utc(cast, process_in_utc, monkeypatch):
    # 2026-10-12 15:59 UTC is 23:59 in Shanghai on the 12th; 16:30 UTC is 00:30 on the 13th.
    late_night = datetime(2026, 10, 12, 15, 59, tzinfo=dt_timezone.utc)
    after_midnight = datetime(2026, 10, 12, 16, 30, tzinfo=dt_timezone.utc)
    for moment in (late_night, after_midnight):
        monkeypatch.setattr(services.timezone, "now", lambda moment=moment: moment)
        services.record_punch(actor=cast.employee.user, ip_address="127.0.0.1")
    monkeypatch.undo()
    first, second = Punch.objects.filter(employee=cast.employee).order_by("at")
    assert (first.local_date, second.local_date) == (date(2026, 10, 12), date(2026, 10, 13))
    punch_day(cast.employee, MONDAY, "09:00")
    day12 = refresh(cast.employee, "2026-10-12")
    assert (day12.status, day12.early_minutes) == (DayStatus.NORMAL, 0)   # 09:00 in, 23:59 out
    assert refresh(cast.employee, "2026-10-13").status == DayStatus.MISSING  # only the 00:30 punch


def test_refresh_is_idempotent(cast):
    punch_day(cast.employee, MONDAY, "09:10", "18:00")
    start, end = date(2026, 10, 12), date(2026, 10, 16)
    assert services.refresh_attendance_days(employee_ids=None, start=start, end=end) > 0
    before = list(AttendanceDay.objects.values_list("employee_id", "date", "status", "late_minutes"))
    assert services.refresh_attendance_days(employee_ids=None, start=start, end=end) == 0
    assert list(AttendanceDay.objects.values_list("employee_id", "date", "status", "late_minutes")) == before


def test_refresh_never_counts_today_or_the_future(cast):
    from django.utils import timezone

    today = timezone.localdate()
    services.refresh_attendance_days(employee_ids=None, start=today, end=today)
    assert not AttendanceDay.objects.filter(date__gte=today).exists()


def test_refresh_queries_do_not_grow_with_employees(cast, django_assert_max_num_queries):
    start, end = date(2026, 10, 12), date(2026, 10, 16)
    # 12, plus the tracked spans (go-live and employment dates) the stale-row check reads, plus the change log's
    # insert (DayChange) and the writes' transaction (a savepoint and its release inside the test's)
    with django_assert_max_num_queries(17):
        services.refresh_attendance_days(employee_ids=None, start=start, end=end)
    for _n in range(20):
        employee = EmployeeFactory()
        punch_day(employee, MONDAY, "09:05", "18:00")
    AttendanceDay.objects.all().delete()
    with django_assert_max_num_queries(17):
        services.refresh_attendance_days(employee_ids=None, start=start, end=end)
    assert AttendanceDay.objects.count() == 27 * 5


def test_a_calendar_override_recomputes_that_date(cast):
    services.refresh_attendance_days(employee_ids=None, start=date(2026, 10, 12), end=date(2026, 10, 12))
    assert AttendanceDay.objects.filter(date=date(2026, 10, 12)).exists()
    opsdept_services.set_calendar_override(date(2026, 10, 12), actor=cast.hr.user, kind="holiday", note="停电")
    assert not AttendanceDay.objects.filter(date=date(2026, 10, 12)).exists()
    opsdept_services.set_calendar_override(date(2026, 10, 18), actor=cast.hr.user, kind="workday", note="补班")
    assert AttendanceDay.objects.get(employee=cast.employee, date=date(2026, 10, 18)).status == DayStatus.ABSENT


def test_every_workday_counts_exactly_once(cast, fake_leave):
    fake_leave.days[(cast.employee.pk, date(2026, 10, 13))] = "1"
    fake_leave.days[(cast.employee.pk, date(2026, 10, 14))] = "0.5"
    punch_day(cast.employee, "2026-10-12", "09:15", "18:00")
    punch_day(cast.employee, "2026-10-14", "13:00", "18:00")
    punch_day(cast.employee, "2026-10-15", "09:00")
    totals = selectors.month_totals([cast.employee.pk], 2026, 10)[cast.employee.pk]
    assert totals.expected_days == 18  # October 2026: 8, 9, 10 (Saturday), 12–16, 19–23, 26–30
    assert totals.expected_days == totals.present_days + totals.leave_days + totals.absent_days
    assert (totals.leave_days, totals.late_count, totals.missing_count) == (Decimal("1.5"), 1, 1)


def test_an_employee_who_left_keeps_their_days_when_the_calendar_changes(cast):
    services.refresh_attendance_days(employee_ids=None, start=date(2026, 10, 12), end=date(2026, 10, 13))
    cast.outsider.is_active = False
    cast.outsider.save()
    opsdept_services.set_calendar_override(date(2026, 10, 13), actor=cast.hr.user, kind="workday", note="")
    assert AttendanceDay.objects.filter(employee=cast.outsider).count() == 2
