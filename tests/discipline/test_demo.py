"""The discipline demo: records on the notice board, one appeal, a published policy; a second run changes nothing."""

import io

from discipline import demo
from discipline.models import Appeal, PolicyVersion, Record
from discipline.selectors import notice_board
from opsdept import demo as people_demo


def test_demo_is_idempotent(db):
    people_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    counts = (Record.objects.count(), Appeal.objects.count(), PolicyVersion.objects.count())
    assert counts == (5, 1, 1)
    assert notice_board().count() == 2
    demo.seed(io.StringIO())
    assert (Record.objects.count(), Appeal.objects.count(), PolicyVersion.objects.count()) == counts


def test_flags_and_demo_restore_the_seeded_rules_after_a_flush(db):
    from datetime import date

    from discipline.models import Rule
    from discipline.services import raise_flag

    people_demo.seed(io.StringIO())
    Rule.objects.all().delete()
    from opsdept.models import Employee

    flag, created = raise_flag(Employee.objects.get(user__username="zhangwei"), day=date(2026, 11, 2), rule_code="missing-report")
    assert created and flag.rule.max_amount is None and Rule.objects.count() == 14
    Rule.objects.exclude(code="missing-report").delete()
    demo.seed(io.StringIO())
    assert Rule.objects.get(code="same-day-unfinished").max_amount == 100
