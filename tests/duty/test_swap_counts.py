"""The duty card's two numbers come from one query (duty.selectors.swap_counts, issue 16) and equal what the
pages list: the swaps a colleague asks one to take, and `swaps_to_decide` (the rule duty.swap_decide)."""

from datetime import date

import pytest

from duty import selectors
from duty import services as duty_services
from duty.models import DutyAssignment

from .conftest import national_day_roster

pytestmark = pytest.mark.django_db


def _numbers(cast) -> dict[str, tuple[int, int]]:
    people = {"employee": cast.employee, "clerk": cast.clerk, "supervisor": cast.supervisor, "manager": cast.manager,
              "hr": cast.hr, "other_supervisor": cast.other_supervisor}
    found = {}
    for role, person in people.items():
        to_answer, to_decide = selectors.swap_counts(person.user)
        assert to_decide == len(selectors.swaps_to_decide(person.user)), role
        found[role] = (to_answer, to_decide)
    return found


def test_swap_counts_follow_a_swap_from_asked_to_accepted(client, cast, clock):
    roster = national_day_roster(cast)
    shift = DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee, is_active=True).first()
    swap = duty_services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk,
                                           reason="家中有事", today=date(2026, 9, 28))
    asked = _numbers(cast)
    assert asked["clerk"] == (1, 0) and all(numbers == (0, 0) for role, numbers in asked.items() if role != "clerk")

    duty_services.accept_duty_swap(swap.pk, actor=cast.clerk.user)
    accepted = _numbers(cast)
    # The roster's supervisor and the manager above decide; not the two in the swap, HR or another team's supervisor.
    assert accepted == {"employee": (0, 0), "clerk": (0, 0), "supervisor": (0, 1), "manager": (0, 1), "hr": (0, 0),
                        "other_supervisor": (0, 0)}
    client.force_login(cast.supervisor.user)
    assert 'data-testid="duty-swaps-to-decide"' in client.get("/").content.decode()
