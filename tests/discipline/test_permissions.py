"""Role × route for every discipline page."""

from datetime import date
import uuid

import pytest

from discipline import services
from discipline.models import Kind, PolicyVersion, Rule
from tests.matrix import Route, assert_covers, assert_route, cases, name_decider, request_route

from .factories import FlagFactory, RecordFactory, rule

R = 302  # a redirect after a POST (the action ran, or was refused with a message)


def flag_of(cast):
    # Idempotent: the browser's matrix tour (tests/e2e/test_matrix_screens.py) builds every route's object in one database.
    from discipline.models import Flag

    found = Flag.objects.filter(employee=cast.employee, date=date(2026, 11, 2)).first()
    return {"pk": (found or FlagFactory(employee=cast.employee)).pk}


def explained_flag_of(cast):
    from django.core.files.base import ContentFile

    from discipline.models import FlagExplanation

    from discipline.models import Flag

    found = Flag.objects.filter(employee=cast.employee, date=date(2026, 11, 3)).first()
    if found is not None:
        return {"pk": found.pk}
    flag = FlagFactory(employee=cast.employee, date=date(2026, 11, 3))
    explanation = FlagExplanation(flag=flag, text="地铁故障", written_by=cast.employee, content_type="application/pdf",
                                  original_name="证明.pdf")
    explanation.file.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    explanation.save()
    return {"pk": flag.pk}


def record_of(cast):
    return {"pk": RecordFactory(employee=cast.employee, issued_by=cast.supervisor).pk}


def appeal_of(cast):
    record = RecordFactory(employee=cast.employee, issued_by=cast.supervisor)
    return {"pk": services.file_appeal(record.pk, actor=cast.employee.user, reason="不服").pk}


def version(cast):
    return {"pk": PolicyVersion.objects.create(label="v1", text_sha256="x", published_by=cast.hr).pk}


def record_data(cast):
    return {"employee": cast.employee.employee_no, "rule": rule("same-day-unfinished").pk, "kind": Kind.FINE, "amount": "50",
            "evidence": "证据", "token": str(uuid.uuid4())}


def late_rule(cast):
    return {"pk": rule("late").pk}


# Staff see their own; supervisors their tree; HR and the manager everyone. Outside one's reach is 404.
SEES_EMPLOYEE = {"employee": 200, "supervisor": 200, "hr": 200, "manager": 200,
                 "other_supervisor": 404, "outsider": 404, "clerk": 404}

MATRIX = {
    "flag_list": Route(default=200, expect={}),
    "flag_detail": Route(kwargs=flag_of, expect=SEES_EMPLOYEE),
    "flag_dismiss": Route(method="post", kwargs=flag_of, data=lambda c: {"reason": "出差"},
                          expect={"employee": 403, "supervisor": R, "hr": 403, "manager": R,
                                  "other_supervisor": 404, "outsider": 404, "clerk": 404}),
    "flag_record": Route(kwargs=flag_of, expect={"employee": 403, "supervisor": 200, "hr": 403, "manager": 200,
                                                 "other_supervisor": 404, "outsider": 404, "clerk": 404}),
    # 情况说明: only the flagged employee explains; the reviewers accept it in one click
    "flag_explain": Route(method="post", kwargs=flag_of, data=lambda c: {"text": "地铁故障"},
                          expect={"employee": R, "supervisor": 403, "hr": 403, "manager": 403,
                                  "other_supervisor": 404, "outsider": 404, "clerk": 404}),
    "flag_accept": Route(method="post", kwargs=explained_flag_of,
                         expect={"employee": 403, "supervisor": R, "hr": 403, "manager": R,
                                 "other_supervisor": 404, "outsider": 404, "clerk": 404}),
    "flag_explanation_file": Route(kwargs=explained_flag_of, expect=SEES_EMPLOYEE),
    "record_list": Route(default=200, expect={}),
    "record_create": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200}),
    "record_detail": Route(kwargs=record_of, expect=SEES_EMPLOYEE),
    "record_reverse": Route(method="post", kwargs=record_of, data=lambda c: {"reason": "有误"},
                            expect={"employee": 403, "supervisor": R, "hr": 403, "manager": R,
                                    "other_supervisor": 404, "outsider": 404, "clerk": 404}),
    "record_appeal": Route(method="post", kwargs=record_of, data=lambda c: {"reason": "不服"},
                           expect={"employee": R, "supervisor": 403, "hr": 403, "manager": 403,
                                   "other_supervisor": 404, "outsider": 404, "clerk": 404}),
    "appeal_list": Route(default=200, expect={}),
    "appeal_detail": Route(kwargs=appeal_of, expect=SEES_EMPLOYEE),
    "appeal_decide": Route(method="post", kwargs=appeal_of, data=lambda c: {"outcome": "upheld", "reason": "维持"},
                           expect={"employee": 403, "supervisor": 403, "hr": 403, "manager": R,
                                   "other_supervisor": 404, "outsider": 404, "clerk": 404}),
    "notice_board": Route(default=200, expect={}),
    "campaign_miss_list": Route(default=403, expect={"supervisor": 200, "other_supervisor": 200, "manager": 200}),
    "rule_list": Route(default=200, expect={}),
    "rule_edit": Route(kwargs=late_rule, default=403, expect={"hr": 200}),
    "settings_edit": Route(default=403, expect={"hr": 200}),
    "policy": Route(default=200, expect={}),
    "policy_publish": Route(method="post", data=lambda c: {"label": "2026版"}, default=403, expect={"hr": R}),
    "policy_acknowledge": Route(method="post", kwargs=version, default=R, expect={}),
    "policy_acknowledgements": Route(default=403, expect={"hr": 200, "manager": 200}),
    "year_end": Route(default=403, expect={"manager": 200}),
}


def test_every_discipline_route_is_in_the_matrix():
    assert_covers("discipline", MATRIX)


@pytest.mark.parametrize("name,role", cases(MATRIX))
def test_role_gets_expected_status(client, cast, name, role):
    route = MATRIX[name]
    response = request_route(client, cast, "discipline", name, route, role)
    assert response.status_code == route.status_for(role), (name, role)


# ---------------------------------------------------------------- HR's named decider (neither HR nor a supervisor)
# 林记录 decides the manager's own appeal: they open it and decide it; HR, who named them, no longer does.

def _managers_appeal(cast) -> dict:
    name_decider(cast)
    record = RecordFactory(employee=cast.manager, issued_by=cast.hr)
    return {"pk": services.file_appeal(record.pk, actor=cast.manager.user, reason="不服").pk}


NAMED_DECIDER_MATRIX = {
    "appeal_detail": Route(kwargs=_managers_appeal, default=404, expect={"hr": 200, "manager": 200, "clerk": 200}),
    "appeal_decide": Route(method="post", kwargs=_managers_appeal, data=lambda c: {"outcome": "upheld", "reason": "维持"},
                           default=404, expect={"clerk": 302, "hr": 403, "manager": 403}),
}


@pytest.mark.parametrize("name,role", cases(NAMED_DECIDER_MATRIX))
def test_named_decider_case_role_gets_expected_status(client, cast, name, role):
    assert_route(client, cast, "discipline", NAMED_DECIDER_MATRIX, name, role)
