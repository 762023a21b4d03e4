"""The nightly check: refresh the day, flag lateness, early leave, missing punches and absences once."""

from datetime import date, time

from django.core.management import call_command

from attendance.checks import flag_late_early_missing_and_absent
from discipline.models import Flag
from opsdept import nightly
from tests.attendance.factories import punch_day

DAY = date(2026, 10, 12)


def ours():
    """The flags this chapter raised (other chapters' checks run in run_nightly_checks too)."""
    return Flag.objects.filter(source="attendance.lateness")


def codes(employee) -> set[str]:
    return set(ours().filter(employee=employee, date=DAY).values_list("rule__code", flat=True))


def test_the_check_is_registered():
    assert "attendance.lateness" in nightly.registered()


def test_check_flags_each_finding_once_even_when_run_again(cast):
    punch_day(cast.employee, "2026-10-12", "09:20", "17:40")      # late and early
    punch_day(cast.clerk, "2026-10-12", "08:50")                  # missing punch
    punch_day(cast.supervisor, "2026-10-12", "08:50", "18:10")    # fine
    raised = flag_late_early_missing_and_absent(DAY)
    assert codes(cast.employee) == {"late", "early-leave"}
    assert codes(cast.clerk) == {"missing-punch"}
    assert codes(cast.supervisor) == set()
    assert codes(cast.outsider) == {"absent"}
    assert raised == ours().count()
    assert flag_late_early_missing_and_absent(DAY) == 0
    call_command("run_nightly_checks", "--date", "2026-10-12", stdout=open("/dev/null", "w"))
    assert ours().count() == raised


def test_no_flags_on_a_holiday(cast):
    assert flag_late_early_missing_and_absent(date(2026, 10, 1)) == 0
    assert not ours().exists()


def test_approved_correction_resolves_the_missing_punch_flag(cast):
    from attendance import services

    punch_day(cast.employee, "2026-10-12", "08:55")
    flag_late_early_missing_and_absent(DAY)
    correction = services.request_correction(actor=cast.employee.user, day=DAY, clock=time(18, 0), reason="忘记打卡")
    services.decide_correction(correction.pk, actor=cast.supervisor.user, approve=True)
    assert Flag.objects.get(employee=cast.employee, date=DAY, rule__code="missing-punch").status == Flag.Status.RESOLVED
