"""The nightly checks: worklog.missing_report and worklog.unfinished_task."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from discipline.models import Flag
from opsdept import nightly
from tests.worklog.conftest import SHANGHAI
from tests.worklog.factories import DailyReportFactory, TaskFactory, TaskFeedbackFactory
from worklog.checks import missing_report, unfinished_task

THURSDAY = date(2026, 11, 26)
SATURDAY = date(2026, 11, 28)


@pytest.fixture
def leave(leave_days):
    """A fake leave provider: leave[(employee_id, day)] = fraction."""
    return leave_days


def flagged(rule_code: str) -> set[str]:
    return set(Flag.objects.filter(rule__code=rule_code).values_list("employee__name", flat=True))


def test_both_checks_are_registered():
    assert {"worklog.missing_report", "worklog.unfinished_task"} <= set(nightly.registered())


def test_missing_report_flags_staff_and_supervisors_without_a_report(cast, leave):
    DailyReportFactory(employee=cast.employee, date=THURSDAY)
    raised = missing_report(THURSDAY)
    # HR and the manager write no reports; the employee wrote one.
    assert flagged("missing-report") == {"李主管", "赵主管", "孙员工", "林记录"}
    assert raised == 4
    flag = Flag.objects.get(employee=cast.clerk)
    assert flag.date == THURSDAY and flag.source == "worklog.missing_report" and "2026-11-26" in flag.details


def test_missing_report_is_idempotent(cast, leave):
    assert missing_report(THURSDAY) == 5
    assert missing_report(THURSDAY) == 0
    assert Flag.objects.filter(rule__code="missing-report").count() == 5


def test_whole_day_leave_excuses_the_report_but_half_a_day_does_not(cast, leave):
    leave[(cast.employee.pk, THURSDAY)] = Decimal("1")
    leave[(cast.clerk.pk, THURSDAY)] = Decimal("0.5")
    missing_report(THURSDAY)
    names = flagged("missing-report")
    assert "张员工" not in names and "林记录" in names


def test_inactive_and_not_yet_hired_people_are_not_flagged(cast, leave):
    cast.outsider.is_active = False
    cast.outsider.save()
    cast.clerk.hire_date = date(2026, 12, 1)
    cast.clerk.save()
    missing_report(THURSDAY)
    assert not {"孙员工", "林记录"} & flagged("missing-report")


def test_a_non_workday_raises_nothing(cast, leave):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, due_date=SATURDAY)
    assert missing_report(SATURDAY) == 0
    assert unfinished_task(SATURDAY) == 0
    assert not Flag.objects.exists()


def test_unfinished_task_without_feedback_is_flagged_under_rule_1_with_its_title(cast):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="核对退款清单")
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, title="回访客户")
    assert unfinished_task(THURSDAY) == 1
    flag = Flag.objects.get()
    assert flag.rule.code == "same-day-unfinished" and flag.rule.number == 1
    assert (flag.employee, flag.date, flag.source) == (cast.employee, THURSDAY, "worklog.unfinished_task")
    assert "核对退款清单" in flag.details and "回访客户" in flag.details


def test_done_or_fed_back_tasks_are_not_flagged(cast):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, status="done", done_on=THURSDAY)
    TaskFeedbackFactory(task=TaskFactory(assignee=cast.clerk, assigned_by=cast.supervisor))
    TaskFactory(assignee=cast.outsider, assigned_by=cast.other_supervisor, due_date=date(2026, 11, 27))
    assert unfinished_task(THURSDAY) == 0
    assert not Flag.objects.exists()


def test_done_late_or_feedback_late_still_counts_as_unfinished(cast):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor, status="done", done_on=date(2026, 11, 27), title="晚完成")
    TaskFeedbackFactory(task=TaskFactory(assignee=cast.clerk, assigned_by=cast.supervisor, title="晚反馈"),
                        given_on=date(2026, 11, 27))
    assert unfinished_task(THURSDAY) == 2
    assert flagged("same-day-unfinished") == {"张员工", "林记录"}


def test_unfinished_task_is_idempotent(cast):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    assert unfinished_task(THURSDAY) == 1
    assert unfinished_task(THURSDAY) == 0
    assert Flag.objects.count() == 1


def test_the_nightly_run_for_a_date_runs_both(cast, leave):
    TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor)
    first = nightly.run_for_date(THURSDAY)
    second = nightly.run_for_date(THURSDAY)
    assert (first["worklog.missing_report"], first["worklog.unfinished_task"]) == (5, 1)
    assert (second["worklog.missing_report"], second["worklog.unfinished_task"]) == (0, 0)


def test_flag_details_are_in_chinese_whatever_language_runs_the_check(cast, leave, settings):
    from django.utils import translation

    with translation.override("en"):
        missing_report(THURSDAY)
    assert Flag.objects.filter(employee=cast.employee).get().details == "2026-11-26 未提交每日工作报告。"
