"""The low-severity findings of issue 14, each with its regression test."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "٣", "１", "99999999999999999999999", "-1", "1e3", " 1"])
def test_a_strange_employee_parameter_never_answers_500(cast, client, value):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("discipline:record_create"), {"employee": value})
    assert response.status_code in (200, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/leave/99999999999999999999999/", "/worklog/tasks/99999999999999999999/"])
def test_a_huge_id_in_the_path_is_a_404(cast, client, path):
    client.force_login(cast.hr.user)
    assert client.get(path).status_code == 404


def new_employee_data(cast, **changes) -> dict:
    return {"username": "xinren", "password": "Quite-Long-Pass-77", "employee_no": "N100", "name": "新人",
            "department": cast.employee.department_id, "title": "专员", "supervisor": cast.supervisor.pk,
            "role": "staff", "phone": "", "email": "", "hire_date": "2026-01-05", "work_start_date": "2020-07-01", **changes}


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [{"password": "password"}, {"password": "12345678"},
                                     {"password": "xinren123"}, {"username": "<script>"}, {"username": "a b"}])
def test_hr_created_accounts_follow_the_password_and_username_rules(cast, client, changes):
    from django.contrib.auth.models import User

    client.force_login(cast.hr.user)
    response = client.post(reverse("employee_create"), new_employee_data(cast, **changes))
    assert response.status_code == 200
    assert not User.objects.filter(username=changes.get("username", "xinren")).exists()


@pytest.mark.django_db
def test_the_service_also_refuses_a_weak_password_or_a_bad_username(cast):
    from opsdept.services import PeopleError, create_employee

    for username, password in [("ok_name", "password"), ("<script>", "Quite-Long-Pass-77")]:
        with pytest.raises(PeopleError):
            create_employee(actor=cast.hr.user, username=username, password=password, employee_no="N1", name="新人",
                            department=cast.employee.department, supervisor=cast.supervisor,
                            hire_date="2026-01-05", work_start_date="2020-07-01")


@pytest.mark.django_db
def test_a_good_account_is_still_created(cast, client):
    client.force_login(cast.hr.user)
    response = client.post(reverse("employee_create"), new_employee_data(cast))
    assert response.status_code == 302
