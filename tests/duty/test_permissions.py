"""Role × route for every duty page. Outside one's reach is 404; visible but not allowed is 403.

The cast's supervisor arranges the rosters (their team: themself, the employee, the clerk).
"""

from datetime import date, time

import pytest

from duty import services
from duty.services import ShiftPlan
from tests.matrix import Route, assert_covers, cases, request_route

from .conftest import NATIONAL_DAY, assignment_on

R = 302  # a redirect after a POST that ran (or was refused with a message)
DATES = {"start_date": "2026-10-01", "end_date": "2026-10-07"}
NOT_VISIBLE = {"employee": 404, "clerk": 404, "outsider": 404, "other_supervisor": 404}


def published(cast):
    """The supervisor's published roster; the employee is in charge of 10-01."""
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    first = roster.days.get(date=date(2026, 10, 1))
    services.set_duty_day(first.pk, actor=cast.supervisor.user, responsible_id=cast.employee.pk,
                          shifts=[ShiftPlan(time(9), time(18), {cast.employee.pk: ""})])
    services.fill_roster_evenly(roster.pk, actor=cast.supervisor.user)
    services.publish_duty_roster(roster.pk, actor=cast.supervisor.user)
    return roster


def draft(cast):
    roster = services.start_duty_roster(actor=cast.supervisor.user, start_date=NATIONAL_DAY[0], end_date=NATIONAL_DAY[1])
    services.fill_roster_evenly(roster.pk, actor=cast.supervisor.user)
    return roster


def swap(cast, *, accepted: bool = False):
    roster = published(cast)
    assignment = assignment_on(roster, date(2026, 10, 1), cast.employee)
    made = services.request_duty_swap(assignment.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="有事",
                                      today=date(2026, 9, 28))
    if accepted:
        services.accept_duty_swap(made.pk, actor=cast.clerk.user)
    return {"pk": made.pk}


RESPOND = {"clerk": R, "employee": 403, "supervisor": 403, "manager": 403, "hr": 403}
DECIDE = {"supervisor": R, "manager": R, "employee": 403, "clerk": 403, "hr": 403}

MATRIX = {
    "index": Route(default=200, expect={}),
    "mine": Route(default=200, expect={}),
    "period_declare": Route(default=403, expect={"hr": 200}),
    "period_compensation": Route(method="post", data=lambda c: {**DATES, "compensation": "pay", "pay_rate": "3"},
                                 default=403, expect={"hr": R}),
    "roster_create": Route(method="post", data=lambda c: DATES, default=403,
                           expect={"supervisor": R, "other_supervisor": R, "manager": R}),
    "roster_detail": Route(kwargs=lambda c: {"pk": published(c).pk}, default=200, expect={}),
    "roster_fill": Route(kwargs=lambda c: {"pk": draft(c).pk}, default=404,
                         expect={"supervisor": 200, "manager": 200, "hr": 403}),
    "roster_publish": Route(method="post", kwargs=lambda c: {"pk": draft(c).pk}, default=404,
                            expect={"supervisor": R, "manager": R, "hr": 403}),
    "roster_day": Route(kwargs=lambda c: {"pk": draft(c).days.first().pk}, default=404,
                        expect={"supervisor": 200, "manager": 200, "hr": 403}),
    "log_write": Route(kwargs=lambda c: {"pk": published(c).days.get(date=date(2026, 10, 1)).pk}, default=403,
                       expect={"employee": 200}),
    "swap_request": Route(kwargs=lambda c: {"pk": assignment_on(published(c), date(2026, 10, 1), c.employee).pk},
                          default=404, expect={"employee": 200}),
    "swap_detail": Route(kwargs=swap, default=200, expect={"other_supervisor": 404, "outsider": 404}),
    "swap_accept": Route(method="post", kwargs=swap, default=404, expect=RESPOND),
    "swap_decline": Route(method="post", kwargs=swap, default=404, expect=RESPOND),
    "swap_withdraw": Route(method="post", kwargs=swap, default=404,
                           expect={"employee": R, "clerk": R, "supervisor": 403, "manager": 403, "hr": 403}),
    "swap_approve": Route(method="post", kwargs=lambda c: swap(c, accepted=True), default=404, expect=DECIDE),
    "swap_reject": Route(method="post", kwargs=lambda c: swap(c, accepted=True), data=lambda c: {"note": "不行"},
                         default=404, expect=DECIDE),
}


def test_every_duty_route_is_in_the_matrix():
    assert_covers("duty", MATRIX)


@pytest.mark.parametrize("name,role", cases(MATRIX))
def test_role_gets_expected_status(client, cast, clock, name, role):
    route = MATRIX[name]
    response = request_route(client, cast, "duty", name, route, role)
    assert response.status_code == route.status_for(role), (name, role)
