"""Swaps (不得擅自调休): asked → accepted by the colleague → approved by the supervisor; withdraw before approval."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from duty import services
from duty.models import DutyAssignment, DutySwap
from duty.services import DutyError
from opsdept.models import AuditEvent, Notification

from .conftest import national_day_roster

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 28)


@pytest.fixture
def shift(cast, clock):
    roster = national_day_roster(cast)
    assignment = DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee, is_active=True).first()
    return assignment


def test_the_full_swap_changes_the_roster_and_keeps_the_history(cast, shift):
    swap = services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="家中有事", today=TODAY)
    assert Notification.objects.filter(recipient=cast.clerk, url__contains=f"/swaps/{swap.pk}/").exists()
    # Nothing changes before the approval.
    assert DutyAssignment.objects.get(pk=shift.pk).is_active
    services.accept_duty_swap(swap.pk, actor=cast.clerk.user)
    assert DutyAssignment.objects.get(pk=shift.pk).is_active
    services.approve_duty_swap(swap.pk, actor=cast.supervisor.user)
    shift.refresh_from_db()
    assert not shift.is_active and shift.ended_at is not None
    new = DutyAssignment.objects.get(shift=shift.shift, is_active=True, employee=cast.clerk)
    assert new.via_swap_id == swap.pk
    day = shift.shift.day
    day.refresh_from_db()
    if day.responsible_id is not None:
        assert day.responsible_id != cast.employee.pk  # the responsibility went with the whole day
    assert set(AuditEvent.objects.filter(target_id=str(swap.pk), action__startswith="duty.swap").values_list("action", flat=True)) == {
        "duty.swap_requested", "duty.swap_accepted", "duty.swap_approved"}


def test_approving_before_the_colleague_accepts_is_refused(cast, shift):
    swap = services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="有事", today=TODAY)
    with pytest.raises(DutyError, match="尚未同意"):
        services.approve_duty_swap(swap.pk, actor=cast.supervisor.user)
    swap.refresh_from_db()
    assert swap.is_pending and DutyAssignment.objects.get(pk=shift.pk).is_active


def test_either_side_can_withdraw_before_approval_but_not_after(cast, shift):
    swap = services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="有事", today=TODAY)
    services.accept_duty_swap(swap.pk, actor=cast.clerk.user)
    services.withdraw_duty_swap(swap.pk, actor=cast.clerk.user)
    swap.refresh_from_db()
    assert swap.status == "cancelled" and swap.withdrawn_by == cast.clerk
    again = services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="有事", today=TODAY)
    services.accept_duty_swap(again.pk, actor=cast.clerk.user)
    services.approve_duty_swap(again.pk, actor=cast.supervisor.user)
    with pytest.raises(DutyError):
        services.withdraw_duty_swap(again.pk, actor=cast.employee.user)


def test_the_colleague_may_decline(cast, shift):
    swap = services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="有事", today=TODAY)
    services.decline_duty_swap(swap.pk, actor=cast.clerk.user, note="那天我也有事")
    swap.refresh_from_db()
    assert swap.status == "rejected" and swap.decided_by == cast.clerk
    assert "Declined" in swap.stage_label or "拒绝" in swap.stage_label


def test_a_swap_with_oneself_or_outside_the_team_is_refused(cast, shift):
    for colleague in (cast.employee, cast.outsider, cast.hr):
        with pytest.raises(DutyError):
            services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=colleague.pk, reason="有事", today=TODAY)
    assert not DutySwap.objects.exists()


def test_only_the_holder_asks_only_the_colleague_accepts_only_the_arranger_decides(cast, shift):
    with pytest.raises(PermissionDenied):
        services.request_duty_swap(shift.pk, actor=cast.clerk.user, colleague_id=cast.clerk.pk, reason="x", today=TODAY)
    swap = services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="有事", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.accept_duty_swap(swap.pk, actor=cast.employee.user)
    services.accept_duty_swap(swap.pk, actor=cast.clerk.user)
    for outsider in (cast.other_supervisor, cast.hr, cast.employee):
        with pytest.raises(PermissionDenied):
            services.approve_duty_swap(swap.pk, actor=outsider.user)
    services.reject_duty_swap(swap.pk, actor=cast.manager.user, note="人手不足")
    assert DutySwap.objects.get(pk=swap.pk).status == "rejected"


def test_a_past_duty_day_cannot_be_swapped(cast, shift):
    with pytest.raises(DutyError):
        services.request_duty_swap(shift.pk, actor=cast.employee.user, colleague_id=cast.clerk.pk, reason="有事", today=date(2026, 10, 8))
