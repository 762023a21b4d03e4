"""Building a roster: start from a holiday period, fill evenly (fairly, skipping leave), set days, publish."""

from datetime import date, time

import pytest

from duty import selectors, services
from duty.models import DutyAssignment, DutyRoster
from duty.services import DutyError, ShiftPlan
from opsdept.models import AuditEvent, Notification
from opsdept.registries import Cover
from tests.factories import EmployeeFactory

from .conftest import NATIONAL_DAY, national_day_roster

pytestmark = pytest.mark.django_db


def test_starting_a_roster_makes_one_all_day_shift_per_day(cast, clock):
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    days = list(roster.days.order_by("date"))
    assert [d.date for d in days][0] == date(2026, 10, 1) and len(days) == 7
    assert all(d.shifts.count() == 1 and d.shifts.get().start_time == time(9, 0) for d in days)
    assert roster.status == DutyRoster.Status.DRAFT
    assert AuditEvent.objects.filter(action="duty.roster_created").count() == 1


def test_a_roster_over_workdays_is_refused_unless_hr_declared_the_period(cast, clock):
    with pytest.raises(DutyError):
        services.start_duty_roster(actor=cast.supervisor.user, start_date=date(2026, 10, 8), end_date=date(2026, 10, 10))
    assert not DutyRoster.objects.exists()
    services.declare_duty_period(actor=cast.hr.user, name="双十一", start_date=date(2026, 11, 10), end_date=date(2026, 11, 12))
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=date(2026, 11, 10), end_date=date(2026, 11, 12))
    assert roster.days.count() == 3


def test_staff_cannot_declare_a_period_or_start_a_roster(cast, clock):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.declare_duty_period(actor=cast.supervisor.user, name="x", start_date=date(2026, 11, 10), end_date=date(2026, 11, 11))
    with pytest.raises(PermissionDenied):
        services.start_duty_roster(actor=cast.employee.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])


def test_dates_far_outside_the_business_range_are_refused(cast, clock):
    with pytest.raises(DutyError):
        services.declare_duty_period(actor=cast.hr.user, name="x", start_date=date(1900, 1, 1), end_date=date(1900, 1, 2))


def test_fill_evenly_spreads_days_fairly_over_the_team(cast, clock):
    roster = national_day_roster(cast, publish=False)
    team = {cast.supervisor.pk, cast.employee.pk, cast.clerk.pk}
    counts = {pk: DutyAssignment.objects.filter(shift__day__roster=roster, employee_id=pk).count() for pk in team}
    # Seven days over three people: nobody has more than one day more than anyone else.
    assert sum(counts.values()) == 7 and max(counts.values()) - min(counts.values()) <= 1
    assert all(day.responsible_id in team for day in roster.days.all())


def test_fill_evenly_counts_duty_days_of_the_last_twelve_months(cast, clock):
    # The employee held three published duty days at Mid-Autumn; the others none.
    mid = services.start_duty_roster(actor=cast.supervisor.user, start_date=date(2026, 9, 25), end_date=date(2026, 9, 27))
    for day in mid.days.all():
        services.set_duty_day(day.pk, actor=cast.supervisor.user, responsible_id=cast.employee.pk,
                              shifts=[ShiftPlan(time(9), time(18), {cast.employee.pk: ""})])
    services.publish_duty_roster(mid.pk, actor=cast.supervisor.user)
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    proposal = selectors.propose_rotation(roster)
    assert proposal.past_counts[cast.employee.pk] == 3
    # 3 + n for the employee stays level with the others: 10 days over 3 people → the employee gets at most 1 of the 7.
    assert proposal.proposed_counts[cast.employee.pk] <= 1
    assert proposal.proposed_counts[cast.supervisor.pk] + proposal.proposed_counts[cast.clerk.pk] >= 6


def test_fill_evenly_skips_people_on_approved_leave_over_the_holiday(cast, clock, monkeypatch):
    # Leave over the workdays before and after the holiday spans it: the employee is away the whole week.
    def covered(ids, first, last):
        return {(cast.employee.pk, date(2026, 9, 30)), (cast.employee.pk, date(2026, 10, 8))}

    monkeypatch.setattr(selectors, "_leave_covered", covered)
    roster = national_day_roster(cast, publish=False)
    assert not DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee).exists()
    with pytest.raises(DutyError, match="张员工"):
        services.set_duty_day(roster.days.first().pk, actor=cast.supervisor.user, responsible_id=cast.employee.pk,
                              shifts=[ShiftPlan(time(9), time(18), {cast.employee.pk: ""})])


