"""The export reads the days the nightly check stored (AttendanceDay), so that it and the night agree by construction."""

from datetime import date
from decimal import Decimal
import io
from unittest import mock

from openpyxl import load_workbook
import pytest

from attendance import export, selectors
from attendance.models import AttendanceDay, DayStatus
from attendance.services import refresh_attendance_days
from opsdept import registries
from tests.attendance.factories import FakeLeave, punch_day

MAKE_UP = date(2026, 10, 10)      # a Saturday worked in place of the National Day holiday (调休上班)
HALF_LEAVE = date(2026, 10, 28)   # morning on leave, afternoon worked (and left early)
HALF_TRIP = date(2026, 10, 29)    # morning on a business trip, afternoon neither worked nor on leave
WHOLE_LEAVE = date(2026, 10, 30)
HOLIDAY = date(2026, 10, 5)       # National Day: no attendance day at all


@pytest.fixture
def tricky(cast, fake_leave):
    employee = cast.employee
    punch_day(employee, "2026-10-09", "08:55", "18:02")
    punch_day(employee, MAKE_UP.isoformat(), "09:20", "18:05")            # late on the make-up workday
    punch_day(employee, HALF_LEAVE.isoformat(), "12:58", "17:40")         # afternoon worked, early by 20
    punch_day(employee, HOLIDAY.isoformat(), "10:00", "12:00")            # came in on the holiday: no day, no absence
    fake_leave.days[(employee.pk, HALF_LEAVE)] = "0.5"
    fake_leave.days[(employee.pk, WHOLE_LEAVE)] = "1"
    trips = FakeLeave({(employee.pk, HALF_TRIP): "0.5"})
    registries.day_providers.register("test.fake_trip", registries.DayProvider(kind="business", covers=trips))
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 11, 3)):
        refresh_attendance_days(employee_ids=None, start=date(2026, 10, 1), end=date(2026, 10, 31))  # the nights
        yield employee
    registries.day_providers.unregister("test.fake_trip")


def grid_codes(workbook, employee_no: str) -> dict[int, str]:
    grid = workbook.worksheets[1]
    header = [cell.value for cell in grid[1]]
    row = next(row for row in grid.iter_rows(values_only=True) if row[0] == employee_no)
    return {int(day): value for day, value in zip(header[2:], row[2:])}


def test_the_export_says_what_the_night_stored_on_the_tricky_days(tricky):
    stored = {row.date: row for row in AttendanceDay.objects.filter(employee=tricky)}
    assert stored[MAKE_UP].status == DayStatus.LATE and stored[MAKE_UP].late_minutes == 20
    assert stored[HALF_LEAVE].status == DayStatus.EARLY and stored[HALF_LEAVE].leave_fraction == Decimal("0.5")
    assert stored[HALF_TRIP].status == DayStatus.ABSENT
    assert stored[WHOLE_LEAVE].status == DayStatus.ON_LEAVE
    assert HOLIDAY not in stored
    data = export.build(2026, 10, today=date(2026, 11, 3))
    codes = grid_codes(load_workbook(io.BytesIO(export.to_xlsx(data))), tricky.employee_no)
    for day, row in stored.items():
        assert codes[day.day] == str(export.GRID_CODES[row.status][0]), day
    assert codes[HOLIDAY.day] == str(export.REST_CODE[0])
    # The totals are the stored days' totals, and the same as judging the punches again.
    totals = data.totals[tricky.pk]
    assert totals.late_minutes == 20 and totals.early_minutes == 20 and totals.leave_days == Decimal("1.5")
    assert totals.absent_days == Decimal("13.5")   # 13 of the 18 workdays missed whole, the half-trip day only half
    fresh = selectors.month_totals([tricky.pk], 2026, 10, today=date(2026, 11, 3))[tricky.pk]
    for name in ("expected_days", "present_days", "late_count", "late_minutes", "early_count", "early_minutes",
                 "missing_count", "absent_days", "leave_days"):
        assert getattr(totals, name) == getattr(fresh, name), name


def test_the_export_follows_the_store_and_judges_only_what_it_lacks(tricky):
    AttendanceDay.objects.filter(employee=tricky, date=MAKE_UP).update(status=DayStatus.NORMAL, late_minutes=0)
    AttendanceDay.objects.filter(employee=tricky, date=date(2026, 10, 9)).delete()   # a night that has not run
    data = export.build(2026, 10, today=date(2026, 11, 3))
    days = data.totals[tricky.pk].days
    assert days[MAKE_UP].status == DayStatus.NORMAL                 # what the night judged, not re-judged here
    assert days[date(2026, 10, 9)].status == DayStatus.NORMAL       # judged from the punches, the same way
    assert data.totals[tricky.pk].late_count == 0


