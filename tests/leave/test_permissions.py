"""Role × route for every leave page. The request belongs to the cast's employee (张员工, under 李主管)."""

from django.core.files.base import ContentFile
from django.utils import timezone
import pytest

from leave.models import LeaveAttachment, LeaveRequest
from tests.matrix import Route, assert_covers, assert_route, cases, name_decider, request_route

from .factories import LeaveRequestFactory, leave_type

R = 302  # the action ran (or was refused with a message) and redirected
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
OUT_OF_LINE = {"other_supervisor": 404, "outsider": 404, "clerk": 404}


def pending(cast) -> dict:
    return {"pk": LeaveRequestFactory(employee=cast.employee).pk}


def approved(cast) -> dict:
    leave = LeaveRequestFactory(employee=cast.employee, status=LeaveRequest.Status.APPROVED,
                                decided_by=cast.supervisor, decided_at=timezone.now())
    return {"pk": leave.pk}


def emergency(cast) -> dict:
    leave = LeaveRequestFactory(employee=cast.employee, status=LeaveRequest.Status.APPROVED, decided_by=cast.supervisor,
                                decided_at=timezone.now(), is_emergency=True, granted_via="phone",
                                slip_due=timezone.localdate(), created_by=cast.supervisor)
    return {"pk": leave.pk}


def pending_trip(cast) -> dict:
    from datetime import date

    from leave.models import BusinessTrip

    trip = BusinessTrip.objects.create(employee=cast.employee, start_date=date(2030, 6, 10), end_date=date(2030, 6, 11),
                                       days=2, destination="上海", reason="客户拜访")
    return {"pk": trip.pk}


def attachment(cast) -> dict:
    leave = LeaveRequestFactory(employee=cast.employee, leave_type=leave_type("sick"))
    item = LeaveAttachment(request=leave, original_name="病假条.png", content_type="image/png", size=len(PNG),
                           uploaded_by=cast.employee)
    item.file.save("x.png", ContentFile(PNG), save=False)
    item.save()
    return {"pk": item.pk}


MATRIX = {
    "my_requests": Route(default=200, expect={}),
    "request_new": Route(default=200, expect={}),
    "detail": Route(kwargs=pending, default=200, expect=OUT_OF_LINE),
    "slip": Route(kwargs=approved, default=200, expect=OUT_OF_LINE),
    "approve": Route(method="post", kwargs=pending, default=403, expect={"supervisor": R, **OUT_OF_LINE}),
    "reject": Route(method="post", kwargs=pending, data=lambda c: {"note": "人手不足"}, default=403,
                    expect={"supervisor": R, **OUT_OF_LINE}),
    "cancel": Route(method="post", kwargs=pending, default=403, expect={"employee": R, **OUT_OF_LINE}),
    "end_early": Route(method="post", kwargs=approved, data=lambda c: {"end_date": "2026-12-01", "end_half": "am", "note": "提前返岗"},
                       default=403, expect={"supervisor": R, **OUT_OF_LINE}),
    "written_slip": Route(method="post", kwargs=emergency, data=lambda c: {"reason": "急病"}, default=403,
                          expect={"employee": R, **OUT_OF_LINE}),
    "attachment": Route(kwargs=attachment, default=200, expect={"other_supervisor": 404, "outsider": 404, "clerk": 404}),
    # HR decides the manager's own requests (or names who does), so HR has the page too.
    "pending": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 200}),
    "emergency_new": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200}),
    "team_calendar": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 200}),
    "balances": Route(default=403, expect={"hr": 200, "manager": 200}),
    "balance_adjust": Route(kwargs=lambda c: {"employee_pk": c.employee.pk}, default=403, expect={"hr": 200}),
    "types": Route(default=403, expect={"hr": 200}),
    "type_new": Route(default=403, expect={"hr": 200}),
    "type_edit": Route(kwargs=lambda c: {"pk": leave_type("sick").pk}, default=403, expect={"hr": 200}),
    "settings": Route(method="post", data=lambda c: {"emergency_slip_workdays": 3, "max_attachment_mb": 5},
                      default=403, expect={"hr": R}),
    "trips": Route(default=200, expect={}),
    "trip_detail": Route(kwargs=pending_trip, default=200, expect=OUT_OF_LINE),
    "trip_approve": Route(method="post", kwargs=pending_trip, default=403, expect={"supervisor": R, **OUT_OF_LINE}),
    "trip_reject": Route(method="post", kwargs=pending_trip, data=lambda c: {"note": "不必出差"}, default=403,
                         expect={"supervisor": R, **OUT_OF_LINE}),
    "trip_cancel": Route(method="post", kwargs=pending_trip, default=403, expect={"employee": R, **OUT_OF_LINE}),
}


