"""团队日报 marks a report missing only once its day is over, and never on a non-workday (issue 13 #9)."""

from datetime import datetime

from django.urls import reverse

from tests.worklog.conftest import SHANGHAI
from tests.worklog.factories import DailyReportFactory

MONDAY_0913 = datetime(2026, 11, 30, 9, 13, tzinfo=SHANGHAI)
TUESDAY_0900 = datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI)
SATURDAY_1000 = datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI)


def _page(client, cast, clock, moment: datetime, day: str | None = None) -> str:
    clock(moment)
    client.force_login(cast.supervisor.user)
    return client.get(reverse("worklog:team_reports"), {"date": day} if day else {}).content.decode()


def test_monday_morning_shows_not_due_yet_not_missing(client, cast, clock):
    page = _page(client, cast, clock, MONDAY_0913)
    assert 'data-testid="report-missing"' not in page
    assert page.count('data-testid="report-not-due"') == 2          # 张员工 and 林记录
    assert "还未到提交时间" in page


def test_the_day_after_shows_who_is_missing(client, cast, clock):
    DailyReportFactory(employee=cast.employee, date=MONDAY_0913.date())
    page = _page(client, cast, clock, TUESDAY_0900, "2026-11-30")
    assert page.count('data-testid="report-missing"') == 1
    assert 'data-testid="report-not-due"' not in page


def test_saturday_shows_nobody_missing(client, cast, clock):
    page = _page(client, cast, clock, SATURDAY_1000)
    assert 'data-testid="report-missing"' not in page and 'data-testid="report-not-due"' not in page
    assert 'data-state="not_workday"' in page and "非工作日：无需提交日报" in page
