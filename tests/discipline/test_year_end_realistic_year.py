"""The year-end summary over a realistic year: opsdept went live mid-year, one person left, one joined.

2025 from the go-live date, 2025-07-01, has 128 workdays (chinese_calendar: July 23, August 21,
September 23 with the make-up Sunday 09-28, October 18 after the National Day week and with the
make-up Saturday 10-11, November 20, December 23). Before go-live nothing counts: the page once showed
出勤天数 20/224 · 旷工天数 204 · 缺交日报 214 for everyone.

    张员工   every workday from go-live, except 3 days of approved personal leave (09-15 … 09-17),
             2 days absent (10-20, 12-03) and 2 late mornings (07-08, 11-11); a report each day worked
    高离职   left on 2025-08-29 (a Friday): July 23 + August 21 = 44 workdays, all worked
    徐新人   hired on 2025-11-03: November 20 + December 23 = 43 workdays, all worked
"""

from datetime import date, time
from decimal import Decimal

from django.urls import reverse
import pytest

from attendance import selectors as attendance_selectors
from attendance.days import local_moment
from attendance.models import Punch
from attendance.services import refresh_attendance_days
from leave.models import LeaveRequest
from opsdept import workcalendar
from opsdept.models import WorkSchedule
from tests.factories import EmployeeFactory
from tests.leave.factories import LeaveRequestFactory
from worklog.models import DailyReport
from worklog.selectors import year_summary

GO_LIVE = date(2025, 7, 1)
LEAVE = [date(2025, 9, 15), date(2025, 9, 16), date(2025, 9, 17)]
ABSENT = [date(2025, 10, 20), date(2025, 12, 3)]
LATE = [date(2025, 7, 8), date(2025, 11, 11)]


def _work(employee, days: list[date], *, report: bool = True) -> None:
    punches, reports = [], []
    for day in days:
        start = time(9, 20) if day in LATE else time(8, 50)
        punches += [Punch(employee=employee, at=local_moment(day, start), local_date=day, source=Punch.Source.IMPORT),
                    Punch(employee=employee, at=local_moment(day, time(18, 5)), local_date=day, source=Punch.Source.IMPORT)]
        if report:
            reports.append(DailyReport(employee=employee, date=day, done="处理工单", completion=100, plan="继续"))
    Punch.objects.bulk_create(punches)
    DailyReport.objects.bulk_create(reports)


@pytest.fixture
def year_2025(cast):
    schedule = WorkSchedule.current()
    schedule.go_live_date = GO_LIVE
    schedule.save()
    workdays = workcalendar.workdays_between(GO_LIVE, date(2025, 12, 31))
    assert len(workdays) == 128
    # Before go-live there are punches from a trial run: they must not count either way.
    _work(cast.employee, [date(2025, 3, 3), date(2025, 3, 4)], report=False)
    _work(cast.employee, [day for day in workdays if day not in LEAVE + ABSENT])
    LeaveRequestFactory(employee=cast.employee, start_date=LEAVE[0], end_date=LEAVE[-1], days=Decimal("3"),
                        status=LeaveRequest.Status.APPROVED, decided_by=cast.supervisor)
    leaver = EmployeeFactory(name="高离职", supervisor=cast.supervisor, department=cast.employee.department,
                             hire_date=date(2021, 3, 1), leave_date=date(2025, 8, 29), is_active=False)
    _work(leaver, [day for day in workdays if day <= date(2025, 8, 29)])
    newcomer = EmployeeFactory(name="徐新人", supervisor=cast.supervisor, department=cast.employee.department,
                               hire_date=date(2025, 11, 3), work_start_date=date(2025, 11, 3))
    _work(newcomer, [day for day in workdays if day >= date(2025, 11, 3)])
    # A departure after the year and a hire after it: neither belongs in 2025.
    EmployeeFactory(name="明年来", supervisor=cast.supervisor, department=cast.employee.department, hire_date=date(2026, 2, 2))
    refresh_attendance_days(employee_ids=[cast.employee.pk, leaver.pk, newcomer.pk], start=GO_LIVE, end=date(2025, 12, 31))
    return {"employee": cast.employee, "leaver": leaver, "newcomer": newcomer}


def _attendance(person) -> dict:
    return attendance_selectors.year_summary_columns([person.pk], 2025)[person.pk]


def test_the_employee_counts_from_go_live_with_leave_absences_and_lateness(year_2025):
    numbers = _attendance(year_2025["employee"])
    assert numbers["出勤天数"] == "123/128"
    assert numbers["旷工天数"] == "2"
    assert numbers["请假天数"] == "3"
    assert numbers["迟到"] == 2
    assert numbers["缺卡"] == 0
    reports = year_summary([year_2025["employee"].pk], 2025)[year_2025["employee"].pk]
    assert reports["reports_written"] == 123
    assert reports["reports_missing"] == 2   # the absent days; the leave days owe no report


def test_the_leaver_counts_only_up_to_the_leave_date(year_2025):
    numbers = _attendance(year_2025["leaver"])
    assert numbers["出勤天数"] == "44/44"
    assert numbers["旷工天数"] == "0"
    assert year_summary([year_2025["leaver"].pk], 2025)[year_2025["leaver"].pk]["reports_missing"] == 0


def test_the_newcomer_counts_only_from_the_hire_date(year_2025):
    numbers = _attendance(year_2025["newcomer"])
    assert numbers["出勤天数"] == "43/43"
    assert numbers["旷工天数"] == "0"
    assert year_summary([year_2025["newcomer"].pk], 2025)[year_2025["newcomer"].pk]["reports_missing"] == 0


def test_the_year_end_page_shows_the_leaver_and_the_newcomer_with_their_numbers(client, cast, year_2025):
    client.force_login(cast.manager.user)
    response = client.get(reverse("discipline:year_end") + "?year=2025")
    rows = {row.employee.name: row for row in response.context["rows"]}
    assert {"张员工", "高离职", "徐新人"} <= set(rows)
    assert "明年来" not in rows
    assert rows["张员工"].sections["attendance"]["旷工天数"] == "2"
    html = response.content.decode()
    assert "出勤天数 123/128" in html and "旷工天数 2" in html and "缺交日报 2" in html
    assert "出勤天数 44/44" in html and "出勤天数 43/43" in html
    assert "离职于 2025-08-29" in html and "入职于 2025-11-03" in html
    # Nobody who was not tracked the whole year reads as absent for months.
    assert "旷工天数 204" not in html and "缺交日报 214" not in html


def test_each_person_has_a_year_chart_of_the_same_days(client, cast, year_2025):
    client.force_login(cast.manager.user)
    response = client.get(reverse("discipline:year_end") + "?year=2025")
    charts = response.context["charts"]
    chart = charts[str(year_2025["employee"].pk)]
    by_name = {item["name"]: item["data"] for item in chart["series"]}
    assert sum(by_name["按时出勤"]) + sum(by_name["迟到"]) == 123
    assert by_name["迟到"][6] == 1 and by_name["迟到"][10] == 1   # July and November
    assert by_name["旷工"][9] == 1 and by_name["旷工"][11] == 1   # October and December
    assert by_name["请假"][8] == 3                                # September
    assert sum(by_name["按时出勤"][:6]) == 0                           # nothing before go-live
    assert 'id="year-charts"' in response.content.decode()
    assert f'data-chart-key="{year_2025["leaver"].pk}"' in response.content.decode()