def test_every_leave_route_is_in_the_matrix():
    assert_covers("leave", MATRIX)


@pytest.mark.parametrize("name,role", cases(MATRIX))
def test_role_gets_expected_status(client, cast, name, role):
    route = MATRIX[name]
    response = request_route(client, cast, "leave", name, route, role)
    assert response.status_code == route.status_for(role), (name, role)


def test_slip_of_a_pending_request_is_not_found(client, cast):
    client.force_login(cast.employee.user)
    response = client.get(f"/leave/{pending(cast)['pk']}/slip/")
    assert response.status_code == 404


# ---------------------------------------------------------------- issue 12: the deputy and the escalation cases
# The same routes, with 李主管 away and 赵主管 named deputy for the request's dates, or with the
# request escalated to the manager: they see it and decide it; nobody else gains anything.

def _deputy_pending(cast) -> dict:
    from datetime import timedelta

    from opsdept.models import Deputy

    leave = LeaveRequestFactory(employee=cast.employee)
    Deputy.objects.create(principal=cast.supervisor, deputy=cast.other_supervisor, start_date=leave.start_date - timedelta(days=1),
                          end_date=leave.end_date + timedelta(days=1), created_by=cast.supervisor)
    return {"pk": leave.pk}


def _escalated_pending(cast) -> dict:
    leave = LeaveRequestFactory(employee=cast.employee, escalated_to=cast.manager, escalated_at=timezone.now())
    return {"pk": leave.pk}


DEPUTY_MATRIX = {
    "detail": Route(kwargs=_deputy_pending, default=200, expect={"outsider": 404, "clerk": 404}),
    "approve": Route(method="post", kwargs=_deputy_pending, default=403,
                     expect={"supervisor": R, "other_supervisor": R, "outsider": 404, "clerk": 404}),
    "reject": Route(method="post", kwargs=_deputy_pending, data=lambda c: {"note": "人手不足"}, default=403,
                    expect={"supervisor": R, "other_supervisor": R, "outsider": 404, "clerk": 404}),
    "pending": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 200}),
}
ESCALATED_MATRIX = {
    "detail": Route(kwargs=_escalated_pending, default=200, expect=OUT_OF_LINE),
    "approve": Route(method="post", kwargs=_escalated_pending, default=403,
                     expect={"supervisor": R, "manager": R, **OUT_OF_LINE}),
}


@pytest.mark.parametrize("name,role", cases(DEPUTY_MATRIX))
def test_deputy_case_role_gets_expected_status(client, cast, name, role):
    route = DEPUTY_MATRIX[name]
    with _frozen_before_start():
        response = request_route(client, cast, "leave", name, route, role)
    assert response.status_code == route.status_for(role), (name, role)


@pytest.mark.parametrize("name,role", cases(ESCALATED_MATRIX))
def test_escalation_case_role_gets_expected_status(client, cast, name, role):
    route = ESCALATED_MATRIX[name]
    response = request_route(client, cast, "leave", name, route, role)
    assert response.status_code == route.status_for(role), (name, role)


def _frozen_before_start():
    from .helpers import local_time

    return local_time(2026, 11, 27)   # the factory's request starts 2026-12-01


# ---------------------------------------------------------------- HR's named decider (neither HR nor a supervisor)
# 林记录 decides the manager's own leave: they open it and decide it; HR, who named them, no longer does.

def _managers_pending(cast) -> dict:
    name_decider(cast)
    return {"pk": LeaveRequestFactory(employee=cast.manager).pk}


def _named_page(cast) -> dict:
    name_decider(cast)
    return {}


NAMED_DECIDER_MATRIX = {
    "detail": Route(kwargs=_managers_pending, default=404, expect={"hr": 200, "manager": 200, "clerk": 200}),
    "approve": Route(method="post", kwargs=_managers_pending, default=404, expect={"clerk": R, "hr": 403, "manager": 403}),
    # HR decides no leave once it has named someone else for the manager's
    "pending": Route(kwargs=_named_page, default=403,
                     expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 403, "clerk": 200}),
}


@pytest.mark.parametrize("name,role", cases(NAMED_DECIDER_MATRIX))
def test_named_decider_case_role_gets_expected_status(client, cast, name, role):
    assert_route(client, cast, "leave", NAMED_DECIDER_MATRIX, name, role)
