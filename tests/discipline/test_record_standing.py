"""The record page asks `selectors.record_standing` who may still appeal or reverse a record (七 2; records are never edited)."""

from datetime import timedelta
import uuid

from django.urls import reverse
from django.utils import timezone
import pytest

from discipline import selectors, services
from discipline.models import Kind, Record

from .factories import rule


@pytest.fixture
def fine(cast) -> Record:
    record, _ = services.issue_record(
        cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk, kind=Kind.FINE,
        amount="50", evidence="未交日报", token=uuid.uuid4(),
    )
    return record


def standing(cast, role: str, record: Record) -> selectors.RecordStanding:
    return selectors.record_standing(cast.by_role(role).user, Record.objects.get(pk=record.pk))


def test_a_fresh_record_is_appealed_by_its_employee_and_reversed_from_above(cast, fine):
    mine = standing(cast, "employee", fine)
    assert (mine.own, mine.can_appeal, mine.appeal_closed, mine.can_reverse) == (True, True, False, False)
    assert mine.deadline == timezone.localdate() + timedelta(days=7)
    for role in ("supervisor", "manager"):
        above = standing(cast, role, fine)
        assert (above.can_appeal, above.can_reverse) == (False, True), role
    for role in ("hr", "other_supervisor"):
        aside = standing(cast, role, fine)
        assert (aside.can_appeal, aside.can_reverse) == (False, False), role


def test_after_the_window_the_employee_reads_that_it_closed(cast, fine):
    Record.objects.filter(pk=fine.pk).update(issued_at=timezone.now() - timedelta(days=8))
    mine = standing(cast, "employee", fine)
    assert (mine.can_appeal, mine.appeal_closed) == (False, True)
    assert standing(cast, "supervisor", fine).appeal_closed is False


def test_a_pending_appeal_blocks_a_second_appeal_and_a_reversal(cast, fine):
    services.file_appeal(fine.pk, actor=cast.employee.user, reason="那天在出差")
    mine = standing(cast, "employee", fine)
    assert (mine.can_appeal, mine.appeal_closed, mine.appeal is not None) == (False, False, True)
    assert standing(cast, "supervisor", fine).can_reverse is False


def test_a_reversed_record_and_its_reversal_are_settled(cast, fine):
    reversal = services.reverse_record(fine.pk, actor=cast.supervisor.user, reason="证据有误")
    for record in (fine, reversal):
        for role in ("employee", "supervisor", "manager"):
            state = standing(cast, role, record)
            assert (state.can_appeal, state.appeal_closed, state.can_reverse) == (False, False, False), (record, role)
    assert standing(cast, "employee", fine).reversal == reversal


def test_the_page_shows_the_forms_the_standing_allows(client, cast, fine):
    url = reverse("discipline:record_detail", kwargs={"pk": fine.pk})
    client.force_login(cast.employee.user)
    page = client.get(url).content.decode()
    assert 'data-testid="appeal-form"' in page and reverse("discipline:record_reverse", kwargs={"pk": fine.pk}) not in page
    client.force_login(cast.supervisor.user)
    page = client.get(url).content.decode()
    assert 'data-testid="appeal-form"' not in page and reverse("discipline:record_reverse", kwargs={"pk": fine.pk}) in page
