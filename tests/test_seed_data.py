"""Rows that migrations seed (the policy's rules, the leave types) survive a flush, as content types do."""

import pytest
from django.core.management import call_command

from discipline.models import Rule
from leave.models import LeaveType


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_seeded_rules_and_leave_types_back():
    Rule.objects.filter(code="late").update(max_amount=None, is_active=False)
    call_command("flush", interactive=False)
    assert Rule.objects.get(code="same-day-unfinished").max_amount == 100
    assert Rule.objects.count() == 15
    assert set(LeaveType.objects.values_list("code", flat=True)) >= {"personal", "sick", "annual"}