def test_the_export_reads_the_store_in_a_constant_number_of_queries(tricky, cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):
        export.build(2026, 10, today=date(2026, 11, 3))


# ---------------------------------------------------------------- summed by the database (selectors.stored_totals)

TOTALS = ("expected_days", "present_days", "late_count", "late_minutes", "early_count", "early_minutes",
          "missing_count", "absent_days", "leave_days")


@pytest.fixture
def plain(cast, fake_leave):
    """Someone employed the whole month with no trip or duty: the export sums their stored days in the database."""
    employee = cast.outsider
    punch_day(employee, "2026-10-09", "09:12", "18:02")                    # late
    punch_day(employee, "2026-10-12", "08:50", "17:30")                    # early
    punch_day(employee, "2026-10-13", "08:50")                             # a missing punch
    punch_day(employee, "2026-10-14", "12:58", "18:05")                    # half a day of leave, afternoon worked
    punch_day(employee, "2026-10-15", "09:31", "17:01")                    # late and early
    fake_leave.days[(employee.pk, date(2026, 10, 14))] = "0.5"
    fake_leave.days[(employee.pk, date(2026, 10, 16))] = "0.5"             # half a day of leave, the rest absent
    fake_leave.days[(employee.pk, date(2026, 10, 19))] = "1"
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 11, 3)):
        refresh_attendance_days(employee_ids=None, start=date(2026, 10, 1), end=date(2026, 10, 31))
        yield employee


def summed_day_by_day(employee) -> selectors.MonthTotals:
    """The stored days added one by one (MonthTotals.add), as the export did before it summed them in the database."""
    totals = selectors.MonthTotals(employee.pk)
    for day in selectors.stored_days([employee.pk], date(2026, 10, 1), date(2026, 10, 31)):
        totals.add(day)
    return totals


def test_summed_stored_days_give_the_day_by_day_totals_to_the_decimal_place(plain):
    data = export.build(2026, 10, today=date(2026, 11, 3))
    totals, one_by_one = data.totals[plain.pk], summed_day_by_day(plain)
    assert totals.days == {}                                   # summed: no DayResult per day
    for name in TOTALS:
        # str(): 1.5 and 1.50 print differently in the files, so the Decimal places must match too.
        assert str(getattr(totals, name)) == str(getattr(one_by_one, name)), name
    assert (totals.late_count, totals.early_count, totals.missing_count) == (2, 2, 1)
    assert (totals.present_days, totals.leave_days, totals.absent_days) == (Decimal("4.5"), Decimal("2.0"), Decimal("11.5"))
    fresh = selectors.month_totals([plain.pk], 2026, 10, today=date(2026, 11, 3))[plain.pk]
    for name in TOTALS:
        assert getattr(totals, name) == getattr(fresh, name), name
    stored = dict(AttendanceDay.objects.filter(employee=plain).values_list("date", "status"))
    assert totals.statuses == stored
    codes = grid_codes(load_workbook(io.BytesIO(export.to_xlsx(data))), plain.employee_no)
    assert all(codes[day.day] == str(export.GRID_CODES[status][0]) for day, status in stored.items())


def test_summed_totals_follow_the_store_and_a_missing_day_is_judged(plain):
    AttendanceDay.objects.filter(employee=plain, date=date(2026, 10, 9)).update(status=DayStatus.NORMAL, late_minutes=0)
    totals = export.build(2026, 10, today=date(2026, 11, 3)).totals[plain.pk]
    assert totals.late_count == 1 and totals.statuses[date(2026, 10, 9)] == DayStatus.NORMAL   # the store, not re-judged
    AttendanceDay.objects.filter(employee=plain, date=date(2026, 10, 15)).delete()            # a night that has not run
    totals = export.build(2026, 10, today=date(2026, 11, 3)).totals[plain.pk]
    assert totals.days[date(2026, 10, 15)].status == DayStatus.LATE_EARLY and totals.expected_days == 18


def test_the_csv_needs_no_daily_statuses_and_says_the_same(plain):
    with_days, without = (export.build(2026, 10, today=date(2026, 11, 3), daily=daily) for daily in (True, False))
    assert without.totals[plain.pk].statuses == {} and with_days.totals[plain.pk].statuses
    assert export.to_csv(without).splitlines()[1:] == export.to_csv(with_days).splitlines()[1:]
    with pytest.raises(ValueError):
        export.to_xlsx(without)
