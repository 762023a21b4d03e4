"""The migrations that move "who did it" from a login to its employee keep every row and every name."""

from datetime import date
import uuid

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
import pytest

BEFORE = [("discipline", "0004_records_appeals_policy")]
TWINS_ADDED = [("discipline", "0005_decided_by_employee_1")]
AFTER = [("discipline", "0007_decided_by_employee_3")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def before_the_move(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    latest()


def person(apps, number: str, name: str):
    User = apps.get_model("auth", "User")
    Department = apps.get_model("opsdept", "Department")
    Employee = apps.get_model("opsdept", "Employee")
    department, _ = Department.objects.get_or_create(name="运营部")
    user = User.objects.create(username=f"u{number}")
    Employee.objects.create(user=user, employee_no=number, name=name, department=department,
                            hire_date=date(2020, 1, 1), work_start_date=date(2020, 1, 1))
    return user


def test_every_reviewer_decider_issuer_recorder_and_publisher_becomes_their_employee(before_the_move):
    apps = before_the_move
    boss, staff, hr = person(apps, "001", "王经理"), person(apps, "002", "张员工"), person(apps, "003", "马人事")
    employee_of = {user.pk: apps.get_model("opsdept", "Employee").objects.get(user=user).pk for user in (boss, staff, hr)}
    staff_employee = apps.get_model("opsdept", "Employee").objects.get(user=staff)
    rule = apps.get_model("discipline", "Rule").objects.get(code="late")
    Flag, Record = apps.get_model("discipline", "Flag"), apps.get_model("discipline", "Record")
    reviewed = Flag.objects.create(employee=staff_employee, date=date(2026, 10, 12), rule=rule, status="dismissed",
                                   reviewed_by=boss, review_note="出差")
    still_open = Flag.objects.create(employee=staff_employee, date=date(2026, 10, 13), rule=rule)
    record = Record.objects.create(employee=staff_employee, rule=rule, kind="fine", amount=50, evidence="迟到",
                                   issued_by=boss, effective_on=date(2026, 10, 14), token=uuid.uuid4())
    appeal = apps.get_model("discipline", "Appeal").objects.create(
        record=record, employee=staff_employee, reason="堵车", status="upheld", decided_by=boss, decision_reason="证据充分")
    miss = apps.get_model("discipline", "CampaignMiss").objects.create(
        employee=staff_employee, campaign="双十一", date=date(2026, 11, 11), recorded_by=boss)
    version = apps.get_model("discipline", "PolicyVersion").objects.create(label="v1", text_sha256="x", published_by=hr)

    apps = migrate(AFTER)
    Flag, Record = apps.get_model("discipline", "Flag"), apps.get_model("discipline", "Record")
    moved = Flag.objects.get(pk=reviewed.pk)
    assert (moved.decided_by_id, moved.decision_note, moved.status) == (employee_of[boss.pk], "出差", "dismissed")
    assert Flag.objects.get(pk=still_open.pk).decided_by_id is None
    assert Record.objects.get(pk=record.pk).issued_by_id == employee_of[boss.pk]
    appeal = apps.get_model("discipline", "Appeal").objects.get(pk=appeal.pk)
    assert (appeal.decided_by_id, appeal.decision_note) == (employee_of[boss.pk], "证据充分")
    assert apps.get_model("discipline", "CampaignMiss").objects.get(pk=miss.pk).recorded_by_id == employee_of[boss.pk]
    assert apps.get_model("discipline", "PolicyVersion").objects.get(pk=version.pk).published_by_id == employee_of[hr.pk]
    assert Flag.objects.count() == 2 and Record.objects.count() == 1

    apps = migrate(BEFORE)  # and back: the logins return
    assert apps.get_model("discipline", "Flag").objects.get(pk=reviewed.pk).reviewed_by_id == boss.pk
    assert apps.get_model("discipline", "Record").objects.get(pk=record.pk).issued_by_id == boss.pk


def test_a_login_without_an_employee_record_stops_the_move_instead_of_losing_who_did_it(before_the_move):
    apps = before_the_move
    staff = person(apps, "002", "张员工")
    staff_employee = apps.get_model("opsdept", "Employee").objects.get(user=staff)
    admin = apps.get_model("auth", "User").objects.create(username="admin")
    rule = apps.get_model("discipline", "Rule").objects.get(code="late")
    flag = apps.get_model("discipline", "Flag").objects.create(
        employee=staff_employee, date=date(2026, 10, 12), rule=rule, status="dismissed", reviewed_by=admin)
    migrate(TWINS_ADDED)
    with pytest.raises(RuntimeError, match=rf"discipline.Flag.reviewed_by: no matching person for ids \[{admin.pk}\]"):
        migrate(AFTER)
    apps = migrate(TWINS_ADDED)
    assert apps.get_model("discipline", "Flag").objects.get(pk=flag.pk).reviewed_by_id == admin.pk
    apps.get_model("discipline", "Flag").objects.filter(pk=flag.pk).update(reviewed_by=None)
