"""The meeting page, the list and the export columns read a constant number of queries as the department grows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services
from tests.factories import EmployeeFactory

from .conftest import at


def _queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, the session's first save)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(cast, meeting, count: int) -> None:
    for _ in range(count):
        member = EmployeeFactory(department=cast.employee.department, supervisor=cast.supervisor)
        services.check_in(meeting.pk, actor=member.user)


def test_the_clerks_meeting_page_stays_flat(meeting, cast, client, clock):
    clock(at(10, 5))
    client.force_login(cast.clerk.user)
    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    _grow(cast, meeting, 2)
    few = _queries(client, url)
    _grow(cast, meeting, 8)
    assert _queries(client, url) == few


def test_the_minutes_editor_stays_flat(meeting, cast, client, clock):
    clock(at(10, 5))
    client.force_login(cast.clerk.user)
    url = reverse("meetings:minutes_edit", kwargs={"pk": meeting.pk})
    _grow(cast, meeting, 2)
    few = _queries(client, url)
    _grow(cast, meeting, 8)
    assert _queries(client, url) == few


def test_the_list_stays_flat(cast, client, clock):
    client.force_login(cast.employee.user)
    services.plan_weekly_meetings(at(9, 0).date(), weeks=2)
    few = _queries(client, reverse("meetings:list"))
    services.plan_weekly_meetings(at(9, 0).date(), weeks=8)
    assert _queries(client, reverse("meetings:list")) == few
