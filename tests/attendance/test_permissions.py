"""Role × route for every attendance page."""

import pytest

from tests.attendance.factories import CorrectionFactory, OvertimeFactory
from tests.matrix import Route, assert_covers, assert_route, cases, name_decider, request_route

R = 302  # a redirect after a POST (the action ran, or was refused with a message)
NS = "attendance"


def correction_of(employee):
    return CorrectionFactory(employee=employee)


def overtime_of(employee):
    return OvertimeFactory(employee=employee)


APPROVE = lambda c: {"decision": "approve", "comment": ""}  # noqa: E731
HR_ONLY = {"hr": 200}

HR_R = {"hr": R}
OUT_OF_LINE = {"other_supervisor": 404, "outsider": 404, "clerk": 404}


def dispute_of(employee):
    from datetime import date

    from attendance.models import DayDispute, MonthClose, MonthConfirmation

    close = MonthClose.objects.create(month=date(2026, 10, 1), opened_by=employee)
    confirmation = MonthConfirmation.objects.create(close=close, employee=employee, status="disputed")
    return DayDispute.objects.create(confirmation=confirmation, employee=employee, date=date(2026, 10, 12), reason="我打了卡")


MATRIX = {
    "punch": Route(default=200, expect={}),
    "my_month": Route(default=200, expect={}),
    "employee_month": Route(kwargs=lambda c: {"pk": c.employee.pk}, default=200,
                            expect={"other_supervisor": 404, "outsider": 404, "clerk": 404}),
    "team_today": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "hr": 200, "manager": 200}),
    "team_month": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "hr": 200, "manager": 200}),
    "corrections": Route(default=200, expect={}),
    "correction_detail": Route(kwargs=lambda c: {"pk": correction_of(c.employee).pk}, default=200, expect=OUT_OF_LINE),
    "correction_cancel": Route(method="post", kwargs=lambda c: {"pk": correction_of(c.employee).pk},
                               default=404, expect={"employee": R, "supervisor": 403, "hr": 403, "manager": 403}),
    "correction_decide": Route(method="post", kwargs=lambda c: {"pk": correction_of(c.employee).pk}, data=APPROVE,
                               default=404, expect={"employee": 403, "supervisor": R, "manager": R, "hr": 403}),
    "overtime": Route(default=200, expect={}),
    "overtime_detail": Route(kwargs=lambda c: {"pk": overtime_of(c.employee).pk}, default=200, expect=OUT_OF_LINE),
    "overtime_cancel": Route(method="post", kwargs=lambda c: {"pk": overtime_of(c.employee).pk},
                             default=404, expect={"employee": R, "supervisor": 403, "hr": 403, "manager": 403}),
    "overtime_decide": Route(method="post", kwargs=lambda c: {"pk": overtime_of(c.employee).pk}, data=APPROVE,
                             default=404, expect={"employee": 403, "supervisor": R, "manager": R, "hr": 403}),
    # HR decides the manager's own corrections and overtime (the top approver), and what escalates to it.
    "approvals": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 200}),
    "export": Route(default=403, expect={"hr": 200, "manager": 200}),
    "import": Route(default=403, expect=HR_ONLY),
    "settings": Route(default=403, expect=HR_ONLY),
    "confirm": Route(default=200, expect={}),
    "month_confirm": Route(method="post", default=R, expect={}),          # refused with a message: not open
    "day_dispute": Route(method="post", default=R, expect={}),
    "confirmations": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 200}),
    "confirmation_open": Route(method="post", default=403, expect=HR_R),
    "confirmation_remind": Route(method="post", default=403, expect=HR_R),
    "month_lock": Route(method="post", default=403, expect=HR_R),
    "locked_punch": Route(method="post", default=403, expect=HR_R),
    "dispute_resolve": Route(method="post", kwargs=lambda c: {"pk": dispute_of(c.employee).pk},
                             data=lambda c: {"resolution": "note", "note": "打卡机故障，已核实"},
                             default=404, expect={"employee": 403, "supervisor": R, "manager": R, "hr": 403}),
    "comp_time": Route(default=200, expect={}),
    "comp_time_adjust": Route(method="post", kwargs=lambda c: {"pk": c.employee.pk},
                              data=lambda c: {"hours": "8", "reason": "补录国庆值班"},
                              default=404, expect={"employee": 403, "supervisor": 403, "manager": 403, "hr": R}),
}


