"""The nightly duty-missed check and the comp time a worked duty day earns; both safe to rerun."""

from datetime import date
from decimal import Decimal

import pytest

from attendance.comptime import comp_time_balance
from attendance.models import CompTimeEntry
from discipline.models import Flag
from duty import checks, services
from duty.models import DutyAssignment, DutyPeriod
from opsdept import registries

from .conftest import national_day_roster, punch

pytestmark = pytest.mark.django_db
OCT1, OCT2 = date(2026, 10, 1), date(2026, 10, 2)
# The first workday after National Day 2026 is Thursday 10-08: logs for 10-01…10-07 are due by its end.
LOG_DUE = date(2026, 10, 8)


def people_on(roster, day):
    return [a.employee for a in DutyAssignment.objects.filter(shift__day__roster=roster, shift__day__date=day, is_active=True)]


def test_the_checks_are_registered():
    assert "duty.missed" in registries.nightly_checks and "duty.comp_time" in registries.nightly_checks


def test_a_duty_day_nobody_punched_on_is_flagged_once(cast, clock):
    roster = national_day_roster(cast)
    for person in people_on(roster, OCT2):
        punch(person, OCT2)
    assert checks.missed_duty(OCT1) == len(people_on(roster, OCT1))
    assert checks.missed_duty(OCT1) == 0  # the rerun adds nothing
    assert checks.missed_duty(OCT2) == 0
    flagged = Flag.objects.get(rule__code="duty-missed")
    assert flagged.date == OCT1 and flagged.employee in people_on(roster, OCT1)


def test_a_missing_log_is_flagged_at_the_end_of_the_next_workday(cast, clock):
    roster = national_day_roster(cast)
    for day in roster.period.days:
        for person in people_on(roster, day):
            punch(person, day)
    first = roster.days.order_by("date").first()
    services.write_duty_log(first.pk, actor=first.responsible.user, checked="巡检正常", today=first.date)
    # Before the deadline (a holiday, then the weekend days) nothing about logs is flagged.
    assert sum(checks.missed_duty(day) for day in roster.period.days) == 0
    raised = checks.missed_duty(LOG_DUE)
    assert raised == 6  # every day but the logged one
    assert checks.missed_duty(LOG_DUE) == 0
    flags = Flag.objects.filter(rule__code="duty-missed")
    assert {f.date for f in flags} == set(roster.period.days) - {first.date}
    assert all(f.employee_id == roster.days.get(date=f.date).responsible_id for f in flags)


def test_a_worked_duty_day_credits_comp_time_once(cast, clock):
    roster = national_day_roster(cast)
    worker = people_on(roster, OCT1)[0]
    punch(worker, OCT1)
    checks.comp_time_for_worked_duty(OCT1)
    checks.comp_time_for_worked_duty(OCT1)
    entry = CompTimeEntry.objects.get(employee=worker)
    assert entry.kind == "credit" and entry.hours == Decimal("9.00") and entry.created_by is None
    assert comp_time_balance(worker, on=OCT2) == Decimal("9.00")


def test_a_paid_period_earns_no_comp_time(cast, clock):
    roster = national_day_roster(cast)
    services.set_duty_compensation(actor=cast.hr.user, start_date=roster.period.start_date, end_date=roster.period.end_date,
                                   compensation=DutyPeriod.Compensation.PAY, pay_rate=Decimal("3"))
    worker = people_on(roster, OCT1)[0]
    punch(worker, OCT1)
    checks.comp_time_for_worked_duty(OCT1)
    assert not CompTimeEntry.objects.exists()


def test_only_hr_sets_the_compensation_and_the_rate_is_bounded(cast, clock):
    from django.core.exceptions import PermissionDenied

    from duty.services import DutyError

    with pytest.raises(PermissionDenied):
        services.set_duty_compensation(actor=cast.supervisor.user, start_date=OCT1, end_date=date(2026, 10, 7),
                                       compensation="pay", pay_rate=Decimal("3"))
    with pytest.raises(DutyError):
        services.set_duty_compensation(actor=cast.hr.user, start_date=OCT1, end_date=date(2026, 10, 7),
                                       compensation="pay", pay_rate=Decimal("30"))


def test_everyone_on_duty_is_reminded_once_on_the_workday_before(cast, clock):
    """The duty reminder is a registered reminder (17:00 on the workday before), never a nightly check."""
    from datetime import datetime

    from opsdept import registries
    from opsdept.models import Notification
    from opsdept.reminders import send_reminders

    from .conftest import SHANGHAI

    assert "duty.reminders" not in registries.nightly_checks and "duty.tomorrow" in registries.reminders
    roster = national_day_roster(cast)
    clock(datetime(2026, 9, 30, 17, 0, tzinfo=SHANGHAI))  # 09-30 is the last workday before the holiday
    before = Notification.objects.filter(recipient=cast.employee).count()
    send_reminders("17:00", date(2026, 9, 30))
    send_reminders("17:00", date(2026, 9, 30))
    held = sorted(a.shift.day.date for a in DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee)
                  .select_related("shift__day"))
    reminders = Notification.objects.filter(recipient=cast.employee, key__startswith="duty.tomorrow:")
    assert reminders.count() == 1 and Notification.objects.filter(recipient=cast.employee).count() >= before + 1
    assert all(d.strftime("%m-%d") in reminders.get().subject for d in held)
    # A holiday is not a workday: nobody is reminded on it.
    assert send_reminders("17:00", date(2026, 10, 1)) == 0
