"""Overtime by the rules: filed before it starts, across midnight, no overlap, classed by the calendar, checked against punches."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from attendance import export, selectors, services
from attendance import overtime as overtime_rules
from attendance.checks import unrequested_overtime
from attendance.models import AttendanceSettings, Overtime, OvertimeCompensation, RequestStatus
from discipline.models import Flag
from opsdept import registries, workcalendar
from opsdept.workcalendar import OvertimeKind
from tests.attendance.factories import OvertimeFactory, local, punch_day

BEFORE = local("2026-09-01 09:00")   # "now" for requests filed well ahead


@pytest.fixture(autouse=True)
def _no_providers(only_registered):
    only_registered(registries.day_providers)
    only_registered(registries.export_columns)


def ask(cast, day: str, start: str, end: str, **extra) -> Overtime:
    extra.setdefault("now", BEFORE)
    return services.request_overtime(actor=cast.employee.user, day=date.fromisoformat(day), start=time.fromisoformat(start),
                                     end=time.fromisoformat(end), reason="上线", **extra)


@pytest.mark.parametrize("day,kind", [
    ("2026-10-09", OvertimeKind.WORKDAY),
    ("2026-10-10", OvertimeKind.WORKDAY),     # Saturday, a make-up workday (调休上班)
    ("2026-10-01", OvertimeKind.HOLIDAY),     # National Day, statutory
    ("2026-10-03", OvertimeKind.HOLIDAY),     # a Saturday, but statutory
    ("2026-10-05", OvertimeKind.REST_DAY),    # in the National Day break, a moved rest day: ×2, not ×3
    ("2026-10-17", OvertimeKind.REST_DAY),    # an ordinary Saturday
    ("2026-02-17", OvertimeKind.HOLIDAY),     # Spring Festival 初一
    ("2026-02-22", OvertimeKind.REST_DAY),    # Spring Festival break, not statutory
    ("2026-05-02", OvertimeKind.HOLIDAY),
])
def test_overtime_is_classed_by_the_work_calendar(db, day, kind):
    assert workcalendar.overtime_kind(date.fromisoformat(day)) == kind


def test_the_class_is_stored_when_filed(cast):
    assert ask(cast, "2026-10-10", "09:00", "12:00").day_kind == OvertimeKind.WORKDAY
    assert ask(cast, "2026-10-03", "09:00", "12:00").day_kind == OvertimeKind.HOLIDAY
    assert ask(cast, "2026-10-17", "09:00", "12:00", compensation=OvertimeCompensation.COMP_TIME).is_comp_time


def test_only_rest_day_overtime_can_be_comp_time(cast):
    with pytest.raises(services.AttendanceError, match="调休"):
        ask(cast, "2026-10-01", "09:00", "12:00", compensation=OvertimeCompensation.COMP_TIME)
    with pytest.raises(services.AttendanceError):
        ask(cast, "2026-10-09", "19:00", "21:00", compensation=OvertimeCompensation.COMP_TIME)
    assert not Overtime.objects.exists()


def test_overtime_may_cross_midnight(cast):
    overtime = ask(cast, "2026-10-09", "22:00", "02:00")
    assert overtime.overnight and overtime.hours == Decimal("4.0")


def test_overtime_longer_than_24_hours_or_ending_before_it_starts_is_refused(cast):
    with pytest.raises(services.AttendanceError, match="24"):
        ask(cast, "2026-10-09", "22:00", "23:00", end_day=date(2026, 10, 11))
    with pytest.raises(services.AttendanceError):
        ask(cast, "2026-10-09", "22:00", "21:00", end_day=date(2026, 10, 9))
    assert not Overtime.objects.exists()


def test_overlapping_overtime_is_refused_even_across_midnight(cast):
    ask(cast, "2026-10-09", "22:00", "02:00")
    with pytest.raises(services.AttendanceError, match="2026-10-09"):
        ask(cast, "2026-10-10", "01:00", "03:00")
    ask(cast, "2026-10-10", "02:00", "04:00")   # touching is not overlapping
    assert Overtime.objects.count() == 2


def test_overtime_is_filed_before_it_starts_unless_hr_allows_afterwards(cast):
    late = local("2026-10-12 10:00")
    with pytest.raises(services.AttendanceError):
        ask(cast, "2026-10-10", "09:00", "12:00", now=late)
    settings = AttendanceSettings.current()
    settings.overtime_late_days = 3
    settings.save()
    with pytest.raises(services.AttendanceError):
        ask(cast, "2026-10-10", "09:00", "12:00", now=late)                 # no reason given
    with pytest.raises(services.AttendanceError):
        ask(cast, "2026-10-08", "19:00", "21:00", now=late, late_reason="忘了")  # 4 days back
    overtime = ask(cast, "2026-10-10", "09:00", "12:00", now=late, late_reason="周六临时抢修")
    assert overtime.late_reason == "周六临时抢修"
    assert Overtime.objects.count() == 1


def test_counted_hours_are_the_overlap_with_the_punches_split_by_day_type(cast):
    employee = cast.employee
    punch_day(employee, "2026-10-09", "08:55", "20:30")   # workday overtime 19:00–21:30 asked, 1.5 h punched
    punch_day(employee, "2026-10-17", "09:00", "12:00")   # rest day, pay
    punch_day(employee, "2026-10-18", "09:00", "11:00")   # rest day, comp time
    for overtime in (
        OvertimeFactory(employee=employee, date=date(2026, 10, 9), start_time=time(19), end_time=time(21, 30), day_kind="workday"),
        OvertimeFactory(employee=employee, date=date(2026, 10, 17), start_time=time(9), end_time=time(12), day_kind="rest"),
        OvertimeFactory(employee=employee, date=date(2026, 10, 18), start_time=time(9), end_time=time(12), day_kind="rest",
                        compensation=OvertimeCompensation.COMP_TIME),
        OvertimeFactory(employee=employee, date=date(2026, 10, 3), start_time=time(9), end_time=time(12), day_kind="holiday"),
    ):
        Overtime.objects.filter(pk=overtime.pk).update(status=RequestStatus.APPROVED)
    totals = selectors.month_totals([employee.pk], 2026, 10)[employee.pk]
    assert totals.overtime_hours == Decimal("11.5")       # as asked
    assert (totals.overtime_workday, totals.overtime_rest_pay, totals.overtime_rest_comp, totals.overtime_holiday) == (
        Decimal("1.5"), Decimal("3.0"), Decimal("2.0"), Decimal("0"))
    data = export.build(2026, 10)
    row = next(row for row in data.rows if row[0] == employee.employee_no)
    assert row[12:18] == [Decimal("11.5"), Decimal("1.5"), Decimal("3.0"), Decimal("2.0"), Decimal("0"), 0]


def test_overnight_overtime_counts_the_punch_after_midnight(cast):
    employee = cast.employee
    punch_day(employee, "2026-10-09", "08:55")
    punch_day(employee, "2026-10-10", "01:30")
    overtime = OvertimeFactory(employee=employee, date=date(2026, 10, 9), start_time=time(22), end_time=time(2), overnight=True,
                               status=RequestStatus.APPROVED)
    from attendance.overtime import checked

    (row,) = checked([overtime])
    assert (row.asked, row.counted) == (Decimal("4.0"), Decimal("3.5"))


def test_after_hours_punches_without_approval_are_reported_and_flagged(cast, client):
    punch_day(cast.employee, "2026-10-09", "08:55", "21:00")
    punch_day(cast.outsider, "2026-10-09", "08:55", "21:00")
    OvertimeFactory(employee=cast.outsider, date=date(2026, 10, 9), start_time=time(18, 30), end_time=time(21),
                    status=RequestStatus.APPROVED)
    totals = selectors.month_totals([cast.employee.pk, cast.outsider.pk], 2026, 10)
    assert totals[cast.employee.pk].unrequested_days == 1
    assert totals[cast.outsider.pk].unrequested_days == 0
    assert unrequested_overtime(date(2026, 10, 9)) == 1
    assert unrequested_overtime(date(2026, 10, 9)) == 0     # safe to run twice
    flag = Flag.objects.get()
    assert (flag.employee, flag.rule.code, flag.rule.clause) == (cast.employee, "unapproved-overtime", "zhidu-5")
    client.force_login(cast.supervisor.user)
    page = client.get("/attendance/team/month/?month=2026-10").content.decode()
    assert 'data-testid="unrequested"><span class="badge text-bg-warning">1</span>' in page


def test_lingering_a_little_after_work_is_not_overtime(cast):
    punch_day(cast.employee, "2026-10-09", "08:55", "18:25")
    assert selectors.month_totals([cast.employee.pk], 2026, 10)[cast.employee.pk].unrequested_days == 0


def test_unrequested_overtime_is_read_per_person_and_day_not_per_late_person_or_late_date(cast):
    """The database groups only the punches of (person, workday) pairs with a late punch and of rest days."""
    from attendance.overtime import unrequested

    punch_day(cast.employee, "2026-10-09", "08:55", "20:30")        # late on the 9th
    punch_day(cast.employee, "2026-10-12", "08:55", "18:05")        # a plain day of the late person
    punch_day(cast.outsider, "2026-10-12", "08:50", "21:00")        # late on the 12th
    punch_day(cast.outsider, "2026-10-09", "08:50", "18:10")        # a plain day on the late date
    punch_day(cast.supervisor, "2026-10-13", "20:15")               # one punch only: a missing punch, not overtime
    punch_day(cast.supervisor, "2026-10-11", "10:00", "12:30")      # a Sunday (rest day), no overtime asked
    found = unrequested([cast.employee.pk, cast.outsider.pk, cast.supervisor.pk], date(2026, 10, 1), date(2026, 10, 31))
    assert found == {(cast.employee.pk, date(2026, 10, 9)): 120, (cast.outsider.pk, date(2026, 10, 12)): 150,
                     (cast.supervisor.pk, date(2026, 10, 11)): 150}
    assert unrequested(None, date(2026, 10, 1), date(2026, 10, 31)) == found


def test_unrequested_overtime_from_the_punches_a_page_read_is_what_the_database_picks(cast):
    """month_totals hands `unrequested` the punches it read for the days (the team month); the export lets the
    database pick the candidate days. Both find the same minutes."""
    punch_day(cast.employee, "2026-10-09", "08:55", "21:40")      # a workday, well past the end
    punch_day(cast.employee, "2026-10-12", "08:55", "18:25")      # lingering only
    punch_day(cast.employee, "2026-10-10", "10:00", "15:00")      # Saturday 10-10 is a make-up workday in 2026
    punch_day(cast.employee, "2026-10-11", "10:00", "12:30")      # a Sunday
    punch_day(cast.outsider, "2026-10-11", "10:00")               # a single punch counts for nothing
    punch_day(cast.outsider, "2026-10-13", "08:50", "20:10")
    OvertimeFactory(employee=cast.outsider, date=date(2026, 10, 13), start_time=time(18, 30), end_time=time(19, 30),
                    status=RequestStatus.APPROVED)
    ids, start, end = [cast.employee.pk, cast.outsider.pk], date(2026, 10, 1), date(2026, 10, 31)
    picked = overtime_rules.unrequested(ids, start, end)
    assert picked == overtime_rules.unrequested(ids, start, end, punches=selectors.punches_by_day(ids, start, end),
                                                overtime=overtime_rules.approved(ids, start - timedelta(days=1), end))
    assert set(picked) == {(cast.employee.pk, date(2026, 10, 9)), (cast.employee.pk, date(2026, 10, 11)),
                           (cast.outsider.pk, date(2026, 10, 13))}
