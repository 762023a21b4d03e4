"""Appeals (申诉): the window, once only, and the manager's three outcomes."""

from datetime import timedelta
from decimal import Decimal
import uuid

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
import pytest

from discipline import services
from discipline.models import Appeal, DisciplineSettings, Kind, Record
from discipline.selectors import money_totals
from discipline.services import DisciplineError
from opsdept.models import AuditEvent, Notification

from .factories import rule


@pytest.fixture
def fine(cast) -> Record:
    record, _ = services.issue_record(
        cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk, kind=Kind.FINE,
        amount="50", evidence="未交日报", token=uuid.uuid4(),
    )
    return record


def age(record: Record, days: int) -> None:
    Record.objects.filter(pk=record.pk).update(issued_at=timezone.now() - timedelta(days=days))


def test_employee_appeals_once_within_the_window(cast, fine):
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="那天在出差")
    assert appeal.status == Appeal.Status.PENDING
    assert Notification.objects.filter(recipient=cast.manager, url__contains=f"/appeals/{appeal.pk}/").exists()
    with pytest.raises(DisciplineError):
        services.file_appeal(fine.pk, actor=cast.employee.user, reason="再申诉")
    assert Appeal.objects.count() == 1


def test_appeal_on_the_last_day_of_the_window_is_accepted(cast, fine):
    age(fine, 7)
    assert services.file_appeal(fine.pk, actor=cast.employee.user, reason="最后一天")


def test_appeal_after_the_window_writes_nothing(cast, fine):
    age(fine, 8)
    with pytest.raises(DisciplineError):
        services.file_appeal(fine.pk, actor=cast.employee.user, reason="太晚")
    assert not Appeal.objects.exists()


def test_hr_sets_the_window(cast, fine):
    services.update_discipline_settings(actor=cast.hr.user, appeal_window_days=10)
    assert DisciplineSettings.current().appeal_window_days == 10
    age(fine, 9)
    assert services.file_appeal(fine.pk, actor=cast.employee.user, reason="十天内")
    with pytest.raises(DisciplineError):
        services.update_discipline_settings(actor=cast.hr.user, appeal_window_days=0)
    with pytest.raises(PermissionDenied):
        services.update_discipline_settings(actor=cast.manager.user, appeal_window_days=3)


def test_only_the_employee_appeals(cast, fine):
    for who in (cast.supervisor, cast.manager, cast.hr):
        with pytest.raises(PermissionDenied):
            services.file_appeal(fine.pk, actor=who.user, reason="x")


def test_appeal_view_after_window_shows_error_and_writes_nothing(client, cast, fine):
    age(fine, 30)
    client.force_login(cast.employee.user)
    response = client.post(reverse("discipline:record_appeal", kwargs={"pk": fine.pk}), {"reason": "晚了"})
    assert response.status_code == 302
    assert not Appeal.objects.exists()


def test_manager_reduces_within_the_range(cast, fine):
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="情有可原")
    services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome="reduced", reason="酌情减轻", new_amount=Decimal("20"))
    appeal.refresh_from_db()
    fine.refresh_from_db()
    assert appeal.status == Appeal.Status.REDUCED and appeal.new_amount == Decimal("20.00")
    assert fine.amount == Decimal("50.00")  # never edited
    assert fine.reversal.amount == Decimal("-50.00")
    assert fine.replacements.get().amount == Decimal("20.00")
    day = fine.effective_on
    assert money_totals([cast.employee.pk], day, day)[cast.employee.pk][1] == Decimal("20.00")
    assert Notification.objects.filter(recipient=cast.employee, url__contains=f"/appeals/{appeal.pk}/").exists()
    assert AuditEvent.objects.filter(action="appeal.decided", target_id=str(appeal.pk)).exists()
    assert AuditEvent.objects.filter(action="record.reversed", target_id=str(fine.pk)).exists()
    with pytest.raises(DisciplineError):
        services.file_appeal(fine.replacements.get().pk, actor=cast.employee.user, reason="再来")


@pytest.mark.parametrize("amount", [Decimal("50"), Decimal("60"), Decimal("9.99"), None])
def test_a_reduction_must_be_lower_and_within_the_range(cast, fine, amount):
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="x")
    with pytest.raises(DisciplineError):
        services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome="reduced", reason="y", new_amount=amount)
    assert Record.objects.count() == 1
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.PENDING


def test_manager_revokes(cast, fine):
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="不是我")
    services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome="revoked", reason="查无实据")
    day = fine.effective_on
    assert money_totals([cast.employee.pk], day, day)[cast.employee.pk][1] == Decimal("0.00")
    with pytest.raises(DisciplineError):
        services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome="upheld", reason="again")


def test_manager_upholds(cast, fine):
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="不服")
    services.decide_appeal(appeal.pk, actor=cast.manager.user, outcome="upheld", reason="证据确凿")
    assert Record.objects.count() == 1
    assert Appeal.objects.get().status == Appeal.Status.UPHELD


def test_only_the_manager_decides(cast, fine):
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="x")
    for who in (cast.supervisor, cast.hr, cast.employee):
        with pytest.raises(PermissionDenied):
            services.decide_appeal(appeal.pk, actor=who.user, outcome="upheld", reason="y")


def test_manager_never_decides_an_appeal_about_their_own_record(cast):
    from discipline.models import Appeal as AppealModel
    from opsdept import permissions

    appeal = AppealModel(employee=cast.manager, employee_id=cast.manager.pk)
    assert not permissions.can(cast.manager.user, "appeal.decide", appeal)


def test_pending_appeal_blocks_a_supervisor_correction(cast, fine):
    services.file_appeal(fine.pk, actor=cast.employee.user, reason="x")
    with pytest.raises(DisciplineError):
        services.reverse_record(fine.pk, actor=cast.supervisor.user, reason="y")


def test_decision_form_shows_field_errors(client, cast, fine):
    appeal = services.file_appeal(fine.pk, actor=cast.employee.user, reason="x")
    client.force_login(cast.manager.user)
    response = client.post(reverse("discipline:appeal_decide", kwargs={"pk": appeal.pk}),
                           {"outcome": "reduced", "new_amount": "70", "reason": "z"})
    assert response.status_code == 200 and response.context["form"].errors.get("new_amount")
    assert Record.objects.count() == 1


def test_appeal_list_query_count_stays_flat(client, cast, django_assert_max_num_queries):
    from .factories import RecordFactory

    def appeal_for(employee):
        record = RecordFactory(employee=employee, issued_by=cast.manager)
        services.file_appeal(record.pk, actor=employee.user, reason="不服")

    appeal_for(cast.employee)
    client.force_login(cast.manager.user)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("discipline:appeal_list"))
    baseline = len(few.captured_queries)  # read now: each request resets the query log
    for _ in range(8):
        appeal_for(cast.outsider)
        appeal_for(cast.clerk)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("discipline:appeal_list"))
    assert len(response.context["page"]) == 17
