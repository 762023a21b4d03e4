"""Duty swaps approved or rejected in the list of swaps to decide with htmx (issue 13 item 5): the row answers
in place, a plain POST still goes to the swap's page, and only the roster's supervisor decides (nothing written)."""

from datetime import date

import pytest

from duty import services as duty_services
from duty.models import DutyAssignment, DutySwap
from tests.htmx import HTMX, is_row

from .conftest import national_day_roster

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_swap(cast, clock) -> DutySwap:
    roster = national_day_roster(cast)
    shift = DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee, is_active=True).first()
    swap = duty_services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="家中有事",
                                           today=date(2026, 9, 28))
    duty_services.accept_duty_swap(swap.pk, actor=cast.clerk.user)
    return swap


def test_a_swap_approved_in_the_list_answers_its_row(client, cast, accepted_swap):
    client.force_login(cast.supervisor.user)
    page = client.get("/duty/").content.decode()
    assert f'hx-post="/duty/swaps/{accepted_swap.pk}/approve/"' in page
    response = client.post(f"/duty/swaps/{accepted_swap.pk}/approve/", {"note": ""}, **HTMX)
    html = response.content.decode()
    assert is_row(response) and 'data-testid="row-status"' in html and 'data-testid="row-done"' in html
    accepted_swap.refresh_from_db()
    assert accepted_swap.status == "approved" and accepted_swap.decided_by == cast.supervisor


def test_a_swap_rejected_without_a_reason_stays_pending_in_its_row(client, cast, accepted_swap):
    client.force_login(cast.supervisor.user)
    response = client.post(f"/duty/swaps/{accepted_swap.pk}/reject/", {"note": ""}, **HTMX)
    html = response.content.decode()
    assert is_row(response) and 'data-testid="row-error"' in html and 'data-testid="approve"' in html
    accepted_swap.refresh_from_db()
    assert accepted_swap.is_pending


def test_a_swap_decided_without_htmx_redirects_to_its_page(client, cast, accepted_swap):
    client.force_login(cast.supervisor.user)
    response = client.post(f"/duty/swaps/{accepted_swap.pk}/reject/", {"note": "人手不够"})
    assert response.status_code == 302 and response["Location"] == f"/duty/swaps/{accepted_swap.pk}/"
    accepted_swap.refresh_from_db()
    assert accepted_swap.status == "rejected"


def test_the_requester_and_another_team_cannot_decide_a_swap_in_the_list(client, cast, accepted_swap):
    client.force_login(cast.employee.user)
    assert client.post(f"/duty/swaps/{accepted_swap.pk}/approve/", **HTMX).status_code == 403
    client.force_login(cast.other_supervisor.user)
    assert client.post(f"/duty/swaps/{accepted_swap.pk}/approve/", **HTMX).status_code == 404
    accepted_swap.refresh_from_db()
    assert accepted_swap.is_pending and accepted_swap.decided_by is None
