"""Approved leave turns attendance days into 请假; ending it early or cancelling recomputes them; absence flags close."""

from datetime import date
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.utils import translation

from attendance import export
from attendance.checks import flag_late_early_missing_and_absent as attendance_check
from attendance.models import AttendanceDay, DayStatus
from discipline.models import Flag
from leave import services
from tests.attendance.factories import punch_day

from .factories import leave_type
from .helpers import file_leave, local_time

MON, TUE = date(2026, 11, 23), date(2026, 11, 24)


def status_on(employee, day: date) -> str:
    return AttendanceDay.objects.get(employee=employee, date=day).status


def test_approving_leave_after_the_absence_flag_makes_the_day_leave_and_resolves_the_flag(cast):
    with local_time(2026, 11, 20):
        leave = file_leave(cast.employee, MON)
    with local_time(2026, 11, 24, 1, 30):
        attendance_check(MON)
    assert status_on(cast.employee, MON) == DayStatus.ABSENT
    flag = Flag.objects.get(employee=cast.employee, date=MON, rule__code="absent")
    with local_time(2026, 11, 24, 9):
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    assert status_on(cast.employee, MON) == DayStatus.ON_LEAVE
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED and flag.decision_note.startswith("已批准请假")


def test_half_a_day_of_leave_and_half_a_day_of_work_is_a_normal_day(cast):
    punch_day(cast.employee, "2026-11-23", "12:58", "18:02")
    with local_time(2026, 11, 20):
        leave = file_leave(cast.employee, MON, start_half="am", end_half="am")
    with local_time(2026, 11, 24, 9):
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    day = AttendanceDay.objects.get(employee=cast.employee, date=MON)
    assert (day.status, day.leave_fraction) == (DayStatus.NORMAL, Decimal("0.5"))


def test_ending_leave_early_turns_the_days_after_back_into_workdays(cast):
    with local_time(2026, 11, 25, 9):
        leave = services.record_emergency_leave(
            cast.employee.pk, actor=cast.supervisor.user, leave_type=leave_type(), start_date=MON, start_half="am",
            end_date=TUE, end_half="pm", granted_via="phone", note="电话",
        )
        assert [status_on(cast.employee, day) for day in (MON, TUE)] == [DayStatus.ON_LEAVE, DayStatus.ON_LEAVE]
        services.end_leave_early(leave.pk, actor=cast.supervisor.user, end_date=MON, end_half="pm", note="周二已返岗")
    assert [status_on(cast.employee, day) for day in (MON, TUE)] == [DayStatus.ON_LEAVE, DayStatus.ABSENT]


def test_cancelling_approved_leave_recomputes_its_days_inside_the_same_transaction(cast):
    with local_time(2026, 11, 20):
        leave = file_leave(cast.employee, date(2026, 11, 30), date(2026, 12, 1))
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
        seen = []
        original = services.reconcile_days

        def spy(employee, start, end, **kwargs):
            seen.append(((employee.pk, start, end), connection.in_atomic_block))
            return original(employee, start, end, **kwargs)

        with mock.patch("leave.services.reconcile_days", side_effect=spy):
            services.cancel_leave_request(leave.pk, actor=cast.employee.user)
    assert seen == [((cast.employee.pk, date(2026, 11, 30), date(2026, 12, 1)), True)]


def test_the_monthly_export_has_a_column_per_leave_type_after_attendances_own(cast):
    with local_time(2026, 11, 20):
        leave = file_leave(cast.employee, MON, TUE, start_half="pm")
    with local_time(2026, 11, 27, 9):
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
        with translation.override("zh-hans"):
            month = export.build(2026, 11)
    own = len(export.COLUMNS)
    assert month.headers[own:own + 3] == ["事假（天）", "病假（天）", "年假（天）"]
    row = next(row for row in month.rows if row[0] == cast.employee.employee_no)
    assert row[own] == Decimal("1.5") and row[own + 1] == Decimal("0")
    assert row[own - 2] == Decimal("1.5")   # 请假天数, attendance's total, agrees


def test_a_morning_off_approved_afterwards_resolves_the_late_flag_but_an_unexplained_absence_stays(cast):
    punch_day(cast.employee, "2026-11-23", "13:00", "18:01")       # came in at lunch, no approved leave yet
    with local_time(2026, 11, 20):
        morning = file_leave(cast.employee, MON, start_half="am", end_half="am")
        afternoon = file_leave(cast.clerk, MON, start_half="pm", end_half="pm")   # …but missed the morning too
    with local_time(2026, 11, 24, 1, 30):
        attendance_check(MON)
    late = Flag.objects.get(employee=cast.employee, date=MON, rule__code="late")
    absent = Flag.objects.get(employee=cast.clerk, date=MON, rule__code="absent")
    with local_time(2026, 11, 24, 9):
        services.approve_leave_request(morning.pk, actor=cast.supervisor.user)
        services.approve_leave_request(afternoon.pk, actor=cast.supervisor.user)
    late.refresh_from_db()
    absent.refresh_from_db()
    assert late.status == Flag.Status.RESOLVED and status_on(cast.employee, MON) == DayStatus.NORMAL
    assert absent.status == Flag.Status.OPEN      # half a day of leave does not explain a whole day away


def test_ending_leave_early_flags_again_the_day_it_uncovered_once_the_night_has_checked_it(cast):
    from opsdept import nightly

    with local_time(2026, 11, 20):
        leave = file_leave(cast.employee, MON, TUE)
    with local_time(2026, 11, 25, 1, 30):
        nightly.run_for_date(MON)
        nightly.run_for_date(TUE)
    absent = Flag.objects.get(employee=cast.employee, date=TUE, rule__code="absent")
    with local_time(2026, 11, 25, 9):
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    absent.refresh_from_db()
    assert absent.status == Flag.Status.RESOLVED
    with local_time(2026, 11, 25, 10):
        services.end_leave_early(leave.pk, actor=cast.supervisor.user, end_date=MON, end_half="pm", note="周二未请假")
    absent.refresh_from_db()
    assert absent.status == Flag.Status.OPEN and status_on(cast.employee, TUE) == DayStatus.ABSENT
    assert Flag.objects.get(employee=cast.employee, date=MON, rule__code="absent").status == Flag.Status.RESOLVED


def test_leave_reaches_attendance_and_discipline_only_through_their_services():
    import ast
    import pathlib

    tree = ast.parse(pathlib.Path(services.__file__).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.startswith(("attendance.models", "discipline."))}
