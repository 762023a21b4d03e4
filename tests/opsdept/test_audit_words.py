"""The audit trail in words (issue 13 item 10): names, labels, verbose field names, formatted values."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opsdept import audit, audit_words
from opsdept.models import AuditEvent, Employee


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.django_db
def test_an_employee_change_reads_as_words(cast):
    event = audit.record(cast.hr.user, audit.Action.EMPLOYEE_UPDATED, cast.employee, changes={
        "role": [Employee.Role.STAFF, Employee.Role.SUPERVISOR],
        "is_meeting_clerk": [False, True],
        "leave_date": [None, "2026-12-31"],
        "supervisor": [cast.supervisor.pk, cast.other_supervisor.pk],
        "title": ["", "客服专员"],
    })
    [entry] = audit_words.describe([AuditEvent.objects.select_related("actor__employee", "target_type").get(pk=event.pk)])
    assert entry.who == "马人事"  # the name, not the login "hr"
    assert entry.did == str(audit.Action.EMPLOYEE_UPDATED.label) and "employee.updated" not in entry.did
    assert entry.what == "张员工" or "张员工" in entry.what
    changes = {change.label: (change.old, change.new) for change in entry.changes}
    assert changes["角色"] == ("员工", "主管")
    assert changes["会议考勤员"] == ("否", "是")
    assert changes["离职日期"] == ("—", "2026-12-31")
    assert changes["直属主管"] == ("李主管", "赵主管")
    assert changes[str(Employee._meta.get_field("title").verbose_name)] == ("—", "客服专员")
    rendered = " ".join(f"{c.label} {c.old} {c.new}" for c in entry.changes)
    assert "None" not in rendered and "True" not in rendered and "[" not in rendered


@pytest.mark.django_db
def test_money_dates_and_lists_are_formatted(cast):
    event = audit.record(cast.manager.user, audit.Action.APPEAL_DECIDED, cast.employee, changes={
        "status": ["pending", "upheld"], "new_amount": Decimal("1200.5"), "at": "2026-11-03T01:13:00Z",
        "employees": [cast.employee.pk, cast.clerk.pk],
    })
    [entry] = audit_words.describe([event])
    changes = {change.label: (change.old, change.new) for change in entry.changes}
    assert changes["新金额"] == (None, "¥1,200.50")
    assert changes["时间"] == (None, "2026-11-03 09:13")  # Asia/Shanghai
    assert changes["员工"] == (None, "张员工、林记录")
    assert changes["状态"][0] == "待审批"


@pytest.mark.django_db
def test_the_system_acts_without_a_login(cast):
    event = audit.record(None, audit.Action.FLAG_RAISED, cast.employee, changes={"date": date(2026, 11, 3)})
    [entry] = audit_words.describe([event])
    assert entry.who == "系统"


@pytest.mark.django_db
def test_the_audit_page_shows_words_with_a_flat_query_count(client, cast):
    for _ in range(3):
        audit.record(cast.hr.user, audit.Action.EMPLOYEE_UPDATED, cast.employee,
                     changes={"supervisor": [cast.supervisor.pk, cast.other_supervisor.pk], "is_active": [True, False]})
    client.force_login(cast.hr.user)
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/")
    for _ in range(20):
        audit.record(cast.supervisor.user, audit.Action.EMPLOYEE_UPDATED, cast.clerk,
                     changes={"supervisor": [cast.supervisor.pk, cast.manager.pk]})
    with CaptureQueriesContext(connection) as many:
        response = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert len(many) == len(few)
    html = response.content.decode()
    table = html[html.index('data-testid="audit-table"'):]
    assert "employee.updated" not in table
    assert "马人事" in html and "李主管" in html and "王经理" in html
    assert "None" not in table and "True" not in table and "supervisor" not in table


@pytest.mark.django_db
def test_the_audit_filter_finds_by_name_and_object(client, cast):
    audit.record(cast.hr.user, audit.Action.EMPLOYEE_UPDATED, cast.employee)
    audit.record(cast.supervisor.user, audit.Action.EMPLOYEE_UPDATED, cast.outsider)
    client.force_login(cast.hr.user)
    entries = client.get("/audit/", {"actor": "马人事"}).context["entries"]
    assert [entry.who for entry in entries] == ["马人事"]
    entries = client.get("/audit/", {"target": "孙员工"}).context["entries"]
    assert [entry.what for entry in entries] == [str(cast.outsider)]
    response = client.get("/audit/", {"start": "1900-01-01"})
    assert response.status_code == 200 and response.context["filter"].form.errors


@pytest.mark.django_db
def test_a_rule_recorded_by_its_code_reads_as_its_title(cast):
    from discipline.models import Rule

    from discipline.models import Flag

    rule = Rule.objects.get(code="late")
    flag = Flag.objects.create(employee=cast.employee, date=date(2026, 11, 3), rule=rule)
    event = audit.record(None, audit.Action.FLAG_RAISED, flag, changes={"rule": "late", "date": "2026-11-03"})
    [entry] = audit_words.describe([event])
    changes = {change.label: change.new for change in entry.changes}
    assert changes["条例"] == str(rule) and "#" not in changes["条例"]
    assert changes["日期"] == "2026-11-03"


@pytest.mark.django_db
def test_rows_recorded_in_the_old_shape_read_as_words(client, cast):
    """Rows written before the trail was shown in words: a punch named "<employee id> <UTC time>",
    an attendance day "<employee id> <date> <status code>", changes as {"old", "new"} or triples."""
    from attendance.models import AttendanceDay, Punch
    from datetime import datetime, timezone as dt_timezone

    punch = Punch.objects.create(employee=cast.employee, at=datetime(2026, 11, 3, 1, 13, tzinfo=dt_timezone.utc),
                                 local_date=date(2026, 11, 3))
    day = AttendanceDay.objects.create(employee=cast.employee, date=date(2026, 11, 3), status="late", late_minutes=13)
    old_punch = audit.record(cast.employee.user, audit.Action.PUNCHED, punch, changes={"ip": "10.0.0.8"})
    old_day = audit.record(None, audit.Action.DAYS_RECONCILED, day,
                           changes={"status": {"old": "normal", "new": "late"}})
    old_list = audit.record(cast.hr.user, audit.Action.EMPLOYEE_UPDATED, cast.employee,
                            changes=[["is_meeting_clerk", False, True]])
    # the shape those rows were stored in (an audit row is never saved twice: write it the way old code did)
    AuditEvent.objects.filter(pk=old_punch.pk).update(target_repr=f"{cast.employee.pk} 2026-11-03 01:13:00")
    AuditEvent.objects.filter(pk=old_day.pk).update(target_repr=f"{cast.employee.pk} 2026-11-03 late")
    events = list(AuditEvent.objects.select_related("actor__employee", "target_type").order_by("id"))
    entries = {entry.event.pk: entry for entry in audit_words.describe(events)}
    assert entries[old_punch.pk].what == "张员工 2026-11-03 09:13"  # the name and Asia/Shanghai time
    assert entries[old_day.pk].what == "张员工 2026-11-03 迟到"
    assert [(c.old, c.new) for c in entries[old_day.pk].changes] == [("正常", "迟到")]
    assert [(c.label, c.old, c.new) for c in entries[old_list.pk].changes] == [("会议考勤员", "否", "是")]
    assert AuditEvent.objects.count() == 3  # nothing rewritten away, nothing deleted
    client.force_login(cast.hr.user)
    table = client.get("/audit/").content.decode()
    assert f"{cast.employee.pk} 2026-11-03 late" not in table and "张员工 2026-11-03 迟到" in table
