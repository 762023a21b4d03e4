"""外出 / 出差: approved like leave; an approved trip's days count as attended (no punch needed), in the export as 出差天数."""

from datetime import date
from decimal import Decimal

import pytest

from attendance import export, selectors
from attendance.checks import flag_late_early_missing_and_absent as attendance_check
from attendance.models import AttendanceDay, DayStatus
from discipline.models import Flag
from leave import services
from leave.errors import LeaveError
from leave.models import BusinessTrip, Half
from tests.attendance.factories import punch_day

from .helpers import file_leave, local_time

MON, TUE, WED = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)


def file_trip(employee, start: date, end: date | None = None, *, start_half: str = Half.MORNING,
              end_half: str = Half.AFTERNOON, kind: str = BusinessTrip.Kind.TRIP) -> BusinessTrip:
    return services.file_business_trip(employee.pk, actor=employee.user, kind=kind, start_date=start, start_half=start_half,
                                       end_date=end or start, end_half=end_half, destination="杭州", reason="客户现场支持")


def test_an_approved_trip_makes_the_day_attended_without_a_punch_and_resolves_the_absence(cast):
    with local_time(2026, 11, 20):
        trip = file_trip(cast.employee, MON, TUE)
    assert trip.days == Decimal("2")
    with local_time(2026, 11, 24, 1, 30):
        attendance_check(MON)
    flag = Flag.objects.get(employee=cast.employee, date=MON, rule__code="absent")
    with local_time(2026, 11, 26, 9):
        services.decide_business_trip(trip.pk, actor=cast.supervisor.user, approve=True)
    day = AttendanceDay.objects.get(employee=cast.employee, date=MON)
    assert day.status == DayStatus.BUSINESS
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED
    totals = selectors.month_totals([cast.employee.pk], 2026, 11, today=date(2026, 11, 26))[cast.employee.pk]
    assert totals.days[TUE].present_days == 1 and totals.days[TUE].absent_days == 0


def test_half_a_day_offsite_and_half_at_the_office(cast):
    with local_time(2026, 11, 20):
        trip = file_trip(cast.employee, MON, MON, end_half=Half.MORNING, kind=BusinessTrip.Kind.OUTING)
        services.decide_business_trip(trip.pk, actor=cast.supervisor.user, approve=True)
    punch_day(cast.employee, "2026-11-23", "13:00", "18:00")
    day = selectors.month_totals([cast.employee.pk], 2026, 11, today=date(2026, 11, 26))[cast.employee.pk].days[MON]
    assert (day.status, day.present_days, day.absent_days, day.late_minutes) == (DayStatus.NORMAL, 1, 0, 0)
    with local_time(2026, 11, 20):
        morning = file_trip(cast.employee, TUE, TUE, end_half=Half.MORNING, kind=BusinessTrip.Kind.OUTING)
        services.decide_business_trip(morning.pk, actor=cast.supervisor.user, approve=True)
    # no punch on Tuesday: the afternoon, neither worked nor on leave, is half an absence
    day = selectors.month_totals([cast.employee.pk], 2026, 11, today=date(2026, 11, 26))[cast.employee.pk].days[TUE]
    assert (day.present_days, day.absent_days) == (Decimal("0.5"), Decimal("0.5"))


def test_the_export_carries_days_on_business(cast):
    with local_time(2026, 11, 20):
        trip = file_trip(cast.employee, MON, WED, end_half=Half.MORNING)
        services.decide_business_trip(trip.pk, actor=cast.supervisor.user, approve=True)
    data = export.build(2026, 11, today=date(2026, 11, 28))
    column = data.headers.index("出差天数")
    row = next(row for row in data.rows if row[0] == cast.employee.employee_no)
    assert row[column] == Decimal("2.5")


def test_a_trip_overlapping_leave_is_refused_and_the_other_way_round(cast):
    with local_time(2026, 11, 20):
        file_leave(cast.employee, MON)
        with pytest.raises(LeaveError, match="请假|leave"):
            file_trip(cast.employee, MON, TUE)
        file_trip(cast.employee, TUE)
        with pytest.raises(LeaveError):
            file_leave(cast.employee, TUE)
        with pytest.raises(LeaveError):
            file_trip(cast.employee, TUE, WED)
    assert BusinessTrip.objects.count() == 1


def test_a_trip_ending_before_it_starts_is_refused(cast):
    with local_time(2026, 11, 20), pytest.raises(LeaveError):
        file_trip(cast.employee, TUE, MON)
    assert not BusinessTrip.objects.exists()


def test_nobody_approves_their_own_trip_and_a_rejection_needs_a_reason(cast):
    from django.core.exceptions import PermissionDenied

    with local_time(2026, 11, 20):
        trip = file_trip(cast.supervisor, MON)
        with pytest.raises(PermissionDenied):
            services.decide_business_trip(trip.pk, actor=cast.supervisor.user, approve=True)
        with pytest.raises(LeaveError):
            services.decide_business_trip(trip.pk, actor=cast.manager.user, approve=False)
        services.decide_business_trip(trip.pk, actor=cast.manager.user, approve=True)


def test_cancelling_an_approved_future_trip_reconciles_and_a_started_one_cannot_be_cancelled(cast):
    with local_time(2026, 11, 20):
        trip = file_trip(cast.employee, MON)
        services.decide_business_trip(trip.pk, actor=cast.supervisor.user, approve=True)
        services.cancel_business_trip(trip.pk, actor=cast.employee.user)
    assert BusinessTrip.objects.get().status == "cancelled"
    with local_time(2026, 11, 20):
        second = file_trip(cast.employee, MON)
        services.decide_business_trip(second.pk, actor=cast.supervisor.user, approve=True)
    with local_time(2026, 11, 24), pytest.raises(LeaveError):
        services.cancel_business_trip(second.pk, actor=cast.employee.user)
