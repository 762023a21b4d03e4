"""Punches, calendar overrides and task feedback name an Employee as who did it; the move keeps every row."""

from datetime import date, datetime, timezone

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
import pytest

BEFORE = [("attendance", "0002_decided_request"), ("opsdept", "0002_notification"), ("worklog", "0001_initial")]
AFTER = [("attendance", "0005_created_by_employee_3"), ("opsdept", "0005_created_by_employee_3"),
         ("worklog", "0004_author_employee_3")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move(transactional_db):
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_punches_overrides_and_feedback_move_from_logins_to_employees_and_back(before_the_move):
    apps = before_the_move
    User, Employee = apps.get_model("auth", "User"), apps.get_model("opsdept", "Employee")
    department = apps.get_model("opsdept", "Department").objects.create(name="运营部")
    people = {}
    for number, name in (("001", "马人事"), ("002", "张员工"), ("003", "李主管")):
        user = User.objects.create(username=f"u{number}")
        people[name] = Employee.objects.create(user=user, employee_no=number, name=name, department=department,
                                               hire_date=date(2020, 1, 1), work_start_date=date(2020, 1, 1))
    hr, staff, boss = people["马人事"], people["张员工"], people["李主管"]
    Punch = apps.get_model("attendance", "Punch")
    by_hr = Punch.objects.create(employee=staff, at=datetime(2026, 10, 12, 1, tzinfo=timezone.utc),
                                 local_date=date(2026, 10, 12), source="import", created_by=hr.user)
    by_nobody = Punch.objects.create(employee=staff, at=datetime(2026, 10, 12, 10, tzinfo=timezone.utc),
                                     local_date=date(2026, 10, 12), source="import")
    override = apps.get_model("opsdept", "CalendarOverride").objects.create(
        date=date(2026, 12, 31), kind="holiday", created_by=hr.user)
    task = apps.get_model("worklog", "Task").objects.create(assignee=staff, assigned_by=boss, title="周报", due_date=date(2026, 10, 12))
    feedback = apps.get_model("worklog", "TaskFeedback").objects.create(
        task=task, author=staff.user, reason="等数据", new_plan="明天交", given_on=date(2026, 10, 12))

    apps = migrate(AFTER)
    assert apps.get_model("attendance", "Punch").objects.get(pk=by_hr.pk).created_by_id == hr.pk
    assert apps.get_model("attendance", "Punch").objects.get(pk=by_nobody.pk).created_by_id is None
    assert apps.get_model("opsdept", "CalendarOverride").objects.get(pk=override.pk).created_by_id == hr.pk
    assert apps.get_model("worklog", "TaskFeedback").objects.get(pk=feedback.pk).author_id == staff.pk

    apps = migrate(BEFORE)
    assert apps.get_model("attendance", "Punch").objects.get(pk=by_hr.pk).created_by_id == hr.user_id
    assert apps.get_model("worklog", "TaskFeedback").objects.get(pk=feedback.pk).author_id == staff.user_id
