"""The demo data: every state, one emergency leave, a balance adjustment; a second run changes nothing."""

from io import StringIO

from django.core.management.base import OutputWrapper

from leave import demo as leave_demo
from leave.models import AnnualLeaveAdjustment, LeaveRequest
from opsdept import demo as opsdept_demo
from opsdept.models import AuditEvent


def test_demo_is_complete_and_idempotent(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = OutputWrapper(StringIO())
    opsdept_demo.seed(out)
    leave_demo.seed(out)
    states = set(LeaveRequest.objects.values_list("status", flat=True))
    assert states == {"pending", "approved", "rejected", "cancelled"}
    assert LeaveRequest.objects.filter(is_emergency=True).count() == 1
    counts = (LeaveRequest.objects.count(), AnnualLeaveAdjustment.objects.count(), AuditEvent.objects.count())
    leave_demo.seed(out)
    assert (LeaveRequest.objects.count(), AnnualLeaveAdjustment.objects.count(), AuditEvent.objects.count()) == counts
