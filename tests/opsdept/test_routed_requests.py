"""Every routed request never gets stuck: corrections, overtime, business trips and appeals escalate
through opsdept.approvals' one path, go to the deputy (代理审批人) while the approver is away, and the
decision records "X 代 Y 审批" (issue 12)."""

from datetime import date, time

from django.urls import reverse
import pytest

from attendance import services as attendance_services
from attendance.models import Correction, Overtime
from discipline import services as discipline_services
from discipline.models import Appeal, Kind
from leave import services as leave_services
from leave.models import BusinessTrip
from opsdept import approvals, permissions, registries
from opsdept.models import AuditEvent, Notification
from opsdept.reminders import digest_due

from tests.discipline.factories import RecordFactory
from tests.leave.helpers import local_time

FRI, MON, TUE, WED, THU = date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)


def correction(employee, day=date(2026, 11, 26)):
    return Correction.objects.create(employee=employee, date=day, time=time(9, 0), reason="打卡机坏了")


def overtime(employee, day=TUE):
    return Overtime.objects.create(employee=employee, date=day, start_time=time(19, 0), end_time=time(21, 0), reason="上线")


def trip(employee, day=TUE):
    return BusinessTrip.objects.create(employee=employee, start_date=day, end_date=day, days=1, destination="上海", reason="客户")


def appeal(employee):
    from opsdept.models import Employee

    issuer = employee.supervisor or Employee.objects.filter(role=Employee.Role.HR).first()
    record = RecordFactory(employee=employee, issued_by=issuer, kind=Kind.FINE, amount=50)
    return Appeal.objects.create(record=record, employee=employee, reason="不同意")


def name_deputy(cast, principal=None, deputy=None, start=MON, end=date(2026, 12, 4)):
    principal = principal or cast.supervisor
    return approvals.name_deputy(principal.pk, actor=principal.user, deputy_id=(deputy or cast.other_supervisor).pk,
                                 start_date=start, end_date=end, note="出差")


def test_every_routed_kind_is_registered_for_escalation():
    assert {"leave.request", "leave.trip", "attendance.correction", "attendance.overtime",
            "discipline.appeal"} <= {key for key, _entry in registries.escalations.items()}
    assert "requests" in registries.awaiting_decision


# ---------------------------------------------------------------- escalation, one path for every kind

def test_a_correction_pending_more_than_two_workdays_goes_to_the_manager_and_both_are_told(cast, client):
    with local_time(2026, 11, 27):
        item = correction(cast.employee)
    with local_time(2026, 12, 1, 8, 30):
        assert approvals.escalate_stuck_requests() == 0   # filed Friday: Mon, Tue are its two workdays
    with local_time(2026, 12, 2, 8, 30):
        assert approvals.escalate_stuck_requests() == 1
        assert approvals.escalate_stuck_requests() == 0   # once
        item.refresh_from_db()
        assert item.escalated_to == cast.manager
        assert Notification.objects.filter(recipient=cast.manager, key=f"correction:{item.pk}").exists()
        assert Notification.objects.filter(recipient=cast.supervisor, subject__contains="王经理").exists()
        assert AuditEvent.objects.filter(action="request.escalated", target_id=str(item.pk)).count() == 1
        client.force_login(cast.manager.user)
        assert item in client.get(reverse("attendance:approvals")).context["corrections"]
        attendance_services.decide_correction(item.pk, actor=cast.manager.user, approve=False, comment="不符合")
    item.refresh_from_db()
    assert (item.decided_by, item.decided_for) == (cast.manager, cast.supervisor)
    assert not Notification.objects.filter(key=f"correction:{item.pk}", read_at__isnull=True).exists()


def test_overtime_still_pending_on_its_day_escalates(cast):
    with local_time(2026, 11, 30):
        item = overtime(cast.employee, TUE)
    with local_time(2026, 11, 30, 18):
        assert approvals.escalate_stuck_requests() == 0
    with local_time(2026, 12, 1, 8, 30):
        assert approvals.escalate_stuck_requests() == 1
    item.refresh_from_db()
    assert item.escalated_to == cast.manager


