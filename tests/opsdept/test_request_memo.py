"""Within one web request the settings rows and the work calendar are read once (opsdept.memo, issue 16);
outside a request, and after a request writes one of them, every read goes to the database."""

from datetime import date, time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdept import memo, workcalendar
from opsdept.models import CalendarOverride, WorkSchedule


def _reads(queries, table: str) -> int:
    return sum(1 for query in queries.captured_queries if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"])


def test_the_team_month_reads_the_schedule_once_and_the_calendar_once_per_span_of_years(client, cast):
    client.force_login(cast.supervisor.user)
    client.get("/attendance/team/month/?month=2026-10")  # the first visit creates the settings rows
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/attendance/team/month/?month=2026-10").status_code == 200
    assert _reads(queries, "opsdept_workschedule") == 1          # five before
    assert _reads(queries, "opsdept_calendaroverride") <= 2      # the month's year, the trend's two years (five before)


def test_nothing_is_remembered_outside_a_request(db):
    WorkSchedule.current()
    with CaptureQueriesContext(connection) as queries:
        WorkSchedule.current()
        WorkSchedule.current()
        workcalendar.month_days(2026, 10)
        workcalendar.month_days(2026, 10)
    assert _reads(queries, "opsdept_workschedule") == 2 and _reads(queries, "opsdept_calendaroverride") == 2


def test_each_caller_gets_its_own_copy_and_a_write_turns_the_memo_off(db, cast):
    token = memo.begin()
    try:
        schedule = WorkSchedule.current()
        schedule.start_time = time(7, 0)                  # a form binding the row changes it in memory, unsaved
        assert WorkSchedule.current().start_time == time(9, 0)
        assert workcalendar.is_workday(date(2026, 10, 12))
        CalendarOverride.objects.create(date=date(2026, 10, 12), kind=CalendarOverride.Kind.HOLIDAY, note="停电",
                                        created_by=cast.hr)
        assert not memo.active()
        assert not workcalendar.is_workday(date(2026, 10, 12))   # read again, not the remembered year
        schedule.save()
        assert WorkSchedule.current().start_time == time(7, 0)
    finally:
        memo.end(token)
