"""Same-day tasks: assigned down the reporting tree, done, or given feedback before the due day ends."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from opsdept.models import AuditEvent, Notification
from tests.worklog.conftest import SHANGHAI
from tests.worklog.factories import TaskFactory, TaskFeedbackFactory
from worklog import services
from worklog.models import Task, TaskFeedback

THURSDAY = date(2026, 11, 26)


def assign(client, cast, **overrides):
    data = {"assignee": cast.employee.employee_no, "title": "整理投诉记录", "detail": "按类型分类", "due_date": "2026-11-26", **overrides}
    return client.post(reverse("worklog:task_create"), data)


def test_supervisor_assigns_a_task_and_the_assignee_is_notified(client, cast, clock):
    client.force_login(cast.supervisor.user)
    response = assign(client, cast)
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.assignee, task.assigned_by, task.due_date, task.status) == (cast.employee, cast.supervisor, THURSDAY, "open")
    assert Notification.objects.filter(recipient=cast.employee, url=reverse("worklog:task_detail", args=[task.pk])).exists()
    assert AuditEvent.objects.filter(action="worklog.task_assigned", target_id=str(task.pk)).exists()


def test_due_date_defaults_to_today(cast, clock):
    task = services.assign_task(cast.employee.pk, actor=cast.supervisor.user, title="回电话")
    assert task.due_date == THURSDAY


def test_the_form_offers_today_and_only_the_team(client, cast, clock):
    client.force_login(cast.supervisor.user)
    form = client.get(reverse("worklog:task_create")).context["form"]
    assert form.initial["due_date"] == THURSDAY
    assert set(form.fields["assignee"].queryset) == {cast.employee, cast.clerk}


def test_the_manager_assigns_anywhere_in_the_department(cast, clock):
    task = services.assign_task(cast.outsider.pk, actor=cast.manager.user, title="市场调研")
    assert task.assigned_by == cast.manager


@pytest.mark.parametrize("bad,field", [
    ({"due_date": "2026-11-25"}, "due_date"),        # in the past
    ({"due_date": "2026-11-28"}, "due_date"),        # a Saturday
    ({"due_date": "soon"}, "due_date"),
    ({"title": ""}, "title"),
    ({"assignee": "999999"}, "assignee"),
])
def test_bad_task_input_is_a_field_error_and_nothing_is_written(client, cast, clock, bad, field):
    client.force_login(cast.supervisor.user)
    response = assign(client, cast, **bad)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Task.objects.exists()


def test_supervisor_cannot_assign_outside_their_tree(client, cast, clock):
    client.force_login(cast.supervisor.user)
    response = assign(client, cast, assignee=cast.outsider.employee_no)
    assert "assignee" in response.context["form"].errors
    with pytest.raises(services.WorklogError):
        services.assign_task(cast.outsider.pk, actor=cast.supervisor.user, title="越权")
    with pytest.raises(services.WorklogError):
        services.assign_task(cast.supervisor.pk, actor=cast.supervisor.user, title="给自己")
    assert not Task.objects.exists()


def test_staff_cannot_assign(client, cast, clock):
    client.force_login(cast.employee.user)
    assert assign(client, cast, assignee=cast.clerk.employee_no).status_code == 403
    with pytest.raises(services.WorklogError):
        services.assign_task(cast.clerk.pk, actor=cast.employee.user, title="同事")
    assert not Task.objects.exists()


def test_assignee_marks_a_task_done(client, cast, clock):
    task = TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    client.force_login(cast.employee.user)
    response = client.post(reverse("worklog:task_done", args=[task.pk]), {"next": reverse("home")})
    assert response.url == reverse("home")
    task.refresh_from_db()
    assert task.status == "done" and task.done_on == THURSDAY
    again = client.post(reverse("worklog:task_done", args=[task.pk]))
    assert again.status_code == 302
    assert AuditEvent.objects.filter(action="worklog.task_done").count() == 1


def test_marking_done_after_the_due_day_records_the_late_date(cast, clock):
    task = TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    clock(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI))
    services.complete_task(task.pk, actor=cast.employee.user)
    task.refresh_from_db()
    assert task.done_on == date(2026, 11, 27)


def test_assignee_gives_same_day_feedback_and_the_assigner_is_notified(client, cast, clock):
    task = TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    client.force_login(cast.employee.user)
    response = client.post(reverse("worklog:task_feedback", args=[task.pk]), {"reason": "客户未回复", "new_plan": "明早再联系"})
    assert response.status_code == 302
    feedback = TaskFeedback.objects.get()
    assert (feedback.reason, feedback.new_plan, feedback.given_on) == ("客户未回复", "明早再联系", THURSDAY)
    assert Notification.objects.filter(recipient=cast.supervisor).exists()
    assert AuditEvent.objects.filter(action="worklog.task_feedback", target_id=str(task.pk)).exists()


def test_feedback_is_accepted_at_2359_and_refused_at_local_midnight(client, cast, clock):
    task = TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    clock(datetime(2026, 11, 26, 23, 59, tzinfo=SHANGHAI))
    services.give_task_feedback(task.pk, actor=cast.employee.user, reason="等待确认", new_plan="明天完成")
    # 00:00 Friday in Shanghai, still Thursday in UTC: the due day is over.
    clock(datetime(2026, 11, 27, 0, 0, tzinfo=SHANGHAI))
    client.force_login(cast.employee.user)
    response = client.post(reverse("worklog:task_feedback", args=[task.pk]), {"reason": "又晚了", "new_plan": "下周"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert TaskFeedback.objects.count() == 1


def test_feedback_on_someone_elses_task_is_refused_and_nothing_is_written(client, cast, clock):
    task = TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    data = {"reason": "代写", "new_plan": "代写"}
    client.force_login(cast.outsider.user)
    assert client.post(reverse("worklog:task_feedback", args=[task.pk]), data).status_code == 404
    client.force_login(cast.clerk.user)  # a colleague in the same team
    assert client.post(reverse("worklog:task_feedback", args=[task.pk]), data).status_code == 404
    client.force_login(cast.supervisor.user)  # sees the task, but it is not theirs to answer
    assert client.post(reverse("worklog:task_feedback", args=[task.pk]), data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.give_task_feedback(task.pk, actor=cast.supervisor.user, **data)
    assert not TaskFeedback.objects.exists()
    assert not AuditEvent.objects.filter(action="worklog.task_feedback").exists()


@pytest.mark.parametrize("bad,field", [({"reason": "", "new_plan": "明天"}, "reason"), ({"reason": "忙", "new_plan": " "}, "new_plan")])
def test_bad_feedback_is_a_field_error(client, cast, clock, bad, field):
    task = TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    client.force_login(cast.employee.user)
    response = client.post(reverse("worklog:task_feedback", args=[task.pk]), bad)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not TaskFeedback.objects.exists()


def test_no_feedback_on_a_done_task(cast, clock):
    task = TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, status="done", done_on=THURSDAY)
    with pytest.raises(services.WorklogError):
        services.give_task_feedback(task.pk, actor=cast.employee.user, reason="x", new_plan="y")


def test_supervisor_sees_the_teams_open_tasks_only(client, cast, clock):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="开放任务")
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="已完成任务", status="done", done_on=THURSDAY)
    TaskFactory(assignee=cast.outsider, assigned_by=cast.other_supervisor, title="别队任务")
    with_feedback = TaskFactory(assignee=cast.clerk, assigned_by=cast.supervisor, title="已反馈任务")
    TaskFeedbackFactory(task=with_feedback)
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("worklog:team_tasks"))
    titles = {task.title for task in response.context["page"]}
    assert titles == {"开放任务", "已反馈任务"}
    assert [t.same_day_feedback for t in response.context["page"] if t.title == "已反馈任务"] == [True]


def test_team_tasks_query_count_stays_flat(client, cast, clock, django_assert_max_num_queries):
    client.force_login(cast.supervisor.user)
    url = reverse("worklog:team_tasks")
    TaskFactory.create_batch(2, assignee=cast.employee, assigned_by=cast.supervisor)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    TaskFactory.create_batch(25, assignee=cast.clerk, assigned_by=cast.supervisor)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_my_tasks_and_the_dashboard_card_show_todays_tasks(client, cast, clock):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="今天的任务")
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="下周的任务", due_date=date(2026, 12, 3))
    client.force_login(cast.employee.user)
    home = client.get(reverse("home")).content.decode()
    assert "今天的任务" in home and "下周的任务" not in home
    assert "下周的任务" in client.get(reverse("worklog:task_list")).content.decode()


def test_a_task_decided_at_a_meeting_is_assigned_by_the_owners_supervisor_and_names_its_source(cast, clock):
    # The clerk does not lead anyone: only a named source (a meeting's action item) lets them record the task.
    with pytest.raises(services.WorklogError):
        services.assign_task(cast.employee.pk, actor=cast.clerk.user, title="整理投诉汇总")
    task = services.assign_on_behalf(cast.employee, "整理投诉汇总", THURSDAY, actor=cast.clerk.user, source="部门例会 2026-11-23")
    assert (task.assignee, task.assigned_by) == (cast.employee, cast.supervisor)
    assert "部门例会 2026-11-23" in task.detail
    event = AuditEvent.objects.get(action="worklog.task_assigned", target_id=str(task.pk))
    assert event.actor == cast.clerk.user and event.note == "部门例会 2026-11-23"
