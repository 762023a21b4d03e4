"""Check-in: opens at 9:55, late after 10:00, server time decides; the room's QR code expires; leave excuses."""

from datetime import timedelta

import pytest

from meetings import selectors, services, tokens
from meetings.models import AttendanceStatus, MeetingAttendance, MeetingSettings
from opsdept.models import AuditEvent

from .conftest import at


def test_check_in_at_957_is_present_and_at_1003_is_late(meeting, cast, clock):
    clock(at(9, 57))
    first = services.check_in(meeting.pk, actor=cast.employee.user)
    clock(at(10, 3))
    second = services.check_in(meeting.pk, actor=cast.outsider.user)
    assert (first.status, second.status) == (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
    assert first.source == MeetingAttendance.Source.PAGE
    assert AuditEvent.objects.filter(action="meeting.checked_in").count() == 2


@pytest.mark.parametrize("moment,message", [(at(9, 54, 59), "09:55"), (at(11, 0, 1), "11:00")])
def test_check_in_outside_the_window_is_refused(meeting, cast, clock, moment, message):
    clock(moment)
    with pytest.raises(services.MeetingError) as error:
        services.check_in(meeting.pk, actor=cast.employee.user)
    assert message in error.value.message
    assert not MeetingAttendance.objects.exists()


def test_hr_can_move_the_window_open_earlier(meeting, cast, clock):
    services.update_meeting_settings(actor=cast.hr.user, checkin_opens_minutes=15)
    clock(at(9, 46))
    assert services.check_in(meeting.pk, actor=cast.employee.user).status == AttendanceStatus.PRESENT
    assert MeetingSettings.current().checkin_opens_minutes == 15


def test_checking_in_twice_is_refused(meeting, cast, clock):
    clock(at(9, 56))
    services.check_in(meeting.pk, actor=cast.employee.user)
    with pytest.raises(services.MeetingError, match="已记录"):
        services.check_in(meeting.pk, actor=cast.employee.user)
    assert MeetingAttendance.objects.count() == 1


def test_someone_not_expected_cannot_check_in(meeting, cast, clock):
    clock(at(9, 56))
    with pytest.raises(services.MeetingError, match="不在"):
        services.check_in(meeting.pk, actor=cast.hr.user)
    assert not MeetingAttendance.objects.exists()


def test_a_cancelled_meeting_takes_no_check_in(meeting, cast, clock):
    services.cancel_meeting(meeting.pk, actor=cast.manager.user, reason="培训")
    clock(at(9, 56))
    with pytest.raises(services.MeetingError, match="取消"):
        services.check_in(meeting.pk, actor=cast.employee.user)


def test_the_qr_token_works_for_its_window_and_the_next_then_expires(meeting, cast, clock):
    clock(at(9, 56, 0))
    token = tokens.current_token(meeting.pk)
    assert tokens.is_valid(meeting.pk, token)
    clock(at(9, 56, 0) + timedelta(seconds=30))
    assert tokens.is_valid(meeting.pk, token)  # a scan at the end of a window still counts
    clock(at(9, 56, 0) + timedelta(seconds=60))
    assert not tokens.is_valid(meeting.pk, token)
    with pytest.raises(services.MeetingError, match="二维码"):
        services.check_in(meeting.pk, actor=cast.employee.user, token=token)
    assert not MeetingAttendance.objects.exists()


def test_a_forged_or_other_meetings_token_is_refused(meeting, cast, clock):
    clock(at(9, 56))
    good = tokens.current_token(meeting.pk)
    for forged in [good[:-2] + "xx", tokens.current_token(meeting.pk + 1), "", f"{meeting.pk}.123:abc"]:
        with pytest.raises(services.MeetingError):
            services.check_in(meeting.pk, actor=cast.employee.user, token=forged)
    attendance = services.check_in(meeting.pk, actor=cast.employee.user, token=good)
    assert attendance.source == MeetingAttendance.Source.QR


def test_approved_morning_leave_excuses_and_afternoon_leave_does_not(meeting, cast, clock):
    from leave.models import Half, LeaveRequest
    from tests.leave.factories import LeaveRequestFactory

    LeaveRequestFactory(employee=cast.employee, start_date=meeting.date, end_date=meeting.date,
                        start_half=Half.MORNING, end_half=Half.MORNING, days="0.5", status=LeaveRequest.Status.APPROVED)
    LeaveRequestFactory(employee=cast.outsider, start_date=meeting.date, end_date=meeting.date,
                        start_half=Half.AFTERNOON, end_half=Half.AFTERNOON, days="0.5", status=LeaveRequest.Status.APPROVED)
    LeaveRequestFactory(employee=cast.clerk, start_date=meeting.date, end_date=meeting.date, days="1",
                        status=LeaveRequest.Status.PENDING)  # not approved: excuses nothing
    clock(at(11, 30))
    statuses = {row.employee.pk: row.status for row in selectors.roll(meeting)}
    assert statuses[cast.employee.pk] == AttendanceStatus.EXCUSED
    assert statuses[cast.outsider.pk] == AttendanceStatus.ABSENT
    assert statuses[cast.clerk.pk] == AttendanceStatus.ABSENT
