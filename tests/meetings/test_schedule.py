"""The schedule: every Monday at 10:00, moved off holidays with a reason; moved, cancelled or called with notice."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from opsdept.services import remove_calendar_override, set_calendar_override
from opsdept.models import AuditEvent, CalendarOverride, Notification

from .conftest import MONDAY, at


def test_weekly_meeting_is_monday_at_ten(cast, clock):
    assert services.plan_weekly_meetings(MONDAY, weeks=2) == 2
    meeting = Meeting.objects.get(week_of=MONDAY)
    assert timezone.localtime(meeting.starts_at) == at(10, 0)
    assert meeting.date == MONDAY and not meeting.was_moved and meeting.change_reason == ""
    assert Meeting.objects.get(week_of=date(2026, 11, 30)).date == date(2026, 11, 30)


def test_planning_twice_adds_nothing(cast, clock):
    services.plan_weekly_meetings(MONDAY, weeks=3)
    assert services.plan_weekly_meetings(MONDAY, weeks=3) == 0
    assert Meeting.objects.count() == 3


def test_monday_in_national_day_moves_to_the_next_workday_and_says_why(cast, clock):
    clock(at(9, 0, day=date(2026, 9, 28)))
    services.plan_weekly_meetings(date(2026, 10, 5), weeks=1)
    meeting = Meeting.objects.get(week_of=date(2026, 10, 5))
    assert meeting.date == date(2026, 10, 8)  # 10-01 … 10-07 are the National Day holiday
    assert timezone.localtime(meeting.starts_at).time() == time(10, 0)
    assert timezone.localtime(meeting.planned_at).date() == date(2026, 10, 5)  # the old time stays visible
    assert meeting.was_moved
    assert meeting.change_reason.startswith("2026-10-05 不是工作日") and "2026-10-08" in meeting.change_reason


def test_a_date_declared_a_holiday_moves_its_meeting(cast, clock):
    services.plan_weekly_meetings(date(2026, 11, 30), weeks=1)
    set_calendar_override(date(2026, 11, 30), actor=cast.hr.user, kind=CalendarOverride.Kind.HOLIDAY, note="公司年会")
    meeting = Meeting.objects.get(week_of=date(2026, 11, 30))
    assert meeting.date == date(2026, 12, 1)
    assert "公司年会" in meeting.change_reason
    assert Notification.objects.filter(recipient=cast.employee, subject__contains="2026-12-01 10:00").exists()
    # HR takes the holiday back: the meeting returns to its Monday.
    remove_calendar_override(date(2026, 11, 30), actor=cast.hr.user)
    meeting.refresh_from_db()
    assert meeting.date == date(2026, 11, 30) and not meeting.was_moved and "2026-11-30" in meeting.change_reason


def test_a_meeting_a_person_moved_stays_where_they_put_it(cast, clock):
    services.plan_weekly_meetings(date(2026, 11, 30), weeks=1)
    set_calendar_override(date(2026, 11, 30), actor=cast.hr.user, kind=CalendarOverride.Kind.HOLIDAY, note="公司年会")
    meeting = Meeting.objects.get(week_of=date(2026, 11, 30))
    services.move_meeting(meeting.pk, actor=cast.supervisor.user, starts_at=at(15, 0, day=date(2026, 12, 2)), reason="改到周三")
    remove_calendar_override(date(2026, 11, 30), actor=cast.hr.user)
    meeting.refresh_from_db()
    assert meeting.date == date(2026, 12, 2) and meeting.change_reason == "改到周三"


def test_supervisor_moves_the_meeting_everyone_is_told_and_the_old_time_stays(meeting, cast):
    services.move_meeting(meeting.pk, actor=cast.supervisor.user, starts_at=at(14, 0, day=date(2026, 11, 24)),
                          reason="客户来访，改到周二下午")
    meeting.refresh_from_db()
    assert meeting.date == date(2026, 11, 24)
    assert timezone.localtime(meeting.planned_at) == at(10, 0)
    assert meeting.change_reason == "客户来访，改到周二下午"
    told = set(Notification.objects.filter(url__endswith=f"/meetings/{meeting.pk}/").values_list("recipient_id", flat=True))
    assert {cast.employee.pk, cast.outsider.pk, cast.clerk.pk, cast.manager.pk} <= told
    assert cast.hr.pk not in told  # HR oversees the records and is not expected
    assert AuditEvent.objects.filter(action="meeting.moved").count() == 1


@pytest.mark.parametrize("starts_at,reason,message", [
    (at(14, 0, day=date(2026, 11, 24)), "  ", "说明"),
    (at(10, 0, day=date(2026, 11, 28)), "改期", "工作日"),  # a Saturday
    (at(8, 0), "改期", "将来"),
    (datetime(2099, 1, 5, 10, 0, tzinfo=at(0).tzinfo), "改期", "一年"),
])
def test_a_move_with_bad_input_is_refused_and_nothing_changes(meeting, cast, starts_at, reason, message):
    with pytest.raises(services.MeetingError) as error:
        services.move_meeting(meeting.pk, actor=cast.clerk.user, starts_at=starts_at, reason=reason)
    assert message in error.value.message
    meeting.refresh_from_db()
    assert meeting.date == MONDAY and not meeting.was_moved


def test_staff_cannot_move_a_meeting(meeting, cast):
    with pytest.raises(PermissionDenied):
        services.move_meeting(meeting.pk, actor=cast.employee.user, starts_at=at(14, 0), reason="想改")


def test_manager_cancels_with_a_reason(meeting, cast):
    services.cancel_meeting(meeting.pk, actor=cast.manager.user, reason="全员参加公司培训")
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.change_reason == "全员参加公司培训"
    assert Notification.objects.filter(recipient=cast.employee, subject__contains="取消").exists()
    with pytest.raises(services.MeetingError):
        services.cancel_meeting(meeting.pk, actor=cast.manager.user, reason="再取消一次")


def test_an_extra_meeting_expects_only_its_invitees(meeting, cast):
    from meetings import selectors

    extra = services.call_meeting(actor=cast.supervisor.user, title="跨部门协调会", starts_at=at(15, 0),
                                  duration_minutes=45, invitee_ids=[cast.employee.pk, cast.outsider.pk], reason="活动配合")
    assert extra.kind == Meeting.Kind.EXTRA
    assert [e.pk for e in selectors.expected_members(extra)] == sorted([cast.employee.pk, cast.outsider.pk],
                                                                        key=lambda pk: extra.invitees.get(pk=pk).employee_no)
    assert Notification.objects.filter(recipient=cast.outsider, subject__contains="跨部门协调会").exists()
    assert not Notification.objects.filter(recipient=cast.clerk, subject__contains="跨部门协调会").exists()


def test_an_extra_meeting_title_with_a_line_break_is_refused(meeting, cast):
    with pytest.raises(services.MeetingError, match="一行"):
        services.call_meeting(actor=cast.supervisor.user, title="协调会\r\nBcc: x@example.com", starts_at=at(15, 0),
                              duration_minutes=45, invitee_ids=[cast.employee.pk], reason="配合")
    assert Meeting.objects.count() == 1


def test_a_meeting_whose_time_has_passed_is_not_planned_after_the_fact(cast, clock):
    clock(at(10, 1))  # Monday, just after ten: this week's meeting is over before it was planned
    assert services.plan_weekly_meetings(MONDAY, weeks=2) == 1
    assert list(Meeting.objects.values_list("week_of", flat=True)) == [date(2026, 11, 30)]


def test_the_beat_task_plans_the_coming_weeks(cast, clock):
    from meetings.tasks import plan_weekly_meetings

    clock(at(6, 0, day=date(2026, 11, 25)))
    assert plan_weekly_meetings.delay().get() == services.PLAN_WEEKS_AHEAD - 1
    assert Meeting.objects.order_by("date").first().week_of == date(2026, 11, 30)


def test_a_new_weekly_time_moves_the_planned_meetings_but_not_one_moved_by_hand(cast, clock):
    clock(at(9, 0, day=date(2026, 11, 16)))
    services.plan_weekly_meetings(date(2026, 11, 23), weeks=3)
    by_hand = Meeting.objects.get(week_of=date(2026, 12, 7))
    services.move_meeting(by_hand.pk, actor=cast.manager.user, starts_at=at(15, 0, day=date(2026, 12, 8)), reason="客户来访")
    services.update_meeting_settings(actor=cast.hr.user, weekly_time=time(9, 30), duration_minutes=45)
    first = Meeting.objects.get(week_of=date(2026, 11, 23))
    assert timezone.localtime(first.starts_at) == at(9, 30, day=date(2026, 11, 23)) and first.duration_minutes == 45
    assert timezone.localtime(Meeting.objects.get(week_of=date(2026, 11, 30)).starts_at).time() == time(9, 30)
    assert timezone.localtime(Meeting.objects.get(pk=by_hand.pk).starts_at) == at(15, 0, day=date(2026, 12, 8))
    assert AuditEvent.objects.filter(action="meeting.moved", target_id=str(first.pk)).exists()
    assert Notification.objects.filter(subject__contains="09:30").exists()
