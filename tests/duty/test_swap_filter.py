"""My duty's swaps filter through the one list panel (opsdept.filters), bad input included."""

from datetime import date

import pytest

from duty import services
from duty.models import DutyAssignment

from .conftest import NATIONAL_DAY, national_day_roster

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 28)


def _two_swaps(cast):
    roster = national_day_roster(cast)
    mine = list(DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee, is_active=True)
                .select_related("shift__day").order_by("shift__day__date"))
    first, last = mine[0], mine[-1]
    assert first.shift.day.date != last.shift.day.date
    open_swap = services.request_duty_swap(first.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="家中有事",
                                           today=TODAY)
    withdrawn = services.request_duty_swap(last.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="回老家",
                                           today=TODAY)
    services.withdraw_duty_swap(withdrawn.pk, actor=cast.employee.user)
    return open_swap, withdrawn


def test_my_swaps_filter_by_status_and_the_shift_date(client, cast, clock):
    open_swap, withdrawn = _two_swaps(cast)
    client.force_login(cast.employee.user)
    response = client.get("/duty/mine/")
    assert set(response.context["swaps"]) == {open_swap, withdrawn} and 'data-testid="filters"' in response.content.decode()
    assert list(client.get("/duty/mine/", {"status": "pending"}).context["swaps"]) == [open_swap]
    assert list(client.get("/duty/mine/", {"status": "cancelled"}).context["swaps"]) == [withdrawn]
    day = withdrawn.assignment.shift.day.date.isoformat()
    assert list(client.get("/duty/mine/", {"start": day, "end": day}).context["swaps"]) == [withdrawn]
    # the colleague asked sees the same swaps in their own list
    client.force_login(cast.clerk.user)
    assert list(client.get("/duty/mine/", {"status": "pending"}).context["swaps"]) == [open_swap]
    assert NATIONAL_DAY[0] <= open_swap.assignment.shift.day.date <= NATIONAL_DAY[1]


@pytest.mark.parametrize("bad", [{"start": "1900-01-01"}, {"end": "9999-12-31"}, {"start": "２０２６-１０-０１"},
                                 {"start": "٢٠٢٦-١٠-٠١"}, {"start": "2026-10-05", "end": "2026-10-01"},
                                 {"status": "maybe"}])
def test_bad_swap_filter_input_shows_an_error_and_the_whole_list(client, cast, clock, bad):
    _two_swaps(cast)
    client.force_login(cast.employee.user)
    response = client.get("/duty/mine/", bad)
    assert response.status_code == 200
    found = response.context["filter"]
    assert found.form.errors and len(response.context["swaps"]) == 2
    assert 'class="text-danger small"' in response.content.decode()
