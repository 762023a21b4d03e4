"""The signed-in user's employee is read with the user (opsdept.backends.EmployeeBackend, issue 16)."""

from django.contrib.auth import SESSION_KEY, get_user
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from opsdept import permissions


def _request_of(client):
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def test_a_page_reads_the_user_and_the_employee_in_one_query(client, cast):
    client.force_login(cast.employee.user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [query for query in queries.captured_queries if 'FROM "opsdept_employee"' in query["sql"]
                and '"opsdept_employee"."user_id" =' in query["sql"]], "employee_of read the employee again"
    reads = [query for query in queries.captured_queries if 'FROM "auth_user"' in query["sql"]]
    assert len(reads) == 1 and '"opsdept_employee"' in reads[0]["sql"]


def test_the_employee_read_with_the_user_needs_no_query_and_is_the_same(client, cast):
    client.force_login(cast.supervisor.user)
    user = get_user(_request_of(client))
    with CaptureQueriesContext(connection) as queries:
        me = permissions.employee_of(user)
    assert len(queries) == 0
    assert me.pk == cast.supervisor.pk and me.department.name == cast.supervisor.department.name


def test_a_deactivated_employee_is_nobody_as_before(client, cast):
    client.force_login(cast.employee.user)
    cast.employee.is_active = False
    cast.employee.save(update_fields=["is_active"])
    user = get_user(_request_of(client))
    assert user.is_authenticated and permissions.employee_of(user) is None


def test_a_login_without_an_employee_is_nobody(client, django_user_model):
    user = django_user_model.objects.create_user("no-employee", password="x-long-password-1")
    client.force_login(user)
    signed_in = get_user(_request_of(client))
    assert str(signed_in.pk) == client.session[SESSION_KEY]
    assert permissions.employee_of(signed_in) is None