def test_a_day_needs_exactly_one_responsible_person_who_is_on_it(cast, clock):
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    day = roster.days.first()
    plans = [ShiftPlan(time(9), time(13), {cast.employee.pk: "13900000000"}), ShiftPlan(time(13), time(18), {cast.clerk.pk: ""})]
    with pytest.raises(DutyError):
        services.set_duty_day(day.pk, actor=cast.supervisor.user, responsible_id=None, shifts=plans)
    with pytest.raises(DutyError):
        services.set_duty_day(day.pk, actor=cast.supervisor.user, responsible_id=cast.supervisor.pk, shifts=plans)
    assert not DutyAssignment.objects.filter(shift__day=day).exists()
    services.set_duty_day(day.pk, actor=cast.supervisor.user, responsible_id=cast.clerk.pk, shifts=plans)
    day.refresh_from_db()
    assert day.responsible == cast.clerk and day.shifts.count() == 2
    assert DutyAssignment.objects.get(shift__day=day, employee=cast.employee).phone == "13900000000"


def test_people_outside_the_team_or_inactive_are_refused(cast, clock):
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    day = roster.days.first()
    gone = EmployeeFactory(supervisor=cast.supervisor, is_active=False)
    for person in (cast.outsider, gone):
        with pytest.raises(DutyError):
            services.set_duty_day(day.pk, actor=cast.supervisor.user, responsible_id=person.pk,
                                  shifts=[ShiftPlan(time(9), time(18), {person.pk: ""})])


def test_publishing_needs_every_day_covered_and_notifies_everyone_on_it(cast, clock):
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    with pytest.raises(DutyError):
        services.publish_duty_roster(roster.pk, actor=cast.supervisor.user)
    services.fill_roster_evenly(roster.pk, actor=cast.supervisor.user)
    services.publish_duty_roster(roster.pk, actor=cast.supervisor.user)
    roster.refresh_from_db()
    assert roster.is_published and roster.published_by == cast.supervisor
    assert Notification.objects.filter(recipient=cast.employee, subject__contains="10-0").exists()
    # Once published, days change only through swaps.
    with pytest.raises(DutyError):
        services.set_duty_day(roster.days.first().pk, actor=cast.supervisor.user, responsible_id=cast.employee.pk,
                              shifts=[ShiftPlan(time(9), time(18), {cast.employee.pk: ""})])


def test_another_supervisor_cannot_arrange_this_roster(cast, clock):
    from django.core.exceptions import PermissionDenied

    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    with pytest.raises(PermissionDenied):
        services.fill_roster_evenly(roster.pk, actor=cast.other_supervisor.user)
    services.fill_roster_evenly(roster.pk, actor=cast.manager.user)  # the manager arranges any roster


def test_duty_days_show_in_attendance_as_worked_rest_days(cast, clock):
    national_day_roster(cast)
    covers = selectors.duty_covers(None, date(2026, 10, 1), date(2026, 10, 7))
    assert len(covers) == 7 and all(isinstance(cover, Cover) for cover in covers.values())


def test_export_and_year_summary_count_duty_days_and_hours(cast, clock):
    from duty.registered import DutyExportColumns, year_duty_days

    national_day_roster(cast)
    columns = DutyExportColumns()
    values = columns.values([cast.employee.pk, cast.hr.pk], date(2026, 10, 1), date(2026, 10, 31))
    days = DutyAssignment.objects.filter(employee=cast.employee).count()
    assert values[cast.employee.pk][0] == days and values[cast.employee.pk][1] == 9 * days
    assert values[cast.hr.pk] == [0, 0, 0, 0]   # no duty days or hours, no paid duty worked
    assert list(year_duty_days([cast.employee.pk], 2026)[cast.employee.pk].values())[0] == days


def test_the_calendar_feed_lists_published_duty_shifts(cast, clock):
    from opsdept import registries

    roster = national_day_roster(cast)
    items = registries.calendar_feed_items.get("duty")(cast.employee, date(2026, 9, 1), date(2026, 10, 31))
    held = DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee, is_active=True).count()
    assert len(items) == held > 0
    uid, start, end, summary, _description = items[0]
    assert uid.startswith("duty-assignment-") and start.tzinfo is not None and (end - start).seconds == 9 * 3600


def test_real_leave_spanning_the_holiday_keeps_the_person_off_the_roster(cast):
    from leave import services as leave_services
    from tests.leave.helpers import file_leave, local_time

    with local_time(2026, 9, 28):
        leave = file_leave(cast.employee, date(2026, 9, 30), date(2026, 10, 8), reason="回老家")
        leave_services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
        roster = national_day_roster(cast, publish=False)
    assert not DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee).exists()
    assert selectors.leave_on_days([cast.employee.pk, cast.clerk.pk], [date(2026, 10, 3)]) == {(cast.employee.pk, date(2026, 10, 3))}
    # Leave that ends before the holiday does not span it.
    assert not selectors.leave_on_days([cast.clerk.pk], [date(2026, 10, 3)])
