"""Supervisors see their team's punctuality trend on the dashboard (issue 13, "pictures"): one grouped
query over the stored days whatever the team's size, the right numbers, and words beside the chart."""

import json
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from attendance import selectors
from attendance.models import AttendanceDay, DayStatus
from opsdept import workcalendar
from tests.factories import EmployeeFactory

TODAY = date(2026, 11, 27)
User = get_user_model()


def _workdays(year: int, month: int, before: date = TODAY) -> list[date]:
    return [info.date for info in workcalendar.month_days(year, month) if info.is_workday and info.date < before]


def _store(employee, day: date, status: str) -> None:
    AttendanceDay.objects.create(employee=employee, date=day, status=status,
                                 leave_fraction=Decimal("1") if status == DayStatus.ON_LEAVE else Decimal("0"))


def _autumn(cast) -> dict[str, list[date]]:
    """September to November as the nightly checks stored them for the supervisor's team and one outsider."""
    months = {"09": _workdays(2026, 9), "10": _workdays(2026, 10), "11": _workdays(2026, 11)}
    for key, days in months.items():
        for index, day in enumerate(days):
            # 张员工: late on the first three workdays of September, the first of October, never in November
            late = (key == "09" and index < 3) or (key == "10" and index == 0)
            _store(cast.employee, day, DayStatus.LATE if late else DayStatus.NORMAL)
            # 林记录: two days' leave in September, absent once in October, late and early once in November
            status = DayStatus.NORMAL
            if key == "09" and index in (5, 6):
                status = DayStatus.ON_LEAVE
            elif key == "10" and index == 2:
                status = DayStatus.ABSENT
            elif key == "11" and index == 4:
                status = DayStatus.LATE_EARLY
            _store(cast.clerk, day, status)
            _store(cast.outsider, day, DayStatus.LATE)  # another team: never counted
    return months


def test_the_team_punctuality_counts_each_month_from_the_stored_days(cast):
    months = _autumn(cast)
    found = selectors.team_punctuality(cast.supervisor.user, TODAY)
    by_month = {item.month: item for item in found.trend}
    assert len(found.trend) == 12 and found.trend[0].month == date(2025, 12, 1) and found.trend[-1].month == date(2026, 11, 1)
    september, october, november = (by_month[date(2026, m, 1)] for m in (9, 10, 11))
    nine, ten, eleven = (len(months[key]) for key in ("09", "10", "11"))
    assert (september.attended, september.late) == (2 * nine - 2, 3)       # two days on leave are not worked
    assert (october.attended, october.late, october.absent) == (2 * ten - 1, 1, 1)
    assert (november.attended, november.late) == (2 * eleven, 1)
    assert september.punctuality == (Decimal(100) * (2 * nine - 5) / (2 * nine - 2)).quantize(Decimal("0.1"))
    assert found.latest == november and found.late == 5
    worked = september.attended + october.attended + november.attended
    assert found.overall == (Decimal(100) * (worked - 5) / worked).quantize(Decimal("0.1"))
    assert [item.month.month for item in found.months] == [9, 10, 11]   # the table: months anyone worked
    late, on_time = (series["data"] for series in found.chart["series"])
    assert late[-3:] == [3, 1, 1] and late[:9] == [0] * 9
    assert on_time[-1] == float(november.punctuality) and on_time[0] is None   # no data: a gap, not 0 %
    assert found.chart["percent_axis"] and found.chart["categories"][-1] == "2026-11"


def test_the_punctuality_query_count_does_not_grow_with_the_team(cast):
    _store(cast.employee, date(2026, 11, 2), DayStatus.LATE)
    with CaptureQueriesContext(connection) as small:
        selectors.team_punctuality(User.objects.get(pk=cast.supervisor.user.pk), TODAY)
    for number in range(25):
        member = EmployeeFactory(department=cast.supervisor.department, supervisor=cast.supervisor)
        for day in _workdays(2026, 11)[:5]:
            _store(member, day, DayStatus.LATE if number % 3 == 0 else DayStatus.NORMAL)
    with CaptureQueriesContext(connection) as large:  # a fresh login, as on the next request
        found = selectors.team_punctuality(User.objects.get(pk=cast.supervisor.user.pk), TODAY)
    assert found.latest.attended == 1 + 25 * 5
    assert len(large) == len(small)
    assert sum("attendance_attendanceday" in query["sql"] for query in large.captured_queries) == 1  # one grouped query


def test_the_supervisor_dashboard_draws_the_trend_with_words_for_a_screen_reader(client, cast):
    _autumn(cast)
    client.force_login(cast.supervisor.user)
    with translation.override("zh-hans"):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="punctuality-card"' in html
    spec = json.loads(html.split('<script id="punctuality-chart" type="application/json">')[1].split("</script>")[0])
    assert spec["series"][0]["data"][-3:] == [3, 1, 1]
    assert 'aria-describedby="punctuality-summary"' in html and 'data-testid="punctuality-table"' in html
    summary = html.split('data-testid="punctuality-summary">')[1].split("</p>")[0]
    assert "2026-11" in summary and "%" in summary
    assert "vendor/echarts/echarts.min.js" in html


def test_staff_see_no_team_punctuality_and_an_empty_team_gets_a_sentence(client, cast):
    client.force_login(cast.employee.user)
    assert 'data-testid="punctuality-card"' not in client.get("/").content.decode()
    client.force_login(cast.other_supervisor.user)
    html = client.get("/").content.decode()
    assert 'data-testid="punctuality-card"' in html and 'data-testid="punctuality-empty"' in html
