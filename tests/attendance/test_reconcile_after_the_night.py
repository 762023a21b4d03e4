"""What happens after the night: an import, a holiday override, a concurrent recompute (issue 15)."""

from datetime import date

from django.core.management import call_command
import pytest

from attendance import selectors, services
from attendance.models import AttendanceDay, DayStatus
from discipline.models import Flag
from opsdept import nightly
from opsdept import services as opsdept_services
from opsdept.models import NightlyRun

DAY = date(2026, 10, 12)   # a Monday, a workday


def quiet():
    import io

    return io.StringIO()


def machine_file(*lines: str) -> bytes:
    return ("employee_no,timestamp\n" + "".join(line + "\n" for line in lines)).encode()


def absences():
    return Flag.objects.filter(date=DAY, rule__code="absent")


def test_a_machine_import_after_the_night_resolves_the_absence_it_disproves(cast):
    call_command("run_nightly_checks", "--date", DAY.isoformat(), stdout=quiet())
    absent = absences().get(employee=cast.employee)
    assert absent.status == Flag.Status.OPEN
    assert NightlyRun.objects.get(date=DAY).status == NightlyRun.Status.DONE

    no = cast.employee.employee_no
    services.import_punches(machine_file(f"{no},2026-10-12T08:55:00", f"{no},2026-10-12T18:05:00"),
                            actor=cast.hr.user, filename="late-machine.csv")
    absent.refresh_from_db()
    assert absent.status == Flag.Status.RESOLVED
    assert AttendanceDay.objects.get(employee=cast.employee, date=DAY).status == DayStatus.NORMAL
    # The others stay absent; the run log still shows the night as it ran.
    assert absences().filter(employee=cast.outsider, status=Flag.Status.OPEN).exists()
    assert NightlyRun.objects.get(date=DAY).summary["attendance.lateness"] >= 1


def test_an_import_that_shows_a_new_finding_after_the_night_flags_it(cast):
    call_command("run_nightly_checks", "--date", DAY.isoformat(), stdout=quiet())
    no = cast.employee.employee_no
    services.import_punches(machine_file(f"{no},2026-10-12T09:40:00", f"{no},2026-10-12T18:05:00"),
                            actor=cast.hr.user, filename="m.csv")
    assert absences().get(employee=cast.employee).status == Flag.Status.RESOLVED
    late = Flag.objects.get(employee=cast.employee, date=DAY, rule__code="late")
    assert late.status == Flag.Status.OPEN


def test_a_holiday_override_after_the_night_resolves_its_flags(cast):
    call_command("run_nightly_checks", "--date", DAY.isoformat(), stdout=quiet())
    open_before = absences().filter(status=Flag.Status.OPEN).count()
    assert open_before >= 5
    opsdept_services.set_calendar_override(DAY, actor=cast.hr.user, kind="holiday", note="公司活动日")
    assert not absences().filter(status=Flag.Status.OPEN).exists()
    assert absences().filter(status=Flag.Status.RESOLVED).count() == open_before
    assert not AttendanceDay.objects.filter(date=DAY).exists()


def test_a_holiday_override_before_the_night_means_the_night_flags_nothing(cast):
    opsdept_services.set_calendar_override(DAY, actor=cast.hr.user, kind="holiday", note="公司活动日")
    call_command("run_nightly_checks", "--date", DAY.isoformat(), stdout=quiet())
    assert not absences().exists()


def test_a_day_another_recompute_created_meanwhile_is_overwritten_not_an_integrity_error(cast, monkeypatch):
    """The race of two recomputes: rows appear between our read and our write (PostgreSQL, two workers)."""
    real = selectors.computed_days

    def meanwhile(ids, start, end):
        results = real(ids, start, end)
        AttendanceDay.objects.create(employee=cast.employee, date=DAY, status=DayStatus.NORMAL, punch_count=9)
        return results

    monkeypatch.setattr(selectors, "computed_days", meanwhile)
    services.refresh_attendance_days(employee_ids=None, start=DAY, end=DAY)
    row = AttendanceDay.objects.get(employee=cast.employee, date=DAY)
    assert (row.status, row.punch_count) == (DayStatus.ABSENT, 0)
    assert AttendanceDay.objects.filter(date=DAY).count() == AttendanceDay.objects.filter(date=DAY).values("employee").distinct().count()


def test_reconcile_raises_new_findings_only_on_nights_that_are_done(cast):
    NightlyRun.objects.create(date=DAY, status=NightlyRun.Status.FAILED)
    services.reconcile_days(cast.employee, DAY, DAY, actor=None, note="test")
    assert not Flag.objects.exists()      # a failed night is not done: the night raises them itself
    assert nightly.done_dates(DAY, DAY) == set()
