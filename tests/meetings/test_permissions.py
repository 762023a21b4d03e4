"""Role × route for every meetings page, on the meeting's Monday at 10:30 (check-in still open).

Staff check themselves in and explain their own lateness; the clerk marks and writes minutes;
supervisors, the manager and the clerk move, cancel or call meetings; HR reads everything.
"""

import pytest

from meetings import services
from meetings.models import AttendanceStatus, Meeting, MeetingAttendance, Minutes, MinutesVersion
from tests.matrix import Route, assert_covers, cases, request_route

from .conftest import MONDAY, at

R = 302  # a redirect after a POST that ran (or that the service refused with a message)
SCHEDULERS = {"supervisor": 200, "other_supervisor": 200, "manager": 200, "clerk": 200}
SCHEDULERS_POST = {"supervisor": R, "other_supervisor": R, "manager": R, "clerk": R}


def the_meeting(cast) -> Meeting:
    services.plan_weekly_meetings(MONDAY, weeks=1, include_past=True)
    return Meeting.objects.get(week_of=MONDAY)


def meeting_kwargs(cast) -> dict:
    return {"pk": the_meeting(cast).pk}


def draft_minutes(cast) -> dict:
    meeting = the_meeting(cast)
    Minutes.objects.get_or_create(meeting=meeting, defaults={"topics": "议题"})
    return {"pk": meeting.pk}


def a_version(cast) -> dict:
    meeting = the_meeting(cast)
    minutes, _ = Minutes.objects.get_or_create(meeting=meeting, defaults={
        "topics": "议题", "status": Minutes.Status.PUBLISHED, "version": 1, "published_by": cast.clerk})
    MinutesVersion.objects.get_or_create(minutes=minutes, number=1, defaults={"content": {"topics": "议题"}, "saved_by": cast.clerk})
    return {"pk": meeting.pk, "number": 1}


def late_record(cast, explanation: str = "") -> MeetingAttendance:
    record, _ = MeetingAttendance.objects.get_or_create(
        meeting=the_meeting(cast), employee=cast.employee,
        defaults={"status": AttendanceStatus.LATE, "source": MeetingAttendance.Source.PAGE, "checked_in_at": at(10, 5),
                  "explanation": explanation})
    return record


def feed_token(cast) -> dict:
    return {"token": services.feed_for(cast.employee).token}


OWN_ATTENDANCE = {"other_supervisor": 404, "outsider": 404, "supervisor": 404}

MATRIX = {
    "list": Route(default=200, expect={}),
    "call": Route(default=403, expect=SCHEDULERS),
    "settings": Route(default=403, expect={"hr": 200}),
    "detail": Route(kwargs=meeting_kwargs, default=200, expect={}),
    "move": Route(kwargs=meeting_kwargs, default=403, expect=SCHEDULERS),
    "cancel": Route(method="post", kwargs=meeting_kwargs, data=lambda c: {"reason": "培训"}, default=403, expect=SCHEDULERS_POST),
    "checkin": Route(method="post", kwargs=meeting_kwargs, default=R, expect={}),
    "qr": Route(kwargs=meeting_kwargs, default=403, expect={"clerk": 200}),
    "qr_checkin": Route(kwargs=meeting_kwargs, default=200, expect={}),
    "mark": Route(method="post", kwargs=meeting_kwargs, data=lambda c: {"employee": c.outsider.pk, "status": "absent"},
                  default=403, expect={"clerk": R}),
    "minutes": Route(kwargs=draft_minutes, default=404, expect={"clerk": 200, "hr": 200, "manager": 200}),
    "minutes_edit": Route(kwargs=meeting_kwargs, default=403, expect={"clerk": 200}),
    "action_item_add": Route(method="post", kwargs=meeting_kwargs, default=403, expect={"clerk": R},
                             data=lambda c: {"owner": c.employee.employee_no, "title": "整理", "due_date": "2026-11-25"}),
    "minutes_publish": Route(method="post", kwargs=draft_minutes, default=403, expect={"clerk": R}),
    "minutes_version": Route(kwargs=a_version, default=200, expect={}),
    "explain": Route(method="post", kwargs=lambda c: {"pk": late_record(c).pk}, data=lambda c: {"explanation": "堵车"},
                     default=403, expect={"employee": R, **OWN_ATTENDANCE}),
    "acknowledge": Route(method="post", kwargs=lambda c: {"pk": late_record(c, "堵车").pk},
                         default=403, expect={"clerk": R, **OWN_ATTENDANCE}),
    "feed": Route(default=200, expect={}),
    "feed_reset": Route(method="post", default=R, expect={}),
    "ics": Route(kwargs=feed_token, default=200, expect={"anonymous": 200}),
}


def test_every_meetings_route_is_in_the_matrix():
    assert_covers("meetings", MATRIX)


@pytest.mark.parametrize("name,role", cases(MATRIX))
def test_role_gets_expected_status(client, cast, clock, name, role):
    clock(at(10, 30))
    route = MATRIX[name]
    response = request_route(client, cast, "meetings", name, route, role)
    assert response.status_code == route.status_for(role), (name, role)
