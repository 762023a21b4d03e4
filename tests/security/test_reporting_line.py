"""Nobody changes their own role or reporting line, nor makes themselves someone's supervisor:
that needs someone else (the manager for HR staff, HR for the manager)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from opsdept.models import AuditEvent, Employee
from opsdept.services import PeopleError, create_employee, update_employee


def edit_data(employee: Employee, **changes) -> dict:
    data = {
        "employee_no": employee.employee_no, "name": employee.name, "department": employee.department_id,
        "title": employee.title, "supervisor": employee.supervisor.employee_no if employee.supervisor else "", "role": employee.role,
        "phone": employee.phone, "email": employee.email,
        "hire_date": employee.hire_date.isoformat() if employee.hire_date else "",
        "work_start_date": employee.work_start_date.isoformat() if employee.work_start_date else "",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_hr_cannot_make_themselves_manager(cast, client):
    client.force_login(cast.hr.user)
    response = client.post(reverse("employee_edit", args=[cast.hr.pk]), edit_data(cast.hr, role="manager"))
    assert response.status_code == 200
    assert "不能更改自己的角色" in response.content.decode()
    assert Employee.objects.get(pk=cast.hr.pk).role == Employee.Role.HR
    assert not AuditEvent.objects.filter(action="employee.updated").exists()


@pytest.mark.django_db
def test_hr_cannot_change_their_own_reporting_line(cast):
    with pytest.raises(PeopleError):
        update_employee(cast.hr.pk, actor=cast.hr.user, supervisor=cast.supervisor)
    with pytest.raises(PeopleError):
        update_employee(cast.hr.pk, actor=cast.hr.user, supervisor=None)
    assert Employee.objects.get(pk=cast.hr.pk).supervisor_id == cast.manager.pk


@pytest.mark.django_db
def test_hr_may_still_edit_their_own_phone(cast):
    update_employee(cast.hr.pk, actor=cast.hr.user, phone="13900000001", role=Employee.Role.HR, supervisor=cast.manager)
    assert Employee.objects.get(pk=cast.hr.pk).phone == "13900000001"


@pytest.mark.django_db
def test_hr_cannot_make_themselves_someones_supervisor(cast, client):
    client.force_login(cast.hr.user)
    response = client.post(reverse("employee_edit", args=[cast.employee.pk]),
                           edit_data(cast.employee, supervisor=cast.hr.employee_no))
    assert response.status_code == 200
    assert "不能把自己设为" in response.content.decode()
    assert Employee.objects.get(pk=cast.employee.pk).supervisor_id == cast.supervisor.pk
    with pytest.raises(PeopleError):
        create_employee(actor=cast.hr.user, username="newbie", password="Quite-Long-Pass-77",
                        employee_no="N1", name="新人", department=cast.employee.department, supervisor=cast.hr)


@pytest.mark.django_db
def test_the_manager_changes_hr_staffs_role_and_line(cast, client):
    client.force_login(cast.manager.user)
    page = client.get(reverse("employee_edit", args=[cast.hr.pk]))
    assert page.status_code == 200
    response = client.post(reverse("employee_edit", args=[cast.hr.pk]),
                           {"role": "staff", "supervisor": cast.supervisor.employee_no})
    assert response.status_code == 302
    hr = Employee.objects.get(pk=cast.hr.pk)
    assert (hr.role, hr.supervisor_id) == (Employee.Role.STAFF, cast.supervisor.pk)
    assert AuditEvent.objects.get(action="employee.updated").actor == cast.manager.user


@pytest.mark.django_db
def test_the_manager_may_not_edit_other_people_or_other_fields(cast, client):
    client.force_login(cast.manager.user)
    assert client.get(reverse("employee_edit", args=[cast.employee.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        update_employee(cast.hr.pk, actor=cast.manager.user, phone="1")
    with pytest.raises(PermissionDenied):
        update_employee(cast.employee.pk, actor=cast.manager.user, role=Employee.Role.HR)


@pytest.mark.django_db
def test_hr_changes_the_managers_role(cast):
    update_employee(cast.manager.pk, actor=cast.hr.user, title="总监")
    with pytest.raises(PeopleError):
        update_employee(cast.manager.pk, actor=cast.hr.user, supervisor=cast.hr)
