"""特许情况: leave granted by phone or SMS, recorded by the supervisor; the written request follows, or a flag."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
import pytest

from discipline.models import Flag
from leave import services
from leave.checks import check_late_slips
from leave.models import LeaveRequest, LeaveSettings
from leave.services import LeaveError
from opsdept import nightly
from opsdept.models import Notification

from .factories import leave_type
from .helpers import local_time

FRI = date(2026, 11, 27)


def record(cast, *, start=FRI, end=FRI, actor=None, code="personal"):
    return services.record_emergency_leave(
        cast.employee.pk, actor=(actor or cast.supervisor).user, leave_type=leave_type(code), start_date=start,
        start_half="am", end_date=end, end_half="pm", granted_via="phone", note="电话请假，家中急事",
    )


def test_supervisor_records_leave_from_today_approved_at_once_with_a_due_date_in_workdays(cast):
    with local_time(2026, 11, 27, 9):
        leave = record(cast)
    assert leave.status == LeaveRequest.Status.APPROVED and leave.decided_by == cast.supervisor
    assert leave.is_emergency and leave.days == Decimal("1")
    assert leave.slip_due == date(2026, 12, 1)   # two workdays after Friday: Mon, Tue
    assert Notification.objects.filter(recipient=cast.employee, url=f"/leave/{leave.pk}/").exists()


def test_emergency_leave_may_be_retroactive_and_the_deadline_is_hrs_setting(cast):
    settings = LeaveSettings.current()
    services.update_leave_settings(actor=cast.hr.user, emergency_slip_workdays=1, max_attachment_mb=settings.max_attachment_mb)
    with local_time(2026, 11, 27, 9):
        leave = record(cast, start=date(2026, 11, 25), end=date(2026, 11, 26))
    assert leave.days == Decimal("2") and leave.slip_due == date(2026, 11, 30)


def test_only_the_approver_records_emergency_leave(cast):
    with local_time(2026, 11, 27, 9):
        with pytest.raises(PermissionDenied):
            record(cast, actor=cast.other_supervisor)
        with pytest.raises(PermissionDenied):
            record(cast, actor=cast.employee)


def test_emergency_leave_still_refuses_an_overlap(cast):
    with local_time(2026, 11, 27, 9):
        record(cast)
        with pytest.raises(LeaveError):
            record(cast)


def test_nightly_check_flags_an_overdue_written_request_once(cast):
    with local_time(2026, 11, 27, 9):
        leave = record(cast)
    assert check_late_slips(date(2026, 11, 30)) == 0          # not due yet
    assert check_late_slips(date(2026, 12, 1)) == 1           # due Tuesday, nothing handed in
    assert check_late_slips(date(2026, 12, 1)) == 0           # a re-run adds nothing
    assert check_late_slips(date(2026, 12, 2)) == 0           # nor does a later night
    flag = Flag.objects.get()
    assert (flag.employee, flag.date, flag.rule.code) == (cast.employee, leave.slip_due, "late-leave-slip")
    assert "leave.late_slip" in nightly.registered()


def test_a_written_request_handed_in_on_time_raises_no_flag(cast):
    with local_time(2026, 11, 27, 9):
        leave = record(cast)
    with local_time(2026, 12, 1, 17):
        with pytest.raises(PermissionDenied):
            services.hand_in_written_slip(leave.pk, actor=cast.supervisor.user, reason="家中急事")
        services.hand_in_written_slip(leave.pk, actor=cast.employee.user, reason="家中急事")
        with pytest.raises(LeaveError):
            services.hand_in_written_slip(leave.pk, actor=cast.employee.user, reason="再交一次")
    assert check_late_slips(date(2026, 12, 1)) == 0
    leave.refresh_from_db()
    assert leave.reason == "家中急事" and leave.slip_submitted_at is not None


def test_a_written_request_handed_in_after_the_due_date_is_still_flagged(cast):
    with local_time(2026, 11, 27, 9):
        leave = record(cast)
    with local_time(2026, 12, 2, 9):
        services.hand_in_written_slip(leave.pk, actor=cast.employee.user, reason="家中急事")
    assert check_late_slips(date(2026, 12, 1)) == 1


def test_sick_emergency_leave_needs_the_sick_note_with_the_written_request(cast):
    with local_time(2026, 11, 27, 9):
        leave = record(cast, code="sick")
        with pytest.raises(LeaveError) as error:
            services.hand_in_written_slip(leave.pk, actor=cast.employee.user, reason="发烧")
    assert error.value.field == "attachment"


def test_emergency_form_only_offers_ones_own_reports_and_ignores_extra_fields(client, cast):
    client.force_login(cast.supervisor.user)
    with local_time(2026, 11, 27, 9):
        refused = client.post("/leave/emergency/new/", {
            "employee": cast.outsider.employee_no, "leave_type": leave_type().pk, "start_date": "2026-11-27", "start_half": "am",
            "end_date": "2026-11-27", "end_half": "pm", "granted_via": "sms", "note": "短信"})
        assert refused.status_code == 200 and "employee" in refused.context["form"].errors
        accepted = client.post("/leave/emergency/new/", {
            "employee": cast.employee.employee_no, "leave_type": leave_type().pk, "start_date": "2026-11-27", "start_half": "am",
            "end_date": "2026-11-27", "end_half": "pm", "granted_via": "sms", "note": "短信",
            "slip_due": "2030-01-01", "status": "rejected"})
    assert accepted.status_code == 302
    leave = LeaveRequest.objects.get()
    assert leave.status == LeaveRequest.Status.APPROVED and leave.slip_due == date(2026, 12, 1)
