"""A decision taken in English still tells the employee in the department's language."""

from django.utils import translation

from leave import services
from opsdept.models import Notification
from tests.leave.factories import LeaveRequestFactory


def test_leave_approved_under_english_notifies_in_chinese(cast):
    leave = LeaveRequestFactory(employee=cast.employee)
    with translation.override("en"):
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user, note="同意")
    notice = Notification.objects.get(recipient=cast.employee)
    assert notice.subject == "你 2026-12-01 起的事假已获批准"