def test_every_attendance_route_is_in_the_matrix():
    assert_covers(NS, MATRIX)


@pytest.mark.parametrize("name,role", cases(MATRIX))
def test_role_gets_expected_status(client, cast, name, role):
    route = MATRIX[name]
    response = request_route(client, cast, NS, name, route, role)
    assert response.status_code == route.status_for(role), (name, role)


def test_supervisor_cannot_decide_own_correction(client, cast):
    correction = CorrectionFactory(employee=cast.supervisor)
    client.force_login(cast.supervisor.user)
    response = client.post(f"/attendance/corrections/{correction.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    correction.refresh_from_db()
    assert correction.status == "pending"


def test_get_on_a_state_change_is_refused(client, cast):
    correction = CorrectionFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    assert client.get(f"/attendance/corrections/{correction.pk}/decide/").status_code == 405


# ---------------------------------------------------------------- HR's named decider (neither HR nor a supervisor)
# 林记录 decides the manager's own corrections and overtime: the approvals page opens for them, they decide
# exactly the manager's requests; HR, who named them, no longer decides those.

def _named(make):
    def kwargs(cast) -> dict:
        name_decider(cast)
        return {"pk": make(cast.manager).pk}
    return kwargs


def _named_page(cast) -> dict:
    name_decider(cast)
    return {}


NAMED_DECIDER_MATRIX = {
    "approvals": Route(kwargs=_named_page, default=403,
                       expect={"supervisor": 200, "other_supervisor": 200, "manager": 200, "hr": 200, "clerk": 200}),
    "correction_decide": Route(method="post", kwargs=_named(correction_of), data=APPROVE, default=404,
                               expect={"clerk": R, "hr": 403, "manager": 403}),
    "overtime_decide": Route(method="post", kwargs=_named(overtime_of), data=APPROVE, default=404,
                             expect={"clerk": R, "hr": 403, "manager": 403}),
}


@pytest.mark.parametrize("name,role", cases(NAMED_DECIDER_MATRIX))
def test_named_decider_case_role_gets_expected_status(client, cast, name, role):
    assert_route(client, cast, NS, NAMED_DECIDER_MATRIX, name, role)


def test_named_decider_sees_and_decides_exactly_the_managers_request(client, cast):
    from django.urls import reverse

    name_decider(cast)
    managers = correction_of(cast.manager)
    others = [correction_of(cast.employee), correction_of(cast.supervisor), correction_of(cast.outsider)]
    managers_overtime, staff_overtime = overtime_of(cast.manager), overtime_of(cast.employee)
    client.force_login(cast.clerk.user)
    page = client.get(reverse("attendance:approvals"))
    assert page.status_code == 200
    assert [item.pk for item in page.context["corrections"]] == [managers.pk]
    assert [item.pk for item in page.context["overtime"]] == [managers_overtime.pk]
    for other in others:
        assert client.post(reverse("attendance:correction_decide", args=[other.pk]), APPROVE(cast)).status_code == 404
    assert client.post(reverse("attendance:overtime_decide", args=[staff_overtime.pk]), APPROVE(cast)).status_code == 404
    assert client.post(reverse("attendance:correction_decide", args=[managers.pk]), APPROVE(cast)).status_code == 302
    managers.refresh_from_db()
    assert managers.status == "approved" and managers.decided_by == cast.clerk
    assert all(type(other).objects.get(pk=other.pk).status == "pending" for other in others)
