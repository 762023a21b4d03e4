"""The team month's charts: fed by selectors, handed to charts.js as JSON, with the numbers on the page as text."""

import json
from datetime import date
from decimal import Decimal

from django.urls import reverse

from attendance import selectors
from attendance.services import refresh_attendance_days
from tests.attendance.factories import punch_day


def _week(cast):
    punch_day(cast.employee, "2026-11-23", "09:25", "18:05")   # late
    punch_day(cast.employee, "2026-11-24", "08:50", "18:05")   # on time; 11-25 absent
    punch_day(cast.clerk, "2026-11-23", "08:50", "18:05")
    punch_day(cast.clerk, "2026-11-24", "08:50", "18:05")
    punch_day(cast.clerk, "2026-11-25", "08:50", "18:05")
    refresh_attendance_days(employee_ids=[cast.employee.pk, cast.clerk.pk], start=date(2026, 11, 23), end=date(2026, 11, 25))


def test_the_trend_counts_stored_days_per_month_and_punctuality(cast):
    _week(cast)
    trend = selectors.attendance_trend(selectors.team_queryset(cast.supervisor.user), date(2026, 11, 1))
    assert len(trend) == 12 and trend[0].month == date(2025, 12, 1) and trend[-1].month == date(2026, 11, 1)
    november = trend[-1]
    assert (november.attended, november.late, november.absent) == (5, 1, 1)
    assert november.punctuality == Decimal("80.0")
    assert trend[0].punctuality is None                      # nobody tracked then: a gap, not 0 %
    chart = selectors.trend_chart(trend)
    assert chart["percent_axis"] and chart["series"][3]["data"][-1] == 80 and chart["series"][3]["data"][0] is None


def test_the_team_month_page_hands_the_charts_their_json_and_keeps_the_numbers(client, cast):
    _week(cast)
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("attendance:team_month") + "?month=2026-11")
    html = response.content.decode()
    daily = response.context["daily_chart"]
    late, absent, _leave = (series["data"] for series in daily["series"])
    monday = daily["categories"].index("11-23")
    assert late[monday] == 1 and absent[monday + 2] == 1
    assert '<script id="team-daily-chart" type="application/json">' in html
    assert 'data-chart="team-daily-chart"' in html and 'data-chart="team-trend-chart"' in html
    assert json.loads(html.split('<script id="team-trend-chart" type="application/json">')[1].split("</script>")[0])["series"]
    # Without JavaScript the same numbers read as a table.
    assert {"day": "11-23", "late": 1, "absent": 0, "leave": 0} in response.context["daily_counts"]
    assert "vendor/echarts/echarts.min.js" in html and "js/charts.js" in html
    assert not any(name in html for name in ("<script>", "onload="))


def test_the_month_grid_is_one_include_on_all_three_pages(client, cast):
    client.force_login(cast.supervisor.user)
    for url in (reverse("attendance:my_month"), reverse("attendance:team_month"), reverse("calendar")):
        names = [template.name for template in client.get(url + "?month=2026-11").templates]
        assert "_month_grid.html" in names, url
