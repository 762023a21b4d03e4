"""Reminders before deadlines: only on workdays, never on leave, never after the thing is done, never twice."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
import pytest

from leave.models import LeaveRequest
from opsdept import registries, reminders
from opsdept.models import Notification, ReminderPreference, SentReminder
from tests.leave.factories import LeaveRequestFactory
from tests.worklog.factories import DailyReportFactory, TaskFactory, TaskFeedbackFactory
from worklog.reminders import DAILY_REPORT, SAME_DAY_TASK

FRI, SAT = date(2026, 11, 27), date(2026, 11, 28)
REPORT_REMINDER = "请在今天"


def reminded(kind_prefix: str) -> set[str]:
    return {row.employee.name for row in SentReminder.objects.filter(key__startswith=kind_prefix).select_related("employee")}


def test_the_1730_reminder_goes_to_exactly_those_without_a_report(cast):
    DailyReportFactory(employee=cast.employee, date=FRI)
    assert reminders.send_reminders("17:30", FRI) == 4
    assert reminded(DAILY_REPORT) == {"李主管", "赵主管", "孙员工", "林记录"}   # HR and the manager write none
    notice = Notification.objects.get(recipient=cast.outsider)
    assert notice.subject.startswith(REPORT_REMINDER) and notice.url == reverse("worklog:report_today")


def test_a_reminder_never_goes_twice(cast):
    assert reminders.send_reminders("17:30", FRI) == 5
    assert reminders.send_reminders("17:30", FRI) == 0
    assert Notification.objects.filter(recipient=cast.employee).count() == 1


def test_no_reminder_on_a_non_workday(cast):
    assert reminders.send_reminders("17:30", SAT) == 0
    assert reminders.send_reminders("17:00", SAT) == 0
    assert not SentReminder.objects.exists()


def test_no_reminder_for_someone_on_leave_that_day(cast):
    LeaveRequestFactory(employee=cast.employee, start_date=FRI, status=LeaveRequest.Status.APPROVED,
                        decided_by=cast.supervisor, decided_at=timezone.now())
    reminders.send_reminders("17:30", FRI)
    assert "张员工" not in reminded(DAILY_REPORT)


def test_writing_the_report_marks_the_reminder_read(cast):
    from worklog.services import save_daily_report
    from tests.leave.helpers import local_time

    with local_time(2026, 11, 27, 17, 31):
        reminders.send_reminders("17:30", FRI)
        save_daily_report(FRI, actor=cast.employee.user, done="写完", completion=100, problems="", solutions="", plan="继续")
    assert Notification.objects.get(recipient=cast.employee).read_at is not None


def test_each_person_turns_a_kind_off_and_hr_sets_the_default(cast, client):
    client.force_login(cast.clerk.user)
    client.post(reverse("reminder_choices"), {"kind": DAILY_REPORT})   # no "enabled": off
    assert ReminderPreference.objects.get(employee=cast.clerk, kind=DAILY_REPORT).enabled is False
    reminders.send_reminders("17:30", FRI)
    assert "林记录" not in reminded(DAILY_REPORT)
    SentReminder.objects.all().delete()
    reminders.set_reminder_default(DAILY_REPORT, actor=cast.hr.user, enabled=False)
    ReminderPreference.objects.create(employee=cast.employee, kind=DAILY_REPORT, enabled=True)
    reminders.send_reminders("17:30", FRI)
    assert reminded(DAILY_REPORT) == {"张员工"}


def test_only_hr_sets_defaults_and_an_unknown_kind_is_refused(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reminders.set_reminder_default(DAILY_REPORT, actor=cast.supervisor.user, enabled=False)
    with pytest.raises(reminders.ReminderError):
        reminders.set_reminder_preference("nope", actor=cast.employee.user, enabled=False)
    assert not ReminderPreference.objects.exists()


def test_the_1700_reminder_lists_open_tasks_without_feedback(cast):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="回访客户", due_date=FRI)
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="整理工单", due_date=FRI)
    fed_back = TaskFactory(assignee=cast.outsider, assigned_by=cast.other_supervisor, title="写周报", due_date=FRI)
    TaskFeedbackFactory(task=fed_back)
    TaskFactory(assignee=cast.clerk, assigned_by=cast.supervisor, title="明天的", due_date=FRI + timedelta(days=3))
    assert reminders.send_reminders("17:00", FRI) == 1
    notice = Notification.objects.get(recipient=cast.employee)
    assert "回访客户" in notice.body and "整理工单" in notice.body


def test_the_0900_digest_is_one_message_per_decider_for_requests_waiting_over_a_workday(cast):
    old = [LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 10)),
           LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, 11))]
    LeaveRequest.objects.filter(pk__in=[leave.pk for leave in old]).update(
        created_at=timezone.make_aware(timezone.datetime(2026, 11, 25, 10, 0)))
    LeaveRequestFactory(employee=cast.outsider, start_date=date(2026, 12, 10))   # filed today: not yet
    assert reminders.send_reminders("09:00", FRI) == 1
    digest = Notification.objects.get(recipient=cast.supervisor)
    assert "张员工" in digest.body and "林记录" in digest.body
    assert not Notification.objects.filter(recipient=cast.other_supervisor).exists()


def test_the_emergency_slip_reminder_comes_the_workday_before_it_is_due(cast):
    leave = LeaveRequestFactory(employee=cast.employee, start_date=FRI, status=LeaveRequest.Status.APPROVED,
                                decided_by=cast.supervisor, decided_at=timezone.now(), is_emergency=True,
                                granted_via="phone", slip_due=date(2026, 11, 30), created_by=cast.supervisor)
    assert reminders.send_reminders("09:00", date(2026, 11, 26)) == 0   # due Monday: too early on Thursday
    assert reminders.send_reminders("09:00", FRI) == 0                   # on leave that day
    LeaveRequest.objects.filter(pk=leave.pk).update(start_date=date(2026, 11, 26), end_date=date(2026, 11, 26))
    assert reminders.send_reminders("09:00", FRI) == 1
    LeaveRequest.objects.filter(pk=leave.pk).update(slip_submitted_at=timezone.now())
    SentReminder.objects.all().delete()
    assert reminders.send_reminders("09:00", FRI) == 0                   # handed in: done


def test_every_reminder_has_a_beat_entry_for_its_time():
    from opsdept.celery import app

    times = {entry["args"][0] for entry in app.conf.beat_schedule.values() if entry["task"] == "opsdept.tasks.send_reminders"}
    assert {reminder.at for reminder in registries.reminders} <= times
