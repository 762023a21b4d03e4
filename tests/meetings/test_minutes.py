"""Minutes by the clerk: prefilled progress, action items that become work-log tasks, published, versioned."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from meetings import services
from meetings.models import ActionItem, Minutes, MinutesVersion
from tests.factories import DepartmentFactory, EmployeeFactory
from worklog.models import DailyReport, Task

from .conftest import at

FRIDAY = date(2026, 11, 20)


def _write(meeting, cast, **extra):
    return services.save_minutes(meeting.pk, actor=cast.clerk.user, topics=extra.get("topics", "1. 各组汇报"),
                                 decisions=extra.get("decisions", "1. 周三前定稿"), reports=extra.get("reports", {}))


def test_progress_is_prefilled_from_the_previous_workdays_report(meeting, cast, clock):
    DailyReport.objects.create(employee=cast.employee, date=FRIDAY, done="处理工单 20 条", problems="物流延迟", plan="继续")
    DailyReport.objects.create(employee=cast.outsider, date=date(2026, 11, 19), done="周四的事", plan="继续")
    clock(at(10, 30))
    minutes = _write(meeting, cast)
    reports = {r.employee_id: (r.progress, r.problems) for r in minutes.reports.all()}
    assert reports[cast.employee.pk] == ("处理工单 20 条", "物流延迟")
    assert reports[cast.outsider.pk] == ("", "")  # Thursday's report is not the previous workday's


def test_the_clerk_edits_a_members_progress(meeting, cast, clock):
    clock(at(10, 30))
    _write(meeting, cast, reports={cast.employee.pk: ("完成投诉汇总", "无")})
    assert Minutes.objects.get().reports.get(employee=cast.employee).progress == "完成投诉汇总"


def test_publishing_turns_action_items_into_tasks_of_their_owners(meeting, cast, clock):
    clock(at(10, 40))
    _write(meeting, cast)
    services.add_action_item(meeting.pk, actor=cast.clerk.user, owner_id=cast.employee.pk, title="整理投诉汇总",
                             due_date=date(2026, 11, 25))
    assert not Task.objects.exists()  # a draft's items are not tasks yet
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    task = Task.objects.get()
    assert (task.assignee, task.title, task.due_date) == (cast.employee, "整理投诉汇总", date(2026, 11, 25))
    assert task.assigned_by == cast.supervisor  # assigned on the meeting's behalf, answered to the supervisor
    assert "例会" in task.detail or "meeting" in task.detail.lower()
    assert ActionItem.objects.get().task_id == task.pk
    minutes = Minutes.objects.get()
    assert minutes.is_published and minutes.published_by == cast.clerk and minutes.version == 1


def test_an_action_item_for_the_clerk_is_assigned_by_their_supervisor(meeting, cast, clock):
    clock(at(10, 40))
    _write(meeting, cast)
    services.add_action_item(meeting.pk, actor=cast.clerk.user, owner_id=cast.clerk.pk, title="整理会议纪要模板",
                             due_date=date(2026, 11, 24))
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    assert Task.objects.get().assigned_by == cast.supervisor


@pytest.mark.parametrize("owner,due,message", [
    ("stranger", date(2026, 11, 25), "部门"),
    ("employee", date(2026, 11, 28), "工作日"),  # a Saturday
    ("employee", date(2026, 11, 20), "早于"),
])
def test_a_bad_action_item_is_refused(meeting, cast, clock, owner, due, message):
    stranger = EmployeeFactory(name="外部门", department=DepartmentFactory(name="技术部"))
    clock(at(10, 40))
    owner_id = stranger.pk if owner == "stranger" else cast.employee.pk
    with pytest.raises(services.MeetingError) as error:
        services.add_action_item(meeting.pk, actor=cast.clerk.user, owner_id=owner_id, title="某事", due_date=due)
    assert message in error.value.message
    assert not ActionItem.objects.exists()


def test_minutes_for_a_future_meeting_cannot_be_published(meeting, cast, clock):
    clock(at(9, 0))
    with pytest.raises(services.MeetingError):
        services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    with pytest.raises(services.MeetingError):
        _write(meeting, cast)
    assert not Minutes.objects.exists()


def test_staff_and_supervisors_cannot_write_minutes(meeting, cast, clock):
    clock(at(10, 40))
    for someone in (cast.employee, cast.supervisor, cast.hr):
        with pytest.raises(PermissionDenied):
            services.save_minutes(meeting.pk, actor=someone.user, topics="x", decisions="y", reports={})
    _write(meeting, cast)
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    with pytest.raises(PermissionDenied):
        services.save_minutes(meeting.pk, actor=cast.employee.user, topics="篡改", decisions="", reports={})
    assert Minutes.objects.get().topics == "1. 各组汇报"


def test_an_edit_after_publishing_keeps_every_earlier_version(meeting, cast, clock):
    clock(at(10, 40))
    _write(meeting, cast)
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    clock(at(15, 0))
    _write(meeting, cast, decisions="1. 周四前定稿")
    versions = list(MinutesVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["decisions"] == "1. 周三前定稿"
    assert versions[1].content["decisions"] == "1. 周四前定稿"
    assert versions[1].changes["decisions"] == ["1. 周三前定稿", "1. 周四前定稿"] and versions[1].saved_by == cast.clerk


def test_publishing_empty_minutes_or_twice_is_refused(meeting, cast, clock):
    clock(at(10, 40))
    with pytest.raises(services.MeetingError):
        services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    assert not Minutes.objects.exists()
    _write(meeting, cast)
    services.publish_minutes(meeting.pk, actor=cast.clerk.user)
    with pytest.raises(services.MeetingError):
        services.publish_minutes(meeting.pk, actor=cast.clerk.user)


def test_an_action_item_title_with_a_line_break_is_refused(meeting, cast, clock):
    clock(at(10, 40))
    with pytest.raises(services.MeetingError, match="一行"):
        services.add_action_item(meeting.pk, actor=cast.clerk.user, owner_id=cast.employee.pk,
                                 title="整理\nBcc: all@example.com", due_date=date(2026, 11, 25))
    assert not ActionItem.objects.exists()
