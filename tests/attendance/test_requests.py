"""Corrections (补卡) and overtime: asked by staff, decided by their supervisor, counted only when approved."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone
import pytest

from attendance import selectors, services
from attendance.models import AttendanceDay, AttendanceSettings, Correction, DayStatus, Overtime, Punch
from opsdept.models import Notification
from tests.attendance.factories import CorrectionFactory, OvertimeFactory, punch_day

DAY = date(2026, 10, 12)


def test_approving_a_correction_adds_a_correction_punch_and_recomputes_the_day(client, cast):
    punch_day(cast.employee, "2026-10-12", "08:55")
    client.force_login(cast.employee.user)
    client.post("/attendance/corrections/", {"date": "2026-10-12", "time": "18:05", "reason": "忘记打卡"})
    correction = Correction.objects.get(employee=cast.employee)
    assert Notification.objects.filter(recipient=cast.supervisor).exists()
    client.force_login(cast.supervisor.user)
    client.post(f"/attendance/corrections/{correction.pk}/decide/", {"decision": "approve", "comment": "同意"})
    correction.refresh_from_db()
    assert correction.status == "approved" and correction.decided_by == cast.supervisor
    punch = Punch.objects.get(correction=correction)
    assert punch.source == Punch.Source.CORRECTION and punch.local_date == DAY
    assert AttendanceDay.objects.get(employee=cast.employee, date=DAY).status == DayStatus.NORMAL


def test_rejecting_needs_a_comment_and_adds_no_punch(cast):
    correction = CorrectionFactory(employee=cast.employee)
    with pytest.raises(services.AttendanceError):
        services.decide_correction(correction.pk, actor=cast.supervisor.user, approve=False, comment="")
    services.decide_correction(correction.pk, actor=cast.supervisor.user, approve=False, comment="无依据")
    assert Correction.objects.get().status == "rejected"
    assert not Punch.objects.exists()


def test_a_decided_request_cannot_be_decided_again(cast):
    correction = CorrectionFactory(employee=cast.employee)
    services.decide_correction(correction.pk, actor=cast.supervisor.user, approve=True)
    with pytest.raises(services.AttendanceError):
        services.decide_correction(correction.pk, actor=cast.manager.user, approve=True)
    assert Punch.objects.count() == 1


def test_correction_must_be_for_a_past_date(client, cast):
    client.force_login(cast.employee.user)
    today = timezone.localdate()
    response = client.post("/attendance/corrections/", {"date": today.isoformat(), "time": "09:00", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors["date"]
    assert not Correction.objects.exists()


def test_monthly_correction_limit_comes_from_hr_settings(client, cast):
    AttendanceSettings.objects.create(correction_monthly_limit=2)
    client.force_login(cast.employee.user)
    for day in ("2026-10-12", "2026-10-13", "2026-10-14"):
        response = client.post("/attendance/corrections/", {"date": day, "time": "18:00", "reason": "忘记打卡"})
    assert Correction.objects.count() == 2
    assert response.context["form"].errors["date"]
    services.cancel_correction(Correction.objects.first().pk, actor=cast.employee.user)
    client.post("/attendance/corrections/", {"date": "2026-10-14", "time": "18:00", "reason": "忘记打卡"})
    assert Correction.objects.count() == 3   # a withdrawn request no longer counts


def test_only_approved_overtime_counts(client, cast):
    client.force_login(cast.employee.user)
    client.post("/attendance/overtime/", {"date": "2027-03-10", "start_time": "19:00", "end_time": "21:30", "reason": "活动上线", "compensation": "pay"})
    client.post("/attendance/overtime/", {"date": "2027-03-11", "start_time": "19:00", "end_time": "20:00", "reason": "加班", "compensation": "pay"})
    first, second = Overtime.objects.order_by("date")
    assert selectors.month_totals([cast.employee.pk], 2027, 3)[cast.employee.pk].overtime_hours == 0
    services.decide_overtime(first.pk, actor=cast.supervisor.user, approve=True)
    services.decide_overtime(second.pk, actor=cast.supervisor.user, approve=False, comment="不需要")
    assert selectors.month_totals([cast.employee.pk], 2027, 3)[cast.employee.pk].overtime_hours == Decimal("2.5")


def test_overtime_filed_after_it_started_is_refused_by_default(client, cast):
    client.force_login(cast.employee.user)
    response = client.post("/attendance/overtime/", {"date": "2026-10-12", "start_time": "19:00", "end_time": "21:00", "reason": "x", "compensation": "pay"})
    assert "加班须在开始前申请" in str(response.context["form"].errors["date"])
    assert not Overtime.objects.exists()


def test_staff_withdraws_only_a_pending_request(cast):
    overtime = OvertimeFactory(employee=cast.employee)
    services.cancel_overtime(overtime.pk, actor=cast.employee.user)
    with pytest.raises(services.AttendanceError):
        services.cancel_overtime(overtime.pk, actor=cast.employee.user)


def test_approval_queue_lists_only_the_team(client, cast, django_assert_max_num_queries):
    CorrectionFactory(employee=cast.employee)
    CorrectionFactory(employee=cast.outsider, reason="outsider-reason")
    client.force_login(cast.supervisor.user)
    response = client.get("/attendance/approvals/")
    assert "忘记打卡" in response.content.decode() and "outsider-reason" not in response.content.decode()


def test_no_correction_on_a_holiday(cast):
    with pytest.raises(services.AttendanceError):
        services.request_correction(actor=cast.employee.user, day=date(2026, 10, 1), clock=time(9, 0), reason="国庆")


def test_supervisor_dashboard_counts_waiting_requests(client, cast):
    CorrectionFactory(employee=cast.employee)
    OvertimeFactory(employee=cast.employee)
    CorrectionFactory(employee=cast.outsider)
    client.force_login(cast.supervisor.user)
    assert "2 个补卡或加班申请等待你审批" in client.get("/").content.decode()
