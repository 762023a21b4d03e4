"""Whose leave one decides: one rule, read per object (`decides_leave_of`) and as a filter (`whose_leave_decided_by`)."""

from django.urls import reverse
import pytest

from leave import selectors
from leave.models import LeaveRequest
from opsdept import permissions
from opsdept.models import Employee

from .factories import LeaveRequestFactory

PEOPLE = ["manager", "supervisor", "employee", "other_supervisor", "outsider", "hr", "clerk"]


def _agree(cast) -> None:
    """For every pair of the cast, the per-object check says yes exactly when the filter lists the employee."""
    for approver_role in PEOPLE:
        approver = Employee.objects.select_related("user").get(pk=cast.by_role(approver_role).pk)
        as_filter = set(Employee.objects.filter(permissions.whose_leave_decided_by(approver)).values_list("pk", flat=True))
        for role in PEOPLE:
            employee = Employee.objects.select_related("supervisor").get(pk=cast.by_role(role).pk)
            assert permissions.decides_leave_of(approver.user, employee) == (employee.pk in as_filter), (approver_role, role)


def test_the_filter_and_the_object_check_agree_for_the_cast(cast):
    _agree(cast)
    supervisor = cast.supervisor
    names = {employee.name for employee in Employee.objects.filter(permissions.whose_leave_decided_by(supervisor))}
    assert names == {cast.employee.name, cast.clerk.name}


def test_they_agree_when_a_supervisor_has_left(cast):
    Employee.objects.filter(pk=cast.supervisor.pk).update(is_active=False)
    _agree(cast)
    decided = set(Employee.objects.filter(permissions.whose_leave_decided_by(cast.manager)).values_list("pk", flat=True))
    assert {cast.employee.pk, cast.clerk.pk} <= decided and cast.manager.pk not in decided


def test_they_agree_for_someone_without_a_supervisor(cast):
    Employee.objects.filter(pk=cast.outsider.pk).update(supervisor=None)
    _agree(cast)


def test_the_emergency_form_offers_exactly_those_whose_leave_one_decides(client, cast):
    Employee.objects.filter(pk=cast.other_supervisor.pk).update(is_active=False)
    client.force_login(cast.manager.user)
    response = client.get(reverse("leave:emergency_new"))
    offered = set(response.context["form"].fields["employee"].queryset.values_list("pk", flat=True))
    expected = set(selectors.employees_whose_leave_decided_by(cast.manager).values_list("pk", flat=True))
    # The manager decides for the supervisors, HR and the team of the supervisor who left (not for them: inactive).
    assert offered == expected == {cast.supervisor.pk, cast.hr.pk, cast.outsider.pk}


def test_the_pending_queue_holds_exactly_those_whose_leave_one_decides(cast):
    for person in (cast.employee, cast.outsider, cast.supervisor, cast.hr):
        LeaveRequestFactory(employee=person)
    LeaveRequestFactory(employee=cast.clerk, status=LeaveRequest.Status.APPROVED)
    assert {leave.employee for leave in selectors.pending_requests_for(cast.supervisor)} == {cast.employee}
    assert {leave.employee for leave in selectors.pending_requests_for(cast.manager)} == {cast.supervisor, cast.hr}


@pytest.mark.parametrize("role", ["employee", "clerk"])
def test_people_who_lead_nobody_decide_nobodys_leave(cast, role):
    assert not Employee.objects.filter(permissions.whose_leave_decided_by(cast.by_role(role))).exists()


def test_hr_decides_exactly_the_managers_own_leave_never_nobody(cast):
    """Issue 12: the manager's own requests go to HR (or whom HR names), never to nobody."""
    decided = set(Employee.objects.filter(permissions.whose_leave_decided_by(cast.hr)).values_list("pk", flat=True))
    assert decided == {cast.manager.pk}
    LeaveRequestFactory(employee=cast.manager)
    assert {leave.employee for leave in selectors.pending_requests_for(cast.hr)} == {cast.manager}
