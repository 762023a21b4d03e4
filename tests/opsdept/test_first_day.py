"""The first-day guide on the dashboard: per role, open for a newcomer (or after go-live), folded away later."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
import pytest

from opsdept.models import WorkSchedule


def _home(client, person) -> str:
    client.force_login(person.user)
    return client.get(reverse("home")).content.decode()


def _guide(html: str) -> str:
    start = html.index('data-testid="first-day-guide"')
    return html[start:html.index("</details>", start)]


def test_a_newcomer_finds_the_guide_open_with_the_first_steps(client, cast):
    cast.employee.hire_date = timezone.localdate() - timedelta(days=1)
    cast.employee.save(update_fields=["hire_date"])
    guide = _guide(_home(client, cast.employee))
    assert guide.startswith('data-testid="first-day-guide" open')
    for url in (reverse("attendance:punch"), reverse("worklog:report_today"), reverse("leave:request_new"),
                reverse("discipline:policy")):
        assert f'href="{url}"' in guide
    assert "first-day-supervisor" not in guide and "first-day-hr" not in guide


def test_an_old_hand_finds_it_folded_away(client, cast):
    guide = _guide(_home(client, cast.employee))
    assert guide.startswith('data-testid="first-day-guide">')


def test_everyone_sees_it_open_in_the_fortnight_after_go_live(client, cast):
    schedule = WorkSchedule.current()
    schedule.go_live_date = timezone.localdate() - timedelta(days=3)
    schedule.save()
    assert _guide(_home(client, cast.supervisor)).startswith('data-testid="first-day-guide" open')


@pytest.mark.parametrize("role, marker, url", [
    ("supervisor", "first-day-supervisor", "attendance:approvals"),
    ("hr", "first-day-hr", "schedule_edit"),
    ("manager", "first-day-manager", "discipline:year_end"),
    ("clerk", "first-day-clerk", "meetings:list"),
])
def test_each_role_has_its_own_steps(client, cast, role, marker, url):
    guide = _guide(_home(client, getattr(cast, role)))
    assert marker in guide and f'href="{reverse(url)}"' in guide
