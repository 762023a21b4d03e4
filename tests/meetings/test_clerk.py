"""The clerk (会议考勤员) marks attendance; late members explain (会后说明) and the clerk acknowledges."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from meetings import services
from meetings.models import AttendanceStatus, MeetingAttendance
from opsdept.models import Notification

from .conftest import at


def test_clerk_marks_someone_absent_with_a_note_and_the_record_says_who(meeting, cast, clock):
    clock(at(10, 20))
    record = services.mark_attendance(meeting.pk, cast.outsider.pk, actor=cast.clerk.user, status="absent", note="未请假")
    assert (record.status, record.marked_by, record.note) == (AttendanceStatus.ABSENT, cast.clerk, "未请假")
    assert record.source == MeetingAttendance.Source.CLERK


def test_clerk_corrects_a_check_in(meeting, cast, clock):
    clock(at(10, 2))
    services.check_in(meeting.pk, actor=cast.employee.user)
    services.mark_attendance(meeting.pk, cast.employee.pk, actor=cast.clerk.user, status="present", note="提前到场，签到晚了")
    record = MeetingAttendance.objects.get(employee=cast.employee)
    assert record.status == AttendanceStatus.PRESENT and record.marked_by == cast.clerk


def test_nobody_but_the_clerk_marks(meeting, cast, clock):
    clock(at(10, 20))
    for someone in (cast.employee, cast.supervisor, cast.hr):
        with pytest.raises(PermissionDenied):
            services.mark_attendance(meeting.pk, cast.outsider.pk, actor=someone.user, status="absent")
    assert not MeetingAttendance.objects.exists()


@pytest.mark.parametrize("status", ["excused", "gone", ""])
def test_the_clerk_cannot_excuse_or_invent_a_status(meeting, cast, clock, status):
    clock(at(10, 20))
    with pytest.raises(services.MeetingError):
        services.mark_attendance(meeting.pk, cast.outsider.pk, actor=cast.clerk.user, status=status)
    assert not MeetingAttendance.objects.exists()


def test_marking_a_cancelled_or_future_meeting_or_an_outsider_is_refused(meeting, cast, clock):
    with pytest.raises(services.MeetingError, match="尚未开始"):
        services.mark_attendance(meeting.pk, cast.outsider.pk, actor=cast.clerk.user, status="absent")
    clock(at(10, 20))
    with pytest.raises(services.MeetingError, match="不在"):
        services.mark_attendance(meeting.pk, cast.hr.pk, actor=cast.clerk.user, status="absent")
    clock(at(9, 0))
    services.cancel_meeting(meeting.pk, actor=cast.manager.user, reason="培训")
    clock(at(10, 20))
    with pytest.raises(services.MeetingError, match="取消"):
        services.mark_attendance(meeting.pk, cast.outsider.pk, actor=cast.clerk.user, status="absent")
    assert not MeetingAttendance.objects.exists()


def test_late_member_explains_and_the_clerk_acknowledges(meeting, cast, clock):
    clock(at(10, 3))
    record = services.check_in(meeting.pk, actor=cast.employee.user)
    clock(at(11, 5))
    with pytest.raises(services.MeetingError):
        services.explain_lateness(record.pk, actor=cast.employee.user, explanation="   ")
    services.explain_lateness(record.pk, actor=cast.employee.user, explanation="地铁故障")
    assert Notification.objects.filter(recipient=cast.clerk, body="地铁故障").exists()
    with pytest.raises(PermissionDenied):
        services.explain_lateness(record.pk, actor=cast.outsider.user, explanation="替他说明")
    with pytest.raises(PermissionDenied):
        services.acknowledge_explanation(record.pk, actor=cast.supervisor.user)
    services.acknowledge_explanation(record.pk, actor=cast.clerk.user)
    record.refresh_from_db()
    assert record.is_acknowledged and record.acknowledged_by == cast.clerk and record.explanation == "地铁故障"
    with pytest.raises(services.MeetingError):
        services.explain_lateness(record.pk, actor=cast.employee.user, explanation="改一下")


def test_the_clerk_cannot_acknowledge_their_own_lateness(meeting, cast, clock):
    clock(at(10, 3))
    record = services.check_in(meeting.pk, actor=cast.clerk.user)
    services.explain_lateness(record.pk, actor=cast.clerk.user, explanation="打印材料")
    with pytest.raises(PermissionDenied):
        services.acknowledge_explanation(record.pk, actor=cast.clerk.user)


def test_only_a_late_arrival_explains(meeting, cast, clock):
    clock(at(9, 58))
    record = services.check_in(meeting.pk, actor=cast.employee.user)
    with pytest.raises(services.MeetingError):
        services.explain_lateness(record.pk, actor=cast.employee.user, explanation="其实没迟到")


def test_a_late_explanation_after_the_meeting_day_is_refused_and_the_page_points_to_the_flag(meeting, cast, clock, client):
    clock(at(10, 3))
    record = services.check_in(meeting.pk, actor=cast.employee.user)
    clock(at(23, 59))
    assert services.explanation_open(meeting)
    clock(at(9, 0, day=date(2026, 11, 24)))
    with pytest.raises(services.MeetingError, match="情况说明"):
        services.explain_lateness(record.pk, actor=cast.employee.user, explanation="地铁故障")
    record.refresh_from_db()
    assert record.explanation == "" and not Notification.objects.filter(body="地铁故障").exists()
    client.force_login(cast.employee.user)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="explain-closed"' in page and 'data-testid="explain-form"' not in page
