"""The meeting pages: check-in from the page and the QR code, the clerk's roll, bad input shown in Chinese."""

from django.urls import reverse

from meetings import tokens
from meetings.models import AttendanceStatus, Meeting, MeetingAttendance

from .conftest import at


def test_the_meeting_page_offers_check_in_only_while_the_window_is_open(meeting, cast, client, clock):
    client.force_login(cast.employee.user)
    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    assert b'data-testid="checkin-button"' not in client.get(url).content
    clock(at(9, 57))
    assert b'data-testid="checkin-button"' in client.get(url).content
    response = client.post(reverse("meetings:checkin", kwargs={"pk": meeting.pk}), follow=True)
    assert "签到成功" in response.content.decode()
    assert MeetingAttendance.objects.get().status == AttendanceStatus.PRESENT


def test_the_qr_page_shows_an_svg_code_that_checks_a_phone_in(meeting, cast, client, clock):
    clock(at(9, 56))
    client.force_login(cast.clerk.user)
    page = client.get(reverse("meetings:qr", kwargs={"pk": meeting.pk})).content.decode()
    assert "<svg" in page and 'http-equiv="refresh"' in page
    client.force_login(cast.employee.user)
    url = reverse("meetings:qr_checkin", kwargs={"pk": meeting.pk})
    token = tokens.current_token(meeting.pk)
    assert 'data-testid="qr-checkin-button"' in client.get(url, {"t": token}).content.decode()
    assert not MeetingAttendance.objects.exists()  # opening the link writes nothing
    clock(at(9, 56, 20))  # scanned and tapped within the code's half minute
    client.post(url, {"t": token})
    assert MeetingAttendance.objects.get().source == MeetingAttendance.Source.QR


def test_an_expired_qr_code_is_refused_in_chinese(meeting, cast, client, clock):
    clock(at(9, 56))
    token = tokens.current_token(meeting.pk)
    clock(at(9, 58))
    client.force_login(cast.employee.user)
    response = client.post(reverse("meetings:qr_checkin", kwargs={"pk": meeting.pk}), {"t": token})
    assert response.status_code == 200 and "二维码已过期" in response.content.decode()
    assert not MeetingAttendance.objects.exists()


def test_staff_see_only_their_own_row_the_clerk_sees_the_roll(meeting, cast, client, clock):
    clock(at(10, 20))
    url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
    client.force_login(cast.employee.user)
    assert 'data-testid="roll-row"' not in client.get(url).content.decode()
    client.force_login(cast.clerk.user)
    page = client.get(url).content.decode()
    assert page.count('data-testid="roll-row"') == 6 and 'data-testid="mark-form"' in page  # everyone but HR


def test_moving_to_a_date_far_outside_the_business_range_or_in_unicode_digits_is_a_clear_error(meeting, cast, client, clock):
    client.force_login(cast.supervisor.user)
    url = reverse("meetings:move", kwargs={"pk": meeting.pk})
    for day in ("1900-01-01", "９９９９-01-01", "2026-11-31"):
        response = client.post(url, {"date": day, "time": "10:00", "reason": "改期"})
        assert response.status_code == 200 and 'invalid-feedback' in response.content.decode(), day
    assert not Meeting.objects.get().was_moved


def test_hr_changes_the_check_in_window_and_bad_values_are_refused(cast, client):
    client.force_login(cast.hr.user)
    url = reverse("meetings:settings")
    response = client.post(url, {"weekly_time": "10:00", "duration_minutes": 60, "checkin_opens_minutes": 500,
                                 "checkin_closes_minutes": 60})
    assert response.status_code == 200 and "120" in response.content.decode()
    response = client.post(url, {"weekly_time": "10:00", "duration_minutes": 60, "checkin_opens_minutes": 10,
                                 "checkin_closes_minutes": 60})
    assert response.status_code == 302


def test_an_earlier_version_reads_as_who_changed_what(meeting, cast, client, clock):
    from meetings import services

    clock(at(10, 40))
    services.save_minutes(meeting.pk, actor=cast.clerk.user, topics="议题一", decisions="周三定稿", reports={})
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    services.save_minutes(meeting.pk, actor=cast.clerk.user, topics="议题一", decisions="周四定稿",
                          reports={cast.employee.pk: ("完成汇总", "")})
    client.force_login(cast.employee.user)
    page = client.get(reverse("meetings:minutes_version", kwargs={"pk": meeting.pk, "number": 2})).content.decode()
    assert "林记录" in page and "周三定稿 → 周四定稿" in page and "张员工 的汇报" in page
    first = client.get(reverse("meetings:minutes_version", kwargs={"pk": meeting.pk, "number": 1})).content.decode()
    assert "周三定稿" in first and "周四定稿" not in first
