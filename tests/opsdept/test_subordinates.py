"""The reporting tree below a supervisor: one query, whatever the size of the department."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from opsdept import permissions
from opsdept.models import Employee
from tests.factories import EmployeeFactory


def _fresh(employee: Employee) -> Employee:
    return Employee.objects.get(pk=employee.pk)


def test_subordinates_are_the_whole_tree_below_and_not_the_others(cast):
    deep = EmployeeFactory(supervisor=cast.employee)
    deeper = EmployeeFactory(supervisor=deep)
    assert permissions.subordinate_ids(_fresh(cast.supervisor)) == {cast.employee.pk, cast.clerk.pk, deep.pk, deeper.pk}
    assert permissions.subordinate_ids(_fresh(cast.employee)) == {deep.pk, deeper.pk}
    assert permissions.subordinate_ids(_fresh(cast.outsider)) == frozenset()
    assert cast.outsider.pk not in permissions.subordinate_ids(_fresh(cast.supervisor))


def test_a_cycle_in_the_tree_does_not_loop_and_never_includes_oneself(cast):
    Employee.objects.filter(pk=cast.supervisor.pk).update(supervisor=cast.employee)  # bad data: a loop
    assert permissions.subordinate_ids(_fresh(cast.supervisor)) == {cast.employee.pk, cast.clerk.pk}


def _queries_for_subordinates(employee: Employee) -> int:
    fresh = _fresh(employee)
    with CaptureQueriesContext(connection) as queries:
        permissions.subordinate_ids(fresh)
        permissions.subordinate_ids(fresh)  # cached for the rest of the request
    return len(queries)


def test_subordinates_take_one_query_at_any_department_size(cast):
    # Queries: the recursive walk down from the supervisor (the second call reads the cache).
    small = _queries_for_subordinates(cast.supervisor)
    EmployeeFactory.create_batch(40, supervisor=cast.employee)
    EmployeeFactory.create_batch(40, supervisor=cast.outsider)
    assert small == _queries_for_subordinates(cast.supervisor) == 1


def test_subordinates_do_not_read_other_teams_rows(cast):
    EmployeeFactory.create_batch(30, supervisor=cast.outsider)
    fresh = _fresh(cast.supervisor)
    with CaptureQueriesContext(connection) as queries:
        permissions.subordinate_ids(fresh)
    assert "WITH RECURSIVE" in queries[0]["sql"]


def test_a_long_chain_is_walked_to_its_end(cast):
    chain = [cast.employee]
    for _ in range(10):
        chain.append(EmployeeFactory(supervisor=chain[-1]))
    assert permissions.subordinate_ids(_fresh(cast.supervisor)) == {person.pk for person in chain} | {cast.clerk.pk}


def test_a_cycle_below_a_supervisor_ends_and_lists_each_person_once(cast):
    deep = EmployeeFactory(supervisor=cast.employee)
    Employee.objects.filter(pk=cast.employee.pk).update(supervisor=deep)  # bad data: employee ↔ deep, under nobody
    EmployeeFactory.create_batch(3, supervisor=deep)
    assert len(permissions.subordinate_ids(_fresh(deep))) == 4  # the three and cast.employee; not deep itself
