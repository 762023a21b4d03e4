"""Approvals that never get stuck: a deputy (代理审批人) for the dates a supervisor is away, and escalation."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
import pytest

from leave import services
from leave.models import LeaveRequest
from opsdept import approvals, permissions
from opsdept.approvals import ApprovalError
from opsdept.models import AuditEvent, Deputy, Notification

from .factories import LeaveRequestFactory
from .helpers import file_leave, local_time

FRI, MON, TUE, WED, THU, FRI2 = (date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2),
                                 date(2026, 12, 3), date(2026, 12, 4))


def name(cast, principal=None, deputy=None, start=MON, end=FRI2, actor=None):
    principal = principal or cast.supervisor
    return approvals.name_deputy(principal.pk, actor=(actor or principal).user, deputy_id=(deputy or cast.other_supervisor).pk,
                                 start_date=start, end_date=end, note="出差")


# ---------------------------------------------------------------- the deputy decides, "X for Y"

def test_a_request_starting_while_the_supervisor_is_away_goes_to_the_deputy_who_decides_it_for_them(cast, client):
    with local_time(2026, 11, 27):
        name(cast)
        leave = file_leave(cast.employee, TUE)
        key = f"leaverequest:{leave.pk}"
        assert Notification.objects.filter(recipient=cast.other_supervisor, key=key).exists()
        assert permissions.can(cast.other_supervisor.user, "leave.decide", leave)
        assert not permissions.can(cast.outsider.user, "leave.decide", leave)
        services.approve_leave_request(leave.pk, actor=cast.other_supervisor.user, note="代批")
    leave.refresh_from_db()
    assert (leave.status, leave.decided_by, leave.decided_for) == (LeaveRequest.Status.APPROVED, cast.other_supervisor,
                                                                   cast.supervisor)
    assert not Notification.objects.filter(key=key, read_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="leave.approved", target_id=str(leave.pk))
    assert event.changes["decided_for"] == [None, cast.supervisor.pk]
    client.force_login(cast.other_supervisor.user)
    slip = client.get(reverse("leave:slip", kwargs={"pk": leave.pk})).content.decode()
    assert "赵主管 代 李主管 审批" in slip


def test_the_deputy_sees_the_request_in_their_pending_list_and_the_supervisor_still_may_decide(cast, client):
    with local_time(2026, 11, 27):
        name(cast)
        leave = file_leave(cast.employee, TUE)
        client.force_login(cast.other_supervisor.user)
        page = client.get(reverse("leave:pending"))
        assert leave in list(page.context["requests"])
        assert permissions.can(cast.supervisor.user, "leave.decide", leave)


def test_a_request_starting_after_the_absence_stays_with_the_supervisor(cast):
    with local_time(2026, 11, 27):
        name(cast, start=MON, end=TUE)
        leave = file_leave(cast.employee, THU)
        assert not Notification.objects.filter(recipient=cast.other_supervisor).exclude(subject__contains="李主管").exists()
        with pytest.raises(PermissionDenied):
            services.approve_leave_request(leave.pk, actor=cast.other_supervisor.user)


def test_while_the_absence_lasts_the_deputy_decides_any_request_to_the_one_away(cast):
    with local_time(2026, 11, 27):
        name(cast)
    with local_time(2026, 12, 1):
        leave = file_leave(cast.employee, date(2026, 12, 10))
        services.reject_leave_request(leave.pk, actor=cast.other_supervisor.user, note="人手不足")
    leave.refresh_from_db()
    assert leave.decided_for == cast.supervisor


def test_a_cancelled_deputy_decides_nothing(cast):
    with local_time(2026, 11, 27):
        deputy = name(cast)
        leave = file_leave(cast.employee, TUE)
        approvals.cancel_deputy(deputy.pk, actor=cast.supervisor.user)
        with pytest.raises(PermissionDenied):
            services.approve_leave_request(leave.pk, actor=cast.other_supervisor.user)
    assert Deputy.objects.get().cancelled_by == cast.supervisor


def test_a_deputy_decides_corrections_of_the_team_while_the_absence_lasts(cast):
    from attendance.models import Correction

    correction = Correction.objects.create(employee=cast.employee, date=date(2026, 11, 26), time="09:00", reason="忘记打卡")
    with local_time(2026, 11, 27):
        name(cast, start=FRI, end=MON)
        assert permissions.can(cast.other_supervisor.user, "attendance.decide", correction)
    with local_time(2026, 12, 2):
        assert not permissions.can(cast.other_supervisor.user, "attendance.decide", correction)


# ---------------------------------------------------------------- bad input: a clear error and nothing written

@pytest.mark.parametrize("who,start,end,field", [
    ("supervisor", MON, FRI2, "deputy"),        # the one away themself
    ("outsider", MON, FRI2, "deputy"),          # staff, not a supervisor
    ("other_supervisor", FRI2, MON, "end_date"),
    ("other_supervisor", date(2026, 11, 1), MON, "start_date"),   # the past
    ("other_supervisor", date(9999, 1, 1), date(9999, 1, 2), "start_date"),
])
def test_a_bad_deputy_is_refused_and_nothing_is_written(cast, who, start, end, field):
    with local_time(2026, 11, 27):
        with pytest.raises(ApprovalError) as error:
            name(cast, deputy=getattr(cast, who), start=start, end=end)
    assert error.value.field == field and error.value.message
    assert not Deputy.objects.exists()


def test_a_deputy_outside_the_department_is_refused(cast):
    from tests.factories import DepartmentFactory, EmployeeFactory

    stranger = EmployeeFactory(name="外部主管", department=DepartmentFactory(name="财务部"), role="supervisor")
    with local_time(2026, 11, 27):
        with pytest.raises(ApprovalError):
            name(cast, deputy=stranger)
    assert not Deputy.objects.exists()


def test_a_deputy_on_leave_the_same_days_is_refused(cast):
    LeaveRequestFactory(employee=cast.other_supervisor, start_date=WED, status=LeaveRequest.Status.APPROVED,
                        decided_by=cast.manager, decided_at=timezone.now())
    with local_time(2026, 11, 27):
        with pytest.raises(ApprovalError) as error:
            name(cast)
    assert "赵主管" in error.value.message
    assert not Deputy.objects.exists()


def test_only_the_one_away_or_hr_names_a_deputy(cast):
    with local_time(2026, 11, 27):
        with pytest.raises(PermissionDenied):
            name(cast, actor=cast.employee)
        with pytest.raises(PermissionDenied):
            name(cast, actor=cast.other_supervisor)
        assert name(cast, actor=cast.hr).created_by == cast.hr


# ---------------------------------------------------------------- escalation

def test_a_request_still_pending_when_its_start_arrives_escalates_to_the_next_supervisor_up(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
    with local_time(2026, 11, 30):
        assert services.escalate_stuck_leave_requests() == 0
    with local_time(2026, 12, 1, 8, 30):
        assert not permissions.can(cast.manager.user, "leave.decide", leave)
        assert services.escalate_stuck_leave_requests() == 1
        assert services.escalate_stuck_leave_requests() == 0   # once is enough the same day
        leave.refresh_from_db()
        assert leave.escalated_to == cast.manager
        assert Notification.objects.filter(recipient=cast.manager, key=f"leaverequest:{leave.pk}").exists()
        assert Notification.objects.filter(recipient=cast.supervisor, subject__contains="王经理").exists()
        services.approve_leave_request(leave.pk, actor=cast.manager.user)
    leave.refresh_from_db()
    assert (leave.decided_by, leave.decided_for) == (cast.manager, cast.supervisor)
    assert not Notification.objects.filter(key=f"leaverequest:{leave.pk}", read_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="leave.escalated", target_id=str(leave.pk)).count() == 1


def test_a_request_pending_more_than_two_workdays_escalates(cast):
    with local_time(2026, 11, 30):
        leave = file_leave(cast.employee, date(2026, 12, 10))
    with local_time(2026, 12, 2):
        assert services.escalate_stuck_leave_requests() == 0
    with local_time(2026, 12, 3):
        assert services.escalate_stuck_leave_requests() == 1
    leave.refresh_from_db()
    assert leave.escalated_to == cast.manager


def test_a_supervisors_stuck_request_escalates_past_the_manager_to_hr(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.supervisor, TUE)
    with local_time(2026, 12, 1):
        services.escalate_stuck_leave_requests()
    leave.refresh_from_db()
    assert leave.escalated_to == cast.hr


def test_a_decided_request_never_escalates(cast):
    with local_time(2026, 11, 27):
        leave = file_leave(cast.employee, TUE)
        services.approve_leave_request(leave.pk, actor=cast.supervisor.user)
    with local_time(2026, 12, 1):
        assert services.escalate_stuck_leave_requests() == 0
    assert LeaveRequest.objects.get().days == Decimal("1")