def test_a_business_trip_pending_at_its_start_escalates_and_the_manager_decides_it_for_the_supervisor(cast):
    with local_time(2026, 11, 27):
        item = trip(cast.employee, TUE)
    with local_time(2026, 12, 1, 8, 30):
        assert approvals.escalate_stuck_requests() == 1
        item.refresh_from_db()
        assert item.escalated_to == cast.manager
        assert permissions.can(cast.manager.user, "leave.decide", item)
        assert not permissions.can(cast.outsider.user, "leave.decide", item)
        leave_services.decide_business_trip(item.pk, actor=cast.manager.user, approve=True)
    item.refresh_from_db()
    assert (item.status, item.decided_by, item.decided_for) == ("approved", cast.manager, cast.supervisor)


def test_an_appeal_pending_more_than_two_workdays_goes_from_the_manager_to_hr(cast):
    with local_time(2026, 11, 27):
        item = appeal(cast.employee)
    with local_time(2026, 12, 2, 8, 30):
        assert not permissions.can(cast.hr.user, "appeal.decide", item)
        assert approvals.escalate_stuck_requests() == 1
        item.refresh_from_db()
        assert item.escalated_to == cast.hr
        assert permissions.can(cast.hr.user, "appeal.decide", item)
        assert permissions.can(cast.manager.user, "appeal.decide", item)   # the manager still may
        discipline_services.decide_appeal(item.pk, actor=cast.hr.user, outcome=Appeal.Status.UPHELD, reason="证据充分")
    item.refresh_from_db()
    assert (item.decided_by, item.decided_for) == (cast.hr, cast.manager)


def test_the_managers_own_appeal_goes_to_hr_and_never_escalates_to_nobody(cast):
    with local_time(2026, 11, 27):
        item = appeal(cast.manager)
        assert permissions.routed_decider(item)[0] == cast.hr
        assert permissions.can(cast.hr.user, "appeal.decide", item)
        assert not permissions.can(cast.manager.user, "appeal.decide", item)
    with local_time(2026, 12, 3, 8, 30):
        assert approvals.escalate_stuck_requests() == 0   # nobody above HR: it stays with HR, never with nobody
    item.refresh_from_db()
    assert item.escalated_to is None


def test_a_decided_request_of_any_kind_never_escalates(cast):
    with local_time(2026, 11, 27):
        item = correction(cast.employee)
        attendance_services.decide_correction(item.pk, actor=cast.supervisor.user, approve=False, comment="不符合")
    with local_time(2026, 12, 10):
        assert approvals.escalate_stuck_requests() == 0


def test_the_digest_lists_every_kind_with_whom_it_waits_on(cast):
    with local_time(2026, 11, 26):
        correction(cast.employee, date(2026, 11, 25))
        overtime(cast.employee, date(2026, 12, 8))
        trip(cast.employee, date(2026, 12, 9))
        appeal(cast.employee)
    with local_time(2026, 11, 30, 9):
        dues = {due.employee.pk: due for due in digest_due(MON)}
    # a Due's text is composed for its reader: rendered here in the active (department's) language
    assert "3" in str(dues[cast.supervisor.pk].subject) and str(dues[cast.supervisor.pk].body).count("张员工") == 3
    assert "张员工" in str(dues[cast.manager.pk].body)


# ---------------------------------------------------------------- the deputy (代理审批人), every kind

