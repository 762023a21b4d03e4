"""People: HR manages them; deactivation blocks login but keeps history; every edit is audited."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from opsdept import permissions
from opsdept.models import AuditEvent, Employee
from opsdept.services import PeopleError, deactivate_employee, update_employee


@pytest.mark.django_db
def test_deactivating_ends_open_sessions_and_blocks_login(cast):
    browser = Client()
    browser.force_login(cast.outsider.user)
    assert browser.get(reverse("home")).status_code == 200
    deactivate_employee(cast.outsider.pk, actor=cast.hr.user, reason="离职")
    assert browser.get(reverse("home")).status_code == 302
    assert not any(str(s.get_decoded().get("_auth_user_id")) == str(cast.outsider.user.pk) for s in Session.objects.all())
    response = Client(REMOTE_ADDR="10.0.0.9").post(reverse("login"), {"username": "outsider", "password": "pass-word-1"})
    assert response.status_code == 200
    assert "deactivated" in response.content.decode() or "停用" in response.content.decode()
    assert Employee.objects.filter(pk=cast.outsider.pk, is_active=False).exists()  # history stays


@pytest.mark.django_db
def test_cannot_deactivate_a_supervisor_with_active_reports_or_oneself(cast):
    with pytest.raises(PeopleError):
        deactivate_employee(cast.supervisor.pk, actor=cast.hr.user)
    with pytest.raises(PeopleError):
        deactivate_employee(cast.hr.pk, actor=cast.hr.user)
    assert Employee.objects.get(pk=cast.supervisor.pk).is_active


@pytest.mark.django_db
def test_only_hr_manages_people(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        deactivate_employee(cast.outsider.pk, actor=cast.manager.user)


@pytest.mark.django_db
def test_an_edit_records_before_and_after(cast):
    update_employee(cast.employee.pk, actor=cast.hr.user, title="高级客服专员", phone="13900000000")
    event = AuditEvent.objects.get(action="employee.updated")
    assert event.changes["title"] == ["专员", "高级客服专员"]
    assert event.actor == cast.hr.user


@pytest.mark.django_db
def test_a_reporting_loop_is_refused(cast, client):
    client.force_login(cast.hr.user)
    data = {
        "employee_no": cast.supervisor.employee_no, "name": cast.supervisor.name, "department": cast.supervisor.department_id,
        "title": "主管", "supervisor": cast.employee.employee_no, "role": "supervisor", "phone": "", "email": "",
        "hire_date": "2020-01-01", "work_start_date": "2015-07-01",
    }
    response = client.post(reverse("employee_edit", args=[cast.supervisor.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert Employee.objects.get(pk=cast.supervisor.pk).supervisor == cast.manager


@pytest.mark.django_db
def test_hr_creates_an_employee_with_a_login(cast, client):
    client.force_login(cast.hr.user)
    response = client.post(reverse("employee_create"), {
        "username": "newbie", "password": "long-enough-1", "employee_no": "E90001", "name": "新员工",
        "department": cast.employee.department_id, "title": "客服专员", "supervisor": cast.supervisor.employee_no,
        "role": "staff", "hire_date": "2026-11-01", "work_start_date": "2026-07-01",
    })
    assert response.status_code == 302
    assert Employee.objects.get(employee_no="E90001").user.check_password("long-enough-1")


@pytest.mark.django_db
def test_hr_create_with_a_taken_number_writes_nothing(cast, client):
    client.force_login(cast.hr.user)
    before = Employee.objects.count()
    response = client.post(reverse("employee_create"), {
        "username": "newbie", "password": "long-enough-1", "employee_no": cast.employee.employee_no, "name": "重复",
        "department": cast.employee.department_id, "role": "staff", "hire_date": "2026-11-01", "work_start_date": "2027-07-01",
    })
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"employee_no", "work_start_date"}
    assert Employee.objects.count() == before


@pytest.mark.django_db
def test_supervisor_sees_their_whole_tree_and_nobody_else(cast):
    ids = permissions.visible_employee_ids(cast.manager.user)
    assert ids is None
    assert permissions.visible_employee_ids(cast.supervisor.user) == {cast.supervisor.pk, cast.employee.pk, cast.clerk.pk}
    assert permissions.visible_employee_ids(cast.employee.user) == {cast.employee.pk}
    assert not permissions.leads(cast.supervisor.user, cast.supervisor)
    assert not permissions.leads(cast.other_supervisor.user, cast.employee)
    assert permissions.leads(cast.manager.user, cast.employee)
