"""The decision pages of corrections and overtime give the approver context (issue 13 item 12), in the one
shape leave uses (opsdept.selectors.ApprovalContext): the requester's balances, their other requests of the
kind that month, and their punches that day; its queries do not grow with the rows."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from attendance import selectors
from attendance.models import AttendanceSettings
from tests.attendance.factories import CorrectionFactory, OvertimeFactory, punch_day

pytestmark = pytest.mark.django_db


def test_a_correction_shows_the_months_corrections_against_the_limit_and_the_days_punches(cast):
    item = CorrectionFactory(employee=cast.employee, date=date(2026, 10, 12), time=time(18, 0))
    earlier = CorrectionFactory(employee=cast.employee, date=date(2026, 10, 5), status="approved")
    CorrectionFactory(employee=cast.employee, date=date(2026, 10, 6), status="cancelled")   # withdrawn: not shown
    CorrectionFactory(employee=cast.employee, date=date(2026, 9, 30))                       # another month
    CorrectionFactory(employee=cast.clerk, date=date(2026, 10, 12))                         # someone else
    punch_day(cast.employee, "2026-10-12", "08:58")
    punch_day(cast.employee, "2026-10-13", "09:00")                                         # another day
    with translation.override("zh-hans"):
        context = selectors.approval_context(item)
    assert context.employee == cast.employee and context.month_start == date(2026, 10, 1)
    assert context.balances[0].text == "2026-10 已补卡 2 次（每月上限 3 次）"  # this one and the approved one
    assert [(line.start, line.status) for line in context.this_month] == [(earlier.date, "approved")]
    assert [line.text.split(" · ")[0] for line in context.side] == ["08:58"]
    assert context.side_testid == "context-punches"


def test_an_overtime_request_shows_the_months_approved_hours_comp_time_and_other_requests(cast):
    item = OvertimeFactory(employee=cast.employee, date=date(2026, 10, 20))
    OvertimeFactory(employee=cast.employee, date=date(2026, 10, 12), start_time=time(19, 0), end_time=time(21, 30),
                    status="approved")
    OvertimeFactory(employee=cast.employee, date=date(2026, 10, 13), start_time=time(19, 0), end_time=time(20, 0),
                    status="approved")
    OvertimeFactory(employee=cast.employee, date=date(2026, 10, 14), status="rejected")
    with translation.override("zh-hans"):
        context = selectors.approval_context(item)
    assert context.balances[0].text == "2026-10 已批准加班 3.5 小时"  # 2.5 + 1; the rejected one not counted
    assert "调休" in context.balances[1].text
    assert [line.status for line in context.this_month] == ["approved", "approved", "rejected"]
    assert context.side == []                       # no punches on the 20th (yet)


def test_the_decision_page_shows_the_context_to_the_decider_only(client, cast):
    item = CorrectionFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    response = client.get(f"/attendance/corrections/{item.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.context["context"] is not None
    assert 'data-testid="approval-context"' in html and 'data-testid="context-punches"' in html
    assert f'action="/attendance/corrections/{item.pk}/decide/"' in html and "hx-post" not in html  # a plain form here
    client.force_login(cast.employee.user)  # the requester sees her request, not the approver's context
    assert client.get(f"/attendance/corrections/{item.pk}/").context["context"] is None
    overtime = OvertimeFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    assert 'data-testid="approval-context"' in client.get(f"/attendance/overtime/{overtime.pk}/").content.decode()


def test_the_approvals_list_links_each_row_to_its_decision_page(client, cast):
    correction, overtime = CorrectionFactory(employee=cast.employee), OvertimeFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    html = client.get("/attendance/approvals/").content.decode()
    assert f'href="/attendance/corrections/{correction.pk}/"' in html and f'href="/attendance/overtime/{overtime.pk}/"' in html


@pytest.mark.parametrize("factory,url", [(CorrectionFactory, "corrections"), (OvertimeFactory, "overtime")])
def test_the_context_query_count_stays_flat_as_the_month_fills(client, cast, factory, url):
    item = factory(employee=cast.employee, date=date(2026, 10, 20))
    client.force_login(cast.supervisor.user)
    client.get(f"/attendance/{url}/{item.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/attendance/{url}/{item.pk}/")
    for day in (5, 6, 7, 8):
        factory(employee=cast.employee, date=date(2026, 10, day), status="approved")
        punch_day(cast.employee, "2026-10-20", f"0{day}:00")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/attendance/{url}/{item.pk}/")
    assert len(many) == len(few)


def test_the_selector_keeps_to_its_query_budget(cast, django_assert_max_num_queries):
    correction = CorrectionFactory(employee=cast.employee)
    overtime = OvertimeFactory(employee=cast.employee)
    AttendanceSettings.current()  # the settings row exists in a running department (its first read writes it)
    # others of the month, the punches, the settings' limit (corrections) or the comp-time ledger (overtime)
    with django_assert_max_num_queries(3):
        selectors.approval_context(correction)
    with django_assert_max_num_queries(3):
        selectors.approval_context(overtime)


@pytest.mark.parametrize("factory,url", [(CorrectionFactory, "corrections"), (OvertimeFactory, "overtime")])
def test_deciding_on_the_decision_page_answers_on_that_page(client, cast, factory, url):
    item = factory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    page = f"/attendance/{url}/{item.pk}/"
    response = client.post(f"{page}decide/", {"decision": "approve"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302 and response.url == page
    item.refresh_from_db()
    assert item.status == "approved"
    # deciding it again is refused, and the refusal is shown on the request's page, with its status
    response = client.post(f"{page}decide/", {"decision": "reject"}, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert response.redirect_chain == [(page, 302)]
    html = response.content.decode()
    assert 'data-testid="request-status"' in html and "alert-danger" in html
    item.refresh_from_db()
    assert item.status == "approved"
    assert client.post(f"{page}decide/", {"decision": "maybe"}).url == page
