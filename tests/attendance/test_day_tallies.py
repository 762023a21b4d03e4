"""Everyone's stored days per date (issue 16): the manager's and HR's charts read `DayTally` rows, which
`selectors.day_tallies` keeps exact by the number of `DayChange` rows `refresh_attendance_days` adds per date."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import OperationalError, connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
import pytest

from attendance import selectors, services
from attendance.models import AttendanceDay, DayChange, DayStatus, DayTally
from opsdept import services as opsdept_services
from opsdept.durability import HardDeleteRefused
from opsdept.models import Employee
from tests.attendance.factories import punch_day
from tests.factories import EmployeeFactory

OCTOBER = (date(2026, 10, 12), date(2026, 10, 16))
User = get_user_model()


def _direct(last_month: date = date(2026, 10, 1)) -> tuple[dict, list]:
    """The charts grouped from every stored row (the team path, given everyone)."""
    everyone = Employee.objects.all()
    return selectors.daily_chart(everyone, last_month.year, last_month.month), selectors.attendance_trend(everyone, last_month)


def _tallied(last_month: date = date(2026, 10, 1)) -> tuple[dict, list]:
    return selectors.daily_chart(None, last_month.year, last_month.month), selectors.attendance_trend(None, last_month)


def _week(cast, fake_leave) -> None:
    """A week of October for several people: late, early, a missing punch, absent, a day and a half of leave."""
    fake_leave.days[(cast.employee.pk, date(2026, 10, 13))] = "1"
    fake_leave.days[(cast.employee.pk, date(2026, 10, 14))] = "0.5"
    fake_leave.days[(cast.clerk.pk, date(2026, 10, 16))] = "0.5"
    punch_day(cast.employee, "2026-10-12", "09:15", "18:00")
    punch_day(cast.employee, "2026-10-14", "13:00", "18:00")
    punch_day(cast.employee, "2026-10-15", "09:00")
    for day in ("2026-10-12", "2026-10-13", "2026-10-14"):
        punch_day(cast.clerk, day, "08:50", "17:30")
    punch_day(cast.clerk, "2026-10-15", "09:40", "18:10")
    punch_day(cast.outsider, "2026-10-12", "08:55", "18:00")
    services.refresh_attendance_days(employee_ids=None, start=OCTOBER[0], end=OCTOBER[1])


def test_the_tallies_give_the_same_charts_as_grouping_everyones_rows(cast, fake_leave):
    _week(cast, fake_leave)
    statuses = set(AttendanceDay.objects.values_list("status", flat=True))
    assert {DayStatus.LATE, DayStatus.EARLY, DayStatus.MISSING, DayStatus.ABSENT, DayStatus.ON_LEAVE} <= statuses
    assert _tallied() == _direct()
    daily, trend = _tallied()
    late, absent, leave = (series["data"] for series in daily["series"])
    assert sum(late) == 2 and sum(leave) == Decimal("2") and sum(absent) > 0
    assert trend[-1].attended and trend[-1].late == 2
    assert selectors.day_tallies(*OCTOBER)[date(2026, 10, 13)] == {
        status: (number, leave) for status, number, leave in
        (AttendanceDay.objects.filter(date=date(2026, 10, 13)).values_list("status").annotate(**_grouped()))}


def _grouped() -> dict:
    return {"n": Count("id"), "leave": Sum("leave_fraction")}


def test_the_manager_and_hr_read_the_tallies_and_see_what_a_team_sees(client, cast, fake_leave):
    _week(cast, fake_leave)
    daily, trend = _direct()
    for viewer in (cast.manager, cast.hr):
        client.force_login(viewer.user)
        response = client.get("/attendance/team/month/?month=2026-10")
        assert response.context["daily_chart"] == daily and response.context["trend"] == trend
        punctuality = selectors.team_punctuality(User.objects.get(pk=viewer.user.pk), date(2026, 10, 30))
        assert punctuality.trend == trend
    assert DayTally.objects.filter(date=date(2026, 10, 13)).exists()
    assert DayTally.objects.filter(date=date(2025, 11, 30), status="", days=0).exists()   # computed: no days that Sunday


def test_a_refresh_that_changes_days_changes_the_charts_on_the_next_read(cast, fake_leave):
    _week(cast, fake_leave)
    before, _trend = _tallied()
    # A correction-like re-judgement: the clerk, half a day on leave and absent the other half on the 16th, did work.
    absent_before = before["series"][1]["data"][before["categories"].index("10-16")]
    punch_day(cast.clerk, "2026-10-16", "08:50", "18:00")
    services.refresh_attendance_days(employee_ids=[cast.clerk.pk], start=date(2026, 10, 16), end=date(2026, 10, 16))
    after, _trend = _tallied()
    assert after["series"][1]["data"][after["categories"].index("10-16")] < absent_before
    assert _tallied() == _direct()
    # HR turns the 14th into a rest day: its rows go, and the month's worked days with them.
    attended = _tallied()[1][-1].attended
    opsdept_services.set_calendar_override(date(2026, 10, 14), actor=cast.hr.user, kind="holiday", note="停电")
    assert _tallied()[1][-1].attended < attended and "10-14" not in _tallied()[0]["categories"]
    assert _tallied() == _direct()
    # A new night stores the 19th.
    punch_day(cast.employee, "2026-10-19", "09:30", "18:00")
    services.refresh_attendance_days(employee_ids=None, start=date(2026, 10, 19), end=date(2026, 10, 19))
    daily, _trend = _tallied()
    assert daily["series"][0]["data"][daily["categories"].index("10-19")] == 1
    assert _tallied() == _direct()


def test_a_second_read_recomputes_nothing(cast, fake_leave, django_assert_num_queries):
    _week(cast, fake_leave)
    with CaptureQueriesContext(connection) as first:
        selectors.day_tallies(date(2025, 11, 1), date(2026, 10, 31))
    assert any("attendance_attendanceday" in query["sql"] for query in first.captured_queries)
    rows = list(DayTally.objects.order_by("pk").values_list("pk", flat=True))
    # The change counts of the range, then the tallies computed at those counts.
    with django_assert_num_queries(2):
        again = selectors.day_tallies(date(2025, 11, 1), date(2026, 10, 31))
    assert list(DayTally.objects.order_by("pk").values_list("pk", flat=True)) == rows
    assert again[date(2026, 10, 12)] and again[date(2026, 10, 11)] == {}


def test_a_refresh_recomputes_only_the_dates_it_changed(cast, fake_leave):
    _week(cast, fake_leave)
    selectors.day_tallies(*OCTOBER)
    punch_day(cast.outsider, "2026-10-13", "08:55", "18:00")
    services.refresh_attendance_days(employee_ids=[cast.outsider.pk], start=OCTOBER[0], end=OCTOBER[1])
    assert list(DayChange.objects.filter(date=date(2026, 10, 13)).values_list("date", flat=True)) == [date(2026, 10, 13)] * 2
    assert DayChange.objects.filter(date=date(2026, 10, 12)).count() == 1   # the outsider's 12th did not change
    with CaptureQueriesContext(connection) as read:
        tallies = selectors.day_tallies(*OCTOBER)
    recompute = [query["sql"] for query in read.captured_queries if "attendance_attendanceday" in query["sql"]]
    assert len(recompute) == 1 and "2026-10-13" in recompute[0] and "2026-10-12" not in recompute[0]
    assert tallies[date(2026, 10, 13)][DayStatus.NORMAL][0] == 1   # the outsider, now on time (the clerk left early)
    # The rows of the lower count are gone; the higher count's stand.
    assert set(DayTally.objects.filter(date=date(2026, 10, 13)).values_list("changes", flat=True)) == {2}


def test_days_stored_before_the_change_log_existed_count_at_zero(cast):
    AttendanceDay.objects.create(employee=cast.employee, date=date(2026, 10, 12), status=DayStatus.LATE)
    AttendanceDay.objects.create(employee=cast.clerk, date=date(2026, 10, 12), status=DayStatus.ON_LEAVE,
                                 leave_fraction=Decimal("1"))
    assert not DayChange.objects.exists()
    daily, trend = _tallied()
    assert (daily, trend) == _direct()
    assert trend[-1].late == 1 and trend[-1].leave == 1
    assert set(DayTally.objects.values_list("changes", flat=True)) == {0}


def test_two_readers_computing_the_same_dates_keep_one_row_per_count(cast, fake_leave):
    _week(cast, fake_leave)
    first = selectors._compute_tallies([date(2026, 10, 12), date(2026, 10, 13)])
    second = selectors._compute_tallies([date(2026, 10, 12), date(2026, 10, 13)])   # a second reader, the same snapshot
    assert first == second
    assert DayTally.objects.filter(date=date(2026, 10, 12), status="").count() == 1
    assert selectors.day_tallies(date(2026, 10, 12), date(2026, 10, 12))[date(2026, 10, 12)] == first[date(2026, 10, 12)]


def test_a_supervisor_keeps_the_team_query(cast, fake_leave):
    _week(cast, fake_leave)
    trend = selectors.team_punctuality(User.objects.get(pk=cast.supervisor.user.pk), date(2026, 10, 30)).trend
    assert not DayTally.objects.exists()
    assert trend[-1].attended < _direct()[1][-1].attended   # the outsider's day is not the team's


def test_the_manager_s_pages_read_the_tallies_in_as_many_queries_as_the_company_grows(client, cast, fake_leave):
    """Warm reads: the change counts and the tallies, whatever the number of people and days."""
    _week(cast, fake_leave)
    client.force_login(cast.manager.user)
    counts = {}
    for size in ("few", "more"):
        if size == "more":
            for _number in range(12):
                member = EmployeeFactory(department=cast.employee.department, supervisor=cast.supervisor)
                punch_day(member, "2026-10-12", "09:10", "18:00")
            services.refresh_attendance_days(employee_ids=None, start=OCTOBER[0], end=OCTOBER[1])
        for url in ("/", "/attendance/team/month/?month=2026-10"):
            client.get(url)  # the first read after a change recomputes that date
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            counts[size, url] = len(queries)
            # No grouping of the days by date (the charts' read of every row); the page of people's month
            # totals groups their own rows by person (selectors.stored_totals).
            assert sum("attendance_attendanceday" in query["sql"] and 'GROUP BY "attendance_attendanceday"."date"'
                       in query["sql"] for query in queries.captured_queries) == 0, url
    assert counts["few", "/"] == counts["more", "/"]
    assert counts["few", "/attendance/team/month/?month=2026-10"] == counts["more", "/attendance/team/month/?month=2026-10"]


def test_a_store_that_fails_still_answers_and_the_next_read_computes_again(cast, fake_leave, monkeypatch):
    """Two readers storing the same dates may deadlock (PostgreSQL) or find SQLite busy: storing only saves work."""
    _week(cast, fake_leave)

    def busy(*args, **kwargs):
        raise OperationalError("deadlock detected")

    with monkeypatch.context() as patch:
        patch.setattr(DayTally.objects, "bulk_create", busy)
        assert _tallied() == _direct()
    assert not DayTally.objects.exists()
    assert _tallied() == _direct() and DayTally.objects.exists()


def test_the_change_log_is_never_deleted(cast, fake_leave):
    _week(cast, fake_leave)
    with pytest.raises(HardDeleteRefused):
        DayChange.objects.filter(date=date(2026, 10, 12)).delete()
