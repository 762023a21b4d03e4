"""One way to filter every list (issue 13 item 10): django-filter panels on the audit trail, flags,
requests and people; an invalid filter is a Chinese error, never a 500; scoping still holds."""

from datetime import date

import pytest
from django.utils import translation

from attendance.models import Correction
from discipline.models import Flag, Rule
from leave.models import LeaveRequest
from tests.attendance.factories import CorrectionFactory
from tests.leave.factories import LeaveRequestFactory


def _flag(employee, day, status=Flag.Status.OPEN):
    return Flag.objects.create(employee=employee, date=day, rule=Rule.objects.order_by("pk").first(), status=status)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/audit/", "/people/", "/discipline/flags/", "/discipline/appeals/",
                                 "/leave/pending/", "/leave/", "/attendance/approvals/"])
def test_every_list_has_the_one_filter_panel_and_refuses_bad_dates_in_chinese(client, cast, url):
    user = cast.hr.user if url in ("/audit/", "/people/") else cast.supervisor.user
    client.force_login(user)
    response = client.get(url, {"start": "1800-01-01"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    if "start" not in response.context["filter"].form.fields:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200
    else:
        assert response.status_code == 200
        assert response.context["filter"].form.errors
    html = response.content.decode()
    assert 'data-testid="filters"' in html and "<details" in html


@pytest.mark.django_db
def test_people_filter_by_name_department_and_inactive(client, cast):
    client.force_login(cast.hr.user)
    names = [e.name for e in client.get("/people/", {"q": "主管"}).context["employees"]]
    assert sorted(names) == ["李主管", "赵主管"]
    names = [e.name for e in client.get("/people/", {"department": cast.outsider.department_id}).context["employees"]]
    assert sorted(names) == ["孙员工", "赵主管"]
    cast.clerk.is_active = False
    cast.clerk.save()
    assert "林记录" not in [e.name for e in client.get("/people/").context["employees"]]
    assert "林记录" in [e.name for e in client.get("/people/", {"inactive": "on"}).context["employees"]]


@pytest.mark.django_db
def test_review_list_shows_open_flags_by_default_and_decided_ones_on_request(client, cast):
    _flag(cast.employee, date(2026, 11, 2))
    _flag(cast.employee, date(2026, 11, 3), Flag.Status.DISMISSED)
    _flag(cast.outsider, date(2026, 11, 2))  # another team: never shown
    client.force_login(cast.supervisor.user)
    response = client.get("/discipline/flags/")
    assert [f.date for f in response.context["page"]] == [date(2026, 11, 2)]
    assert not response.context["filter"].active
    response = client.get("/discipline/flags/", {"status": ""})
    assert sorted(f.date for f in response.context["page"]) == [date(2026, 11, 2), date(2026, 11, 3)]
    assert {f.employee for f in response.context["page"]} == {cast.employee}
    response = client.get("/discipline/flags/", {"status": "dismissed", "who": "张"})
    assert [f.date for f in response.context["page"]] == [date(2026, 11, 3)]


@pytest.mark.django_db
def test_leave_to_approve_filters_by_person_and_dates(client, cast):
    LeaveRequestFactory(employee=cast.employee, start_date=date(2026, 12, 1))
    LeaveRequestFactory(employee=cast.clerk, start_date=date(2026, 12, 8))
    client.force_login(cast.supervisor.user)
    assert len(client.get("/leave/pending/").context["requests"]) == 2
    assert [r.employee for r in client.get("/leave/pending/", {"who": "林"}).context["requests"]] == [cast.clerk]
    assert [r.employee for r in client.get("/leave/pending/", {"end": "2026-12-05"}).context["requests"]] == [cast.employee]


# ---------------------------------------------------------------- approve / reject in the list (htmx)

@pytest.mark.django_db
def test_approving_in_the_list_with_htmx_answers_the_row_in_place(client, cast):
    leave = LeaveRequestFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    with translation.override("zh-hans"):
        response = client.post(f"/leave/{leave.pk}/approve/", {"note": ""}, HTTP_HX_REQUEST="true",
                               HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr") and "<html" not in html
    assert 'data-testid="row-done"' in html
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED and leave.decided_by == cast.supervisor


@pytest.mark.django_db
def test_rejecting_in_the_list_without_a_reason_keeps_the_row_pending_with_the_error(client, cast):
    leave = LeaveRequestFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    response = client.post(f"/leave/{leave.pk}/reject/", {"note": " "}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert 'data-testid="row-error"' in html and 'data-testid="approve"' in html
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.PENDING


@pytest.mark.django_db
def test_in_list_decisions_keep_the_permission_checks(client, cast):
    own = LeaveRequestFactory(employee=cast.supervisor)  # nobody approves themselves
    other_team = LeaveRequestFactory(employee=cast.outsider)
    client.force_login(cast.supervisor.user)
    assert client.post(f"/leave/{own.pk}/approve/", HTTP_HX_REQUEST="true").status_code == 403
    assert client.post(f"/leave/{other_team.pk}/approve/", HTTP_HX_REQUEST="true").status_code == 404
    assert LeaveRequest.objects.filter(status=LeaveRequest.Status.PENDING).count() == 2


@pytest.mark.django_db
def test_correction_decided_in_the_list_with_htmx(client, cast):
    correction = CorrectionFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    response = client.post(f"/attendance/corrections/{correction.pk}/decide/", {"decision": "approve"},
                           HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith("<tr") and 'data-testid="row-status"' in html
    correction.refresh_from_db()
    assert correction.status == Correction.Status.APPROVED if hasattr(Correction, "Status") else correction.status == "approved"
