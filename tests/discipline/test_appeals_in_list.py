"""Appeals upheld or revoked in the list with htmx (issue 13 item 5): one click where no amount is needed (reducing
one stays on the appeal's page), the row answers in place, a plain POST still redirects, and only the appeal's
decider gets the buttons and may post them (nothing written otherwise)."""

import uuid

import pytest

from discipline import services as discipline_services
from discipline.models import Appeal, Kind, Record
from tests.htmx import HTMX, is_row

from .factories import RecordFactory, rule

pytestmark = pytest.mark.django_db


def appeal_of(cast, employee, issuer) -> Appeal:
    record, _ = discipline_services.issue_record(
        employee.pk, actor=issuer.user, rule_id=rule("same-day-unfinished").pk, kind=Kind.FINE, amount="50",
        evidence="未交日报", token=uuid.uuid4())
    return discipline_services.file_appeal(record.pk, actor=employee.user, reason="那天在出差")


def test_an_appeal_revoked_in_the_list_answers_its_row(client, cast):
    appeal = appeal_of(cast, cast.employee, cast.supervisor)
    client.force_login(cast.manager.user)
    page = client.get("/discipline/appeals/").content.decode()
    assert f'hx-post="/discipline/appeals/{appeal.pk}/decide/"' in page and 'value="revoked"' in page
    response = client.post(f"/discipline/appeals/{appeal.pk}/decide/", {"outcome": "revoked", "reason": "确在出差"}, **HTMX)
    html = response.content.decode()
    assert is_row(response) and 'data-testid="row-done"' in html and 'data-testid="approve"' not in html
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVOKED
    assert Record.objects.filter(reverses=appeal.record).exists()


def test_an_appeal_without_a_reason_stays_pending_in_its_row(client, cast):
    appeal = appeal_of(cast, cast.employee, cast.supervisor)
    client.force_login(cast.manager.user)
    response = client.post(f"/discipline/appeals/{appeal.pk}/decide/", {"outcome": "upheld", "reason": ""}, **HTMX)
    html = response.content.decode()
    assert is_row(response) and 'data-testid="row-error"' in html and 'data-testid="approve"' in html
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.PENDING


def test_an_appeal_decided_without_htmx_redirects_to_its_page(client, cast):
    appeal = appeal_of(cast, cast.employee, cast.supervisor)
    client.force_login(cast.manager.user)
    response = client.post(f"/discipline/appeals/{appeal.pk}/decide/", {"outcome": "upheld", "reason": "证据充分"})
    assert response.status_code == 302 and response["Location"] == f"/discipline/appeals/{appeal.pk}/"
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD


def test_only_the_decider_gets_buttons_and_nobody_decides_their_own_appeal(client, cast):
    appeal = appeal_of(cast, cast.employee, cast.supervisor)
    client.force_login(cast.supervisor.user)  # sees her team's appeal, does not decide it
    assert 'data-testid="approve"' not in client.get("/discipline/appeals/").content.decode()
    assert client.post(f"/discipline/appeals/{appeal.pk}/decide/", {"outcome": "revoked", "reason": "x"}, **HTMX).status_code == 403
    client.force_login(cast.other_supervisor.user)
    assert client.post(f"/discipline/appeals/{appeal.pk}/decide/", {"outcome": "revoked", "reason": "x"}, **HTMX).status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.PENDING and not Record.objects.filter(reverses=appeal.record).exists()


def test_the_manager_cannot_decide_an_appeal_about_their_own_record(client, cast):
    record = RecordFactory(employee=cast.manager, issued_by=cast.hr)
    appeal = Appeal.objects.create(record=record, employee=cast.manager, reason="不服")
    client.force_login(cast.manager.user)
    assert 'data-testid="approve"' not in client.get("/discipline/appeals/").content.decode()
    assert client.post(f"/discipline/appeals/{appeal.pk}/decide/", {"outcome": "revoked", "reason": "x"}, **HTMX).status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.PENDING
