"""Filing, deciding, cancelling and ending leave early: the rules of 请假 and their refusals."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core import mail
import pytest

from leave import services
from leave.models import LeaveRequest
from leave.services import LeaveError
from opsdept.models import AuditEvent, Notification

from .factories import leave_type
from .helpers import file_leave, local_time

MON, TUE, WED = date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)


# ---------------------------------------------------------------- the one-day rule at the local midnight boundary

def test_leave_for_tomorrow_filed_a_second_before_local_midnight_is_accepted(cast):
    with local_time(2026, 11, 29, 23, 59, 59):   # Sunday evening in Shanghai (15:59:59 UTC)
        leave = file_leave(cast.employee, MON)
    assert leave.status == LeaveRequest.Status.PENDING and leave.days == Decimal("1")


def test_leave_for_today_filed_just_after_local_midnight_is_refused(cast):
    with local_time(2026, 11, 30, 0, 0, 0):       # Monday 00:00 in Shanghai, still Sunday 16:00 in UTC
        with pytest.raises(LeaveError) as error:
            file_leave(cast.employee, MON)
    assert error.value.field == "start_date"
    assert "2026-12-01" in error.value.message
    assert not LeaveRequest.objects.exists()


# ---------------------------------------------------------------- bad spans

@pytest.mark.parametrize("start,start_half,end,end_half,field", [
    (TUE, "pm", TUE, "am", "end_date"),           # ends before it starts
    (date(2026, 12, 5), "am", date(2026, 12, 6), "pm", "start_date"),  # a weekend only: no working half day
])
def test_span_refusals(cast, start, start_half, end, end_half, field):
    with local_time(2026, 11, 27):
        with pytest.raises(LeaveError) as error:
            file_leave(cast.employee, start, end, start_half=start_half, end_half=end_half)
    assert error.value.field == field
    assert not LeaveRequest.objects.exists()


def test_overlap_with_own_pending_or_approved_leave_is_refused_but_not_with_the_other_half_day(cast):
    with local_time(2026, 11, 27):
        file_leave(cast.employee, TUE, TUE, start_half="am", end_half="am")
        with pytest.raises(LeaveError) as error:
            file_leave(cast.employee, MON, WED)
        assert error.value.field == "start_date"
        afternoon = file_leave(cast.employee, TUE, TUE, start_half="pm", end_half="pm")
    assert afternoon.days == Decimal("0.5")
    assert LeaveRequest.objects.count() == 2


def test_rejected_or_cancelled_leave_does_not_block_a_new_request(cast):
    with local_time(2026, 11, 27):
        first = file_leave(cast.employee, TUE)
        services.cancel_leave_request(first.pk, actor=cast.employee.user)
        second = file_leave(cast.employee, TUE)
    assert second.pk != first.pk


def test_filing_is_only_for_oneself(cast):
    with local_time(2026, 11, 27), pytest.raises(LeaveError):
        services.file_leave_request(
            cast.employee.pk, actor=cast.supervisor.user, leave_type=leave_type(), start_date=TUE, start_half="am",
            end_date=TUE, end_half="pm", reason="代请",
        )


# ---------------------------------------------------------------- the form: bad input gives a field error, nothing written

def _post(client, **overrides):
    data = {"leave_type": leave_type().pk, "start_date": "2026-12-01", "start_half": "am",
            "end_date": "2026-12-01", "end_half": "pm", "reason": "家中有事"}
    data.update(overrides)
    return client.post("/leave/new/", data)


@pytest.mark.parametrize("overrides,field", [
    ({"leave_type": "999999"}, "leave_type"),
    ({"leave_type": "abc"}, "leave_type"),
    ({"end_date": "2026-11-30"}, "end_date"),
    ({"start_date": "not a date"}, "start_date"),
    ({"start_date": "2026-11-27", "end_date": "2026-11-27"}, "start_date"),   # today: too late
    ({"reason": ""}, "reason"),
    ({"leave_type": "sick"}, "attachment"),                                 # sick note missing
])
def test_bad_input_is_a_field_error_and_writes_nothing(client, cast, overrides, field):
    if overrides.get("leave_type") == "sick":
        overrides["leave_type"] = leave_type("sick").pk
    client.force_login(cast.employee.user)
    with local_time(2026, 11, 27):
        response = _post(client, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not LeaveRequest.objects.exists()


def test_posted_status_approver_and_employee_are_ignored(client, cast):
    client.force_login(cast.employee.user)
    with local_time(2026, 11, 27):
        response = _post(client, status="approved", approver=cast.employee.pk, decided_by=cast.employee.pk,
                         employee=cast.outsider.pk, days="0.5")
    leave = LeaveRequest.objects.get()
    assert response.status_code == 302
    assert leave.status == LeaveRequest.Status.PENDING
    assert leave.employee == cast.employee and leave.decided_by is None and leave.days == Decimal("1")


# ---------------------------------------------------------------- decisions

def test_supervisor_is_told_of_a_new_request_and_the_employee_of_the_decision(cast, django_capture_on_commit_callbacks):
    for person in (cast.employee, cast.supervisor):
        person.email = f"{person.user.username}@example.com"
        person.save()
    with local_time(2026, 11, 27):
        with django_capture_on_commit_callbacks(execute=True):
            leave = file_leave(cast.employee, TUE)
        assert Notification.objects.filter(recipient=cast.supervisor, url=f"/leave/{leave.pk}/").exists()
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_leave_request(leave.pk, actor=cast.supervisor.user, note="同意")
    assert Notification.objects.filter(recipient=cast.employee, url=f"/leave/{leave.pk}/").exists()
    assert [message.to for message in mail.outbox] == [["supervisor@example.com"], ["employee@example.com"]]


def test_approval_records_who_and_when_and_is_audited(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user, note="同意")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED and leave.decided_by == cast.supervisor
    assert leave.decided_at is not None
    assert list(AuditEvent.objects.filter(target_id=str(leave.pk)).values_list("action", flat=True).order_by("id")) == [
        "leave.requested", "leave.approved"]


def test_nobody_decides_their_own_request_and_a_supervisors_leave_goes_to_the_manager(cast):
    with local_time(2026, 11, 27):
        own = file_leave(cast.supervisor, TUE)
        with pytest.raises(PermissionDenied):
            services.approve_leave_request(own.pk, actor=cast.supervisor.user)
        with pytest.raises(PermissionDenied):
            services.approve_leave_request(own.pk, actor=cast.other_supervisor.user)
        services.approve_leave_request(own.pk, actor=cast.manager.user)
    own.refresh_from_db()
    assert own.decided_by == cast.manager


def test_the_manager_does_not_decide_for_a_supervisors_team(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
        with pytest.raises(PermissionDenied):
            services.approve_leave_request(leave.pk, actor=cast.manager.user)


def test_a_decided_request_cannot_be_decided_again(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
        services.reject_leave_request(leave.pk, actor=cast.supervisor.user, note="人手不足")
        with pytest.raises(LeaveError):
            services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    assert LeaveRequest.objects.get().status == LeaveRequest.Status.REJECTED


def test_rejecting_needs_a_comment(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
        with pytest.raises(LeaveError) as error:
            services.reject_leave_request(leave.pk, actor=cast.supervisor.user, note=" ")
    assert error.value.field == "note"


def test_supervisor_outside_the_line_gets_404_on_approve(client, cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
    client.force_login(cast.other_supervisor.user)
    assert client.post(f"/leave/{leave.pk}/approve/").status_code == 404
    assert LeaveRequest.objects.get().status == LeaveRequest.Status.PENDING


# ---------------------------------------------------------------- cancelling and ending early

def test_employee_cancels_approved_leave_before_it_starts_but_not_after(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE, WED)
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    with local_time(2026, 12, 1, 9):
        with pytest.raises(LeaveError):
            services.cancel_leave_request(leave.pk, actor=cast.employee.user)
    with local_time(2026, 11, 30, 20):
        services.cancel_leave_request(leave.pk, actor=cast.employee.user)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.CANCELLED and leave.cancelled_by == cast.employee


def test_supervisor_ends_started_leave_early_and_the_days_shrink(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, MON, WED)
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    with local_time(2026, 12, 1, 9):
        with pytest.raises(PermissionDenied):
            services.end_leave_early(leave.pk, actor=cast.employee.user, end_date=TUE, end_half="am", note="回来了")
        services.end_leave_early(leave.pk, actor=cast.supervisor.user, end_date=TUE, end_half="am", note="提前返岗")
        with pytest.raises(LeaveError):
            services.end_leave_early(leave.pk, actor=cast.supervisor.user, end_date=WED, end_half="pm", note="延长")
    leave.refresh_from_db()
    assert (leave.end_date, leave.end_half, leave.days) == (TUE, "am", Decimal("1.5"))
    assert AuditEvent.objects.filter(action="leave.ended_early", target_id=str(leave.pk)).get().changes["days"] == ["3.0", "1.5"]


def test_the_managers_own_leave_goes_to_hr_who_decides_it(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.manager, TUE)
        assert Notification.objects.filter(recipient=cast.hr, key=f"leaverequest:{leave.pk}").exists()
        with pytest.raises(PermissionDenied):
            services.approve_leave_request(leave.pk, actor=cast.manager.user)
        services.approve_leave_request(leave.pk, actor=cast.hr.user)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED and leave.decided_by == cast.hr and leave.decided_for is None


def test_the_manager_with_nobody_to_decide_cannot_file_leave(cast):
    cast.hr.is_active = False
    cast.hr.save()
    with local_time(2026, 11, 27):
        with pytest.raises(LeaveError):
            file_leave(cast.manager, TUE)
    assert not LeaveRequest.objects.exists()


def test_hr_making_a_day_of_leave_a_holiday_recounts_the_leave_and_audits_it(cast):
    from opsdept.services import set_calendar_override

    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, MON, WED)
        set_calendar_override(TUE, actor=cast.hr.user, kind="holiday", note="公司庆典")
    leave.refresh_from_db()
    assert leave.days == Decimal("2")
    assert AuditEvent.objects.get(action="leave.recounted", target_id=str(leave.pk)).changes == {"days": ["3.0", "2"]}