def test_the_deputy_sees_corrections_and_overtime_in_their_approvals_and_decides_them_for_the_supervisor(cast, client):
    with local_time(2026, 11, 27):
        name_deputy(cast, start=FRI)
        fix, extra, away = correction(cast.employee), overtime(cast.employee), trip(cast.employee, THU)
        client.force_login(cast.other_supervisor.user)
        page = client.get(reverse("attendance:approvals"))
        assert fix in page.context["corrections"] and extra in page.context["overtime"]
        assert away in list(client.get(reverse("leave:trips")).context["to_decide"])
        client.force_login(cast.outsider.user)
        assert client.post(reverse("attendance:correction_decide", kwargs={"pk": fix.pk}),
                           {"decision": "approve"}).status_code == 404
        client.force_login(cast.other_supervisor.user)
        response = client.post(reverse("attendance:correction_decide", kwargs={"pk": fix.pk}), {"decision": "approve"})
        assert response.status_code == 302
        attendance_services.decide_overtime(extra.pk, actor=cast.other_supervisor.user, approve=True)
        leave_services.decide_business_trip(away.pk, actor=cast.other_supervisor.user, approve=True)
    for item in (fix, extra, away):
        item.refresh_from_db()
        assert (item.decided_by, item.decided_for) == (cast.other_supervisor, cast.supervisor), item
    assert Notification.objects.filter(recipient=cast.supervisor, subject__contains="赵主管").count() >= 3
    event = AuditEvent.objects.get(action="attendance.correction_approved", target_id=str(fix.pk))
    assert event.changes["decided_for"] == [None, cast.supervisor.pk]
    client.force_login(cast.employee.user)
    assert "赵主管 代 李主管 审批" in client.get(reverse("attendance:corrections")).content.decode()
    assert "赵主管 代 李主管 审批" in client.get(reverse("leave:trips")).content.decode()


def test_the_managers_deputy_decides_appeals_for_the_manager(cast, client):
    with local_time(2026, 11, 27):
        name_deputy(cast, principal=cast.manager, deputy=cast.supervisor, start=FRI)
        item = appeal(cast.outsider)
        assert permissions.can(cast.supervisor.user, "appeal.decide", item)
        assert not permissions.can(cast.other_supervisor.user, "appeal.decide", item)
        client.force_login(cast.supervisor.user)
        assert client.get(reverse("discipline:appeal_detail", kwargs={"pk": item.pk})).status_code == 200
        discipline_services.decide_appeal(item.pk, actor=cast.supervisor.user, outcome=Appeal.Status.UPHELD, reason="维持")
        own = appeal(cast.supervisor)   # nobody decides their own, deputy or not
        assert not permissions.can(cast.supervisor.user, "appeal.decide", own)
    item.refresh_from_db()
    assert (item.decided_by, item.decided_for) == (cast.supervisor, cast.manager)
    client.force_login(cast.outsider.user)
    assert "李主管 代 王经理 审批" in client.get(reverse("discipline:appeal_detail", kwargs={"pk": item.pk})).content.decode()


# ---------------------------------------------------------------- the permission matrix: deputy and escalation cases

KINDS = {
    "correction": (correction, "attendance.decide"),
    "overtime": (overtime, "attendance.decide"),
    "trip": (trip, "leave.decide"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("case,role,allowed", [
    ("plain", "supervisor", True), ("plain", "other_supervisor", False), ("plain", "employee", False),
    ("deputy", "other_supervisor", True), ("deputy", "outsider", False), ("deputy", "supervisor", True),
    ("escalated", "manager", True), ("escalated", "other_supervisor", False), ("escalated", "hr", False),
])
def test_who_decides_each_kind_plain_as_deputy_and_after_escalation(cast, kind, case, role, allowed):
    make, action = KINDS[kind]
    with local_time(2026, 11, 27):
        if case == "deputy":
            name_deputy(cast, start=FRI)
        item = make(cast.employee)
        if case == "escalated":
            item.escalated_to = cast.manager
            item.save(update_fields=["escalated_to"])
        assert permissions.can(getattr(cast, role).user, action, item) is allowed
        assert not permissions.can(cast.employee.user, action, item)   # never one's own
