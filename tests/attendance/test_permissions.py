"""Role × route for every attendance page."""

import pytest

from tests.attendance.factories import CorrectionFactory, OvertimeFactory
from tests.matrix import Route, assert_covers, cases, request_route

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
