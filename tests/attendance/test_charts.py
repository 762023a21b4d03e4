"""The team month's charts: fed by selectors, handed to charts.js as JSON, with the numbers on the page as text."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
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


def test_the_month_grid_is_one_include_on_both_full_size_pages(client, cast):
    client.force_login(cast.supervisor.user)
    for url in (reverse("attendance:my_month"), reverse("calendar")):
        names = [template.name for template in client.get(url + "?month=2026-11").templates]
        assert "_month_grid.html" in names, url


def test_the_team_month_s_small_grids_know_every_heat_map_colour(client, cast):
    """The team month's fifty small grids are built by one function (opsdept.web.compact_month_grid) under one-letter class names (issue 16: 1,500
    cells through the template engine were most of the page's time): every colour of the full grid has one."""
    from attendance.views import STATUS_CSS
    from opsdept import workcalendar
    from opsdept.web import SHORT_CSS

    kinds = {f"cal-{kind}" for name, kind in vars(workcalendar.Kind).items() if name.isupper() and kind != "workday"}
    assert set(STATUS_CSS.values()) | {"status-untracked", "cal-fallback"} | kinds <= set(SHORT_CSS)
    css = (Path(settings.BASE_DIR) / "static/css/opsdept.css").read_text()
    for short in set(SHORT_CSS.values()) | {"x"}:
        assert f".mgc .{short} " in css or f".mgc .{short}," in css, short
    _week(cast)
    client.force_login(cast.supervisor.user)
    html = client.get(reverse("attendance:team_month") + "?month=2026-11").content.decode()
    grid = html.split('data-testid="person-grid">')[1].split("</table>")[0]
    assert '<th>一</th>' in grid and '<td class="l">23</td>' in grid and '<td class="a">25</td>' in grid
    assert "title=" not in grid and "data-date" not in grid
