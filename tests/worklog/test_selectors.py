"""worklog.selectors.year_summary: the year's reports and tasks per employee, for the year-end bonus."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from opsdept import registries
from opsdept import workcalendar
from opsdept.models import WorkSchedule
from tests.factories import EmployeeFactory
from tests.worklog.conftest import SHANGHAI
from tests.worklog.factories import DailyReportFactory, TaskFactory
from worklog.selectors import year_summary


@pytest.fixture
def no_leave(only_registered):
    only_registered(registries.day_providers)


def test_year_summary_counts_reports_and_tasks(cast, clock, no_leave):
    # Today is Thursday 2026-11-26: the year's countable days run from 1 January to Wednesday.
    november = workcalendar.workdays_between(date(2026, 11, 1), date(2026, 11, 25))
    for day in november:
        DailyReportFactory(employee=cast.employee, date=day)
    DailyReportFactory(employee=cast.employee, date=date(2025, 12, 31))  # another year
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, due_date=date(2026, 11, 20), status="done", done_on=date(2026, 11, 20))
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, due_date=date(2026, 11, 20), status="done", done_on=date(2026, 11, 23))
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, due_date=date(2026, 11, 24))   # still open, overdue
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, due_date=date(2026, 11, 26))   # open, due today: not late yet
    all_workdays = workcalendar.workdays_between(date(2026, 1, 1), date(2026, 11, 25))

    summary = year_summary([cast.employee.pk, cast.hr.pk, cast.manager.pk], 2026)

    assert summary[cast.employee.pk] == {
        "reports_written": len(november),
        "reports_missing": len(all_workdays) - len(november),
        "tasks_assigned": 4,
        "tasks_done": 1,
        "tasks_late": 2,
    }
    assert summary[cast.hr.pk]["reports_missing"] == 0
    assert summary[cast.manager.pk] == {"reports_written": 0, "reports_missing": 0, "tasks_assigned": 0, "tasks_done": 0, "tasks_late": 0}


def test_missing_reports_start_at_the_hire_date_and_skip_whole_days_of_leave(cast, clock, leave_days):
    newcomer = EmployeeFactory(supervisor=cast.supervisor, hire_date=date(2026, 11, 23))  # a Monday
    leave_days.update({(newcomer.pk, date(2026, 11, 24)): Decimal("1"), (newcomer.pk, date(2026, 11, 25)): Decimal("0.5")})
    DailyReportFactory(employee=newcomer, date=date(2026, 11, 23))
    # 23rd written, 24th on leave all day, 25th half a day of leave and no report: one missing.
    assert year_summary([newcomer.pk], 2026)[newcomer.pk]["reports_missing"] == 1


def test_year_summary_query_count_does_not_grow_with_people(cast, clock, no_leave, django_assert_max_num_queries):
    people = [EmployeeFactory(supervisor=cast.supervisor) for _ in range(3)]
    WorkSchedule.current()
    # the go-live date (schedule), employees, report dates, task counts, calendar overrides
    with django_assert_max_num_queries(5):
        year_summary([p.pk for p in people], 2026)
    people += [EmployeeFactory(supervisor=cast.supervisor) for _ in range(20)]
    for person in people:
        DailyReportFactory(employee=person, date=date(2026, 11, 2))
        TaskFactory(assignee=person, assigned_by=cast.supervisor)
    with django_assert_max_num_queries(5):
        result = year_summary([p.pk for p in people], 2026)
    assert len(result) == 23 and all(row["reports_written"] == 1 for row in result.values())
