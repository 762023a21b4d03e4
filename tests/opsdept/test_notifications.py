"""Notifications that reflect reality: acting on a request marks its notice read for everyone it went to."""

from datetime import date, time
import uuid

from django.core.exceptions import PermissionDenied
from django.urls import reverse
import pytest

from opsdept.notify import Verbatim

from attendance import services as attendance_services
from attendance.models import Correction
from discipline import services as discipline_services
from discipline.models import Appeal, Kind, Record
from leave import services as leave_services
from opsdept import notify as notify_module
from opsdept.models import Notification
from tests.discipline.factories import RecordFactory, rule
from tests.leave.helpers import file_leave, local_time

TUE = date(2026, 12, 1)


def unread(employee) -> int:
    return Notification.objects.filter(recipient=employee, read_at__isnull=True).count()


def test_deciding_a_leave_request_marks_its_notice_read_and_the_badge_drops(cast, client):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
        client.force_login(cast.supervisor.user)
        assert client.get(reverse("home")).context["unread_notifications"] == 1
        leave_services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
        assert client.get(reverse("home")).context["unread_notifications"] == 0
    notice = Notification.objects.get(recipient=cast.supervisor)
    assert notice.key == f"leaverequest:{leave.pk}" and notice.read_at is not None
    assert unread(cast.employee) == 1   # the decision itself is news to the employee


def test_a_cancelled_request_no_longer_waits_on_the_supervisor(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
        leave_services.cancel_leave_request(leave.pk, actor=cast.employee.user)
    assert unread(cast.supervisor) == 0


def test_deciding_a_correction_marks_its_notice_read(cast):
    with local_time(2026, 11, 27):
        correction = attendance_services.request_correction(actor=cast.employee.user, day=date(2026, 11, 26),
                                                            clock=time(9, 0), reason="忘记打卡")
        assert unread(cast.supervisor) == 1
        attendance_services.decide_correction(correction.pk, actor=cast.supervisor.user, approve=True)
    assert unread(cast.supervisor) == 0
    assert Correction.objects.get().status == "approved"


def test_mark_read_touches_only_its_key():
    assert notify_module.mark_read("") == 0


def test_mark_all_read(cast, client):
    for n in range(3):
        notify_module.notify(cast.employee, subject=Verbatim(f"通知{n}"))
    client.force_login(cast.employee.user)
    client.post(reverse("notification_read_all"))
    assert unread(cast.employee) == 0


def test_the_appeal_decision_states_the_outcome_and_the_managers_notice_is_read(cast):
    record, _ = discipline_services.issue_record(
        cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk, kind=Kind.FINE,
        amount="50", evidence="未交日报", token=uuid.uuid4())
    appeal = discipline_services.file_appeal(record.pk, actor=cast.employee.user, reason="当天有反馈")
    assert unread(cast.manager) == 1
    discipline_services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome=Appeal.Status.REDUCED,
                                      reason="情节较轻", new_amount="20")
    assert unread(cast.manager) == 0
    notice = Notification.objects.filter(recipient=cast.employee, subject__startswith="申诉已裁决").get()
    assert notice.subject == "申诉已裁决：罚款由 ¥50 减为 ¥20"


def test_the_managers_own_appeal_goes_to_hr_who_decides_it(cast):
    record = RecordFactory(employee=cast.manager, issued_by=cast.hr, kind=Kind.FINE, amount=50)
    appeal = discipline_services.file_appeal(record.pk, actor=cast.manager.user, reason="不属实")
    assert Notification.objects.filter(recipient=cast.hr, key=f"appeal:{appeal.pk}").exists()
    with pytest.raises(PermissionDenied):
        discipline_services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome=Appeal.Status.REVOKED, reason="自己")
    with pytest.raises(PermissionDenied):
        discipline_services.decide_appeal(appeal.pk, actor=cast.supervisor.user, outcome=Appeal.Status.REVOKED, reason="越权")
    discipline_services.decide_appeal(appeal.pk, actor=cast.hr.user, outcome=Appeal.Status.REVOKED, reason="核实有误")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REVOKED and unread(cast.hr) == 0
    assert Record.objects.filter(reverses=record).exists()


def test_hr_can_name_someone_else_for_the_managers_appeals(cast):
    from opsdept import approvals

    approvals.update_approval_settings(actor=cast.hr.user, top_approver=cast.other_supervisor, escalate_after_workdays=2)
    record = RecordFactory(employee=cast.manager, issued_by=cast.hr, kind=Kind.FINE, amount=50)
    appeal = discipline_services.file_appeal(record.pk, actor=cast.manager.user, reason="不属实")
    assert Notification.objects.filter(recipient=cast.other_supervisor, key=f"appeal:{appeal.pk}").exists()
    with pytest.raises(PermissionDenied):
        discipline_services.decide_appeal(appeal.pk, actor=cast.hr.user, outcome=Appeal.Status.UPHELD, reason="维持")
    discipline_services.decide_appeal(appeal.pk, actor=cast.other_supervisor.user, outcome=Appeal.Status.UPHELD, reason="维持")
