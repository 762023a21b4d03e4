"""The duty demo: a published National Day 2026 roster with logs, one approved and one pending swap,
New Year 2027 in draft; a second run changes nothing."""

from io import StringIO

from django.core.management.base import OutputWrapper

from attendance.models import CompTimeEntry
from discipline.models import Flag
from duty import demo
from duty.models import DutyAssignment, DutyLog, DutyRoster, DutySwap
from opsdept import demo as people_demo


def test_demo_is_complete_and_idempotent(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = OutputWrapper(StringIO())
    people_demo.seed(out)
    demo.seed(out)
    national = DutyRoster.objects.get(period__name="国庆节")
    assert national.is_published and national.days.count() == 7
    assert DutyLog.objects.filter(day__roster=national).count() == 6  # nobody came on 10-04
    assert set(DutySwap.objects.values_list("status", flat=True)) == {"approved", "pending"}
    assert DutyAssignment.objects.filter(is_active=False, via_swap__isnull=True).count() == 1  # the history of the swap
    new_year = DutyRoster.objects.get(period__start_date__year=2027)
    assert new_year.status == "draft" and new_year.days.count() == 3
    assert CompTimeEntry.objects.filter(kind="credit").count() == 6
    assert Flag.objects.filter(rule__code="duty-missed", date=demo.NOBODY_CAME).exists()
    counts = (DutyRoster.objects.count(), DutyAssignment.objects.count(), DutySwap.objects.count(), CompTimeEntry.objects.count())
    demo.seed(out)
    assert (DutyRoster.objects.count(), DutyAssignment.objects.count(), DutySwap.objects.count(),
            CompTimeEntry.objects.count()) == counts
