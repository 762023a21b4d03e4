"""Role × route for every worklog page. Outside one's reach is 404; visible but not allowed is 403."""

import pytest

from tests.matrix import Route, assert_covers, cases, request_route
from tests.worklog.factories import DailyReportFactory, TaskFactory

R = 302  # a redirect after a POST that ran

NOT_THEIRS = {"other_supervisor": 404, "outsider": 404, "clerk": 404}
WRITERS = {"hr": 403, "manager": 403}
TEAM_PAGES = {"employee": 403, "outsider": 403, "clerk": 403}


def report_of_employee(cast) -> dict:
    return {"pk": DailyReportFactory(employee=cast.employee).pk}


def task_of_employee(cast) -> dict:
    return {"pk": TaskFactory(assignee=cast.employee, assigned_by=cast.supervisor).pk}


MATRIX = {
    "my_reports": Route(default=200, expect=WRITERS),
    "report_today": Route(default=200, expect=WRITERS),
    "report_detail": Route(kwargs=report_of_employee, default=200, expect=NOT_THEIRS),
    "report_review": Route(method="post", kwargs=report_of_employee, data=lambda c: {"rating": "good", "comment": "好"},
                           default=403, expect={"supervisor": R, "manager": R, **NOT_THEIRS}),
    "team_reports": Route(default=200, expect=TEAM_PAGES),
    "task_list": Route(default=200, expect={}),
    "task_create": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200}),
    "task_detail": Route(kwargs=task_of_employee, default=200, expect=NOT_THEIRS),
    "task_done": Route(method="post", kwargs=task_of_employee, default=403, expect={"employee": R, **NOT_THEIRS}),
    "task_feedback": Route(method="post", kwargs=task_of_employee, data=lambda c: {"reason": "忙", "new_plan": "明天"},
                           default=403, expect={"employee": R, **NOT_THEIRS}),
    "team_tasks": Route(default=200, expect=TEAM_PAGES),
}


def test_every_worklog_route_is_in_the_matrix():
    assert_covers("worklog", MATRIX)


@pytest.mark.parametrize("name,role", cases(MATRIX))
def test_role_gets_expected_status(client, cast, clock, name, role):
    route = MATRIX[name]
    response = request_route(client, cast, "worklog", name, route, role)
    assert response.status_code == route.status_for(role), (name, role)
