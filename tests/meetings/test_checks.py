"""The nightly checks: absence and unexplained lateness → meeting-absent; no published minutes → minutes-missing."""

from datetime import date

from discipline.models import Flag
from meetings import checks, services
from meetings.models import AttendanceStatus, MeetingAttendance
from opsdept import registries

from .conftest import MONDAY, at


def _flags(rule: str) -> dict[int, str]:
    return dict(Flag.objects.filter(rule__code=rule).values_list("employee_id", "details"))


def test_absent_and_unexplained_late_are_flagged_acknowledged_late_is_not(meeting, cast, clock):
    clock(at(9, 57))
    services.check_in(meeting.pk, actor=cast.employee.user)
    services.check_in(meeting.pk, actor=cast.manager.user)
    clock(at(10, 4))
    late_explained = services.check_in(meeting.pk, actor=cast.supervisor.user)
    services.check_in(meeting.pk, actor=cast.other_supervisor.user)  # late, never explains
    services.explain_lateness(late_explained.pk, actor=cast.supervisor.user, explanation="接待客户")
    services.acknowledge_explanation(late_explained.pk, actor=cast.clerk.user)
    clock(at(10, 30))
    services.mark_attendance(meeting.pk, cast.clerk.pk, actor=cast.clerk.user, status="present")
    # 孙员工 (outsider) never came
    clock(at(1, 30, day=date(2026, 11, 24)))
    assert registries.nightly_checks.get("meetings.absence")(MONDAY) == 2
    flagged = _flags(checks.MEETING_ABSENT)
    assert set(flagged) == {cast.outsider.pk, cast.other_supervisor.pk}
    assert "无故" in flagged[cast.outsider.pk] or "未请假" in flagged[cast.outsider.pk]
    assert MeetingAttendance.objects.get(employee=cast.outsider).status == AttendanceStatus.ABSENT
    assert cast.hr.pk not in flagged


def test_rerunning_the_night_raises_nothing_new(meeting, cast, clock):
    clock(at(1, 30, day=date(2026, 11, 24)))
    first = checks.absence(MONDAY) + checks.minutes(MONDAY)
    assert first > 0
    assert checks.absence(MONDAY) + checks.minutes(MONDAY) == 0
    assert Flag.objects.count() == first


def test_someone_on_leave_is_excused_not_flagged(meeting, cast, clock):
    from leave.models import LeaveRequest
    from tests.leave.factories import LeaveRequestFactory

    LeaveRequestFactory(employee=cast.outsider, start_date=MONDAY, end_date=MONDAY, status=LeaveRequest.Status.APPROVED)
    clock(at(1, 30, day=date(2026, 11, 24)))
    checks.absence(MONDAY)
    assert cast.outsider.pk not in _flags(checks.MEETING_ABSENT)
    assert MeetingAttendance.objects.get(employee=cast.outsider).status == AttendanceStatus.EXCUSED


def test_no_published_minutes_flags_the_clerk(meeting, cast, clock):
    clock(at(10, 40))
    services.save_minutes(meeting.pk, actor=cast.clerk.user, topics="议题", decisions="", reports={})  # a draft only
    clock(at(1, 30, day=date(2026, 11, 24)))
    assert checks.minutes(MONDAY) == 1
    assert set(_flags(checks.MINUTES_MISSING)) == {cast.clerk.pk}


def test_missing_minutes_flag_the_drafting_clerk_else_the_departments_clerks(cast, clock):
    """Only the clerks who answer for the meeting: the one who drafted, else those of its department."""
    from meetings.models import Meeting
    from tests.factories import DepartmentFactory, EmployeeFactory

    finance = DepartmentFactory(name="财务部")  # a second top department, with its own weekly meeting
    finance_clerk = EmployeeFactory(name="钱记录", user__username="finance_clerk", department=finance,
                                    is_meeting_clerk=True)
    second_clerk = EmployeeFactory(name="周记录", user__username="second_clerk", department=cast.clerk.department,
                                   supervisor=cast.supervisor, is_meeting_clerk=True)
    clock(at(9, 0, day=date(2026, 11, 16)))
    services.plan_weekly_meetings(MONDAY, weeks=1)
    ours = Meeting.objects.get(week_of=MONDAY, department=cast.manager.department)
    clock(at(10, 40))
    services.save_minutes(ours.pk, actor=cast.clerk.user, topics="议题", decisions="", reports={})  # a draft only
    clock(at(1, 30, day=date(2026, 11, 24)))
    checks.minutes(MONDAY)
    flagged = _flags(checks.MINUTES_MISSING)
    assert set(flagged) == {cast.clerk.pk, finance_clerk.pk}  # the drafter; finance's meeting: finance's clerk
    assert second_clerk.pk not in flagged
    assert "；" not in flagged[cast.clerk.pk]  # one meeting each, not the other department's too
    assert str(Meeting.objects.get(week_of=MONDAY, department=finance)) in flagged[finance_clerk.pk]


def test_published_minutes_or_a_cancelled_meeting_raise_nothing(meeting, cast, clock):
    clock(at(10, 40))
    services.save_minutes(meeting.pk, actor=cast.clerk.user, topics="议题", decisions="决定", reports={})
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    clock(at(1, 30, day=date(2026, 11, 24)))
    assert checks.minutes(MONDAY) == 0
    other = services.plan_weekly_meetings(date(2026, 11, 30), weeks=1)
    assert other == 1
    from meetings.models import Meeting
    next_week = Meeting.objects.get(week_of=date(2026, 11, 30))
    services.cancel_meeting(next_week.pk, actor=cast.manager.user, reason="培训")
    clock(at(1, 30, day=date(2026, 12, 1)))
    assert checks.absence(date(2026, 11, 30)) + checks.minutes(date(2026, 11, 30)) == 0


def test_a_correction_by_the_clerk_after_the_night_resolves_the_flag(meeting, cast, clock):
    clock(at(10, 4))
    late = services.check_in(meeting.pk, actor=cast.employee.user)
    clock(at(23, 0))
    services.explain_lateness(late.pk, actor=cast.employee.user, explanation="客户来电")  # the same day, as 会后及时 asks
    clock(at(1, 30, day=date(2026, 11, 24)))
    checks.absence(MONDAY)
    open_flags = Flag.objects.filter(rule__code=checks.MEETING_ABSENT, status=Flag.Status.OPEN)
    assert set(open_flags.values_list("employee_id", flat=True)) >= {cast.employee.pk, cast.outsider.pk}
    clock(at(9, 30, day=date(2026, 11, 24)))
    services.mark_attendance(meeting.pk, cast.outsider.pk, actor=cast.clerk.user, status="present", note="在会议室外接听客户电话")
    assert open_flags.filter(employee=cast.employee).exists()  # explained, not yet acknowledged
    services.acknowledge_explanation(late.pk, actor=cast.clerk.user)
    assert not open_flags.filter(employee__in=[cast.employee, cast.outsider]).exists()
    assert Flag.objects.get(employee=cast.outsider).status == Flag.Status.RESOLVED
