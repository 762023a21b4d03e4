"""Issuing rewards and penalties: ranges, kinds, who may, double submits, flags and rule 2."""

from datetime import date
from decimal import Decimal
import uuid

from django.core.exceptions import PermissionDenied
from django.urls import reverse
import pytest

from discipline import services
from discipline.models import CampaignMiss, Flag, Kind, Record, Rule
from discipline.services import DisciplineError
from opsdept.models import AuditEvent, Notification

from .factories import FlagFactory, rule


def issue(cast, *, actor=None, employee=None, code="same-day-unfinished", kind=Kind.FINE, amount="50", token=None, **extra):
    return services.issue_record(
        (employee or cast.employee).pk, actor=(actor or cast.supervisor).user, rule_id=rule(code).pk, kind=kind,
        amount=amount, evidence="没有当天反馈", token=token or uuid.uuid4(), **extra,
    )


@pytest.mark.parametrize("amount,ok", [
    ("10", True), ("10.00", True), ("100", True), ("55.5", True), ("99.99", True),
    ("9.99", False), ("100.01", False), ("-50", False), ("0", False), ("50.005", False), ("abc", False), ("", False),
])
def test_rule_one_range_is_inclusive_and_strict(cast, amount, ok):
    if ok:
        record, created = issue(cast, amount=amount)
        assert created and record.amount == Decimal(amount).quantize(Decimal("0.01"))
    else:
        with pytest.raises(DisciplineError) as error:
            issue(cast, amount=amount)
        assert error.value.field == "amount"
        assert not Record.objects.exists()


@pytest.mark.parametrize("code,low,high", [
    ("same-day-unfinished", "10", "100"), ("users-lost", "50", "1000"), ("year-end-bonus", "100", "10000"),
    ("campaign-success", "100", "1000"),
])
def test_every_policy_range_boundary(cast, code, low, high):
    kind = Kind.BONUS if code in ("year-end-bonus", "campaign-success") else Kind.BONUS_DEDUCTION
    assert issue(cast, actor=cast.manager, code=code, kind=kind, amount=low)[1]
    assert issue(cast, actor=cast.manager, code=code, kind=kind, amount=high)[1]
    for bad in (Decimal(low) - Decimal("0.01"), Decimal(high) + Decimal("0.01")):
        with pytest.raises(DisciplineError):
            issue(cast, actor=cast.manager, code=code, kind=kind, amount=bad)
    assert Record.objects.count() == 2


def test_money_kind_without_amount_is_refused(cast):
    with pytest.raises(DisciplineError) as error:
        issue(cast, amount=None)
    assert error.value.field == "amount"


def test_non_money_kind_takes_no_amount(cast):
    with pytest.raises(DisciplineError):
        issue(cast, kind=Kind.PUBLIC_CRITICISM, amount="20")
    record, _ = issue(cast, kind=Kind.PUBLIC_CRITICISM, amount=None)
    assert record.amount is None


def test_kind_must_be_allowed_by_the_rule(cast):
    with pytest.raises(DisciplineError) as error:
        issue(cast, kind=Kind.BONUS, amount="50")
    assert error.value.field == "kind"
    with pytest.raises(DisciplineError):
        issue(cast, code="late", kind=Kind.FINE, amount="50")


def test_nobody_issues_for_themselves_or_outside_their_team(cast):
    with pytest.raises(PermissionDenied):
        issue(cast, employee=cast.supervisor)
    with pytest.raises(PermissionDenied):
        issue(cast, employee=cast.outsider)
    with pytest.raises(PermissionDenied):
        issue(cast, actor=cast.hr)
    with pytest.raises(PermissionDenied):
        issue(cast, actor=cast.employee, employee=cast.clerk)
    assert issue(cast, actor=cast.manager, employee=cast.outsider)[1]


def test_issuing_audits_and_notifies(cast):
    record, _ = issue(cast)
    assert AuditEvent.objects.filter(action="record.issued", target_id=str(record.pk)).exists()
    assert Notification.objects.filter(recipient=cast.employee).count() == 1


def test_the_same_token_twice_gives_one_record(cast):
    token = uuid.uuid4()
    first, created = issue(cast, token=token)
    second, created_again = issue(cast, token=token, amount="60")
    assert created and not created_again and first.pk == second.pk
    assert Record.objects.count() == 1


def test_double_submit_of_the_form_creates_one_record(client, cast):
    client.force_login(cast.supervisor.user)
    data = {"employee": cast.employee.employee_no, "rule": rule("same-day-unfinished").pk, "kind": "fine", "amount": "50",
            "evidence": "未反馈", "token": str(uuid.uuid4())}
    first = client.post(reverse("discipline:record_create"), data)
    second = client.post(reverse("discipline:record_create"), data)
    assert first.status_code == second.status_code == 302
    assert Record.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize("amount", ["abc", "50.123", "-5", "0", "9.99", "100.01", ""])
def test_bad_amounts_are_field_errors_and_nothing_is_written(client, cast, amount):
    client.force_login(cast.supervisor.user)
    data = {"employee": cast.employee.employee_no, "rule": rule("same-day-unfinished").pk, "kind": "fine", "amount": amount,
            "evidence": "未反馈", "token": str(uuid.uuid4())}
    response = client.post(reverse("discipline:record_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors.get("amount")
    assert not Record.objects.exists()


def test_a_record_for_someone_outside_the_team_is_a_field_error(client, cast):
    client.force_login(cast.supervisor.user)
    data = {"employee": cast.outsider.employee_no, "rule": rule("same-day-unfinished").pk, "kind": "fine", "amount": "50",
            "evidence": "x", "token": str(uuid.uuid4())}
    response = client.post(reverse("discipline:record_create"), data)
    assert response.status_code == 200 and response.context["form"].errors.get("employee")
    response = client.post(reverse("discipline:record_create"), {**data, "employee": cast.supervisor.employee_no})
    assert response.status_code == 200 and response.context["form"].errors.get("employee")  # never for oneself
    assert client.get(reverse("discipline:record_create") + f"?employee={cast.outsider.pk}").status_code == 404
    assert client.get(reverse("discipline:record_create") + f"?employee={cast.supervisor.pk}").status_code == 403
    assert not Record.objects.exists()


def test_turning_a_flag_into_a_record_marks_and_links_it(client, cast):
    flag = FlagFactory(employee=cast.employee)
    record, _ = issue(cast, flag_id=flag.pk)
    flag.refresh_from_db()
    assert flag.status == Flag.Status.PENALISED and flag.record == record
    with pytest.raises(DisciplineError):
        issue(cast, flag_id=flag.pk)


def test_flag_form_posts_the_record(client, cast):
    flag = FlagFactory(employee=cast.employee)
    client.force_login(cast.supervisor.user)
    page = client.get(reverse("discipline:flag_record", kwargs={"pk": flag.pk}))
    assert page.status_code == 200
    token = page.context["form"].initial["token"]
    response = client.post(reverse("discipline:flag_record", kwargs={"pk": flag.pk}), {
        "employee": cast.employee.employee_no, "rule": rule("same-day-unfinished").pk, "kind": "fine", "amount": "50",
        "evidence": "没交日报", "token": str(token),
    })
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == Flag.Status.PENALISED and flag.record.amount == Decimal("50.00")


def test_flags_are_idempotent(cast):
    first, created = services.raise_flag(cast.employee, day=date(2026, 11, 2), rule_code="missing-report")
    again, created_again = services.raise_flag(cast.employee, day=date(2026, 11, 2), rule_code="missing-report")
    assert created and not created_again and first.pk == again.pk
    assert Flag.objects.count() == 1


def test_reversing_record_keeps_totals_right(cast):
    from discipline.selectors import money_totals

    record, _ = issue(cast, amount="80")
    kept, _ = issue(cast, amount="30")
    day = record.effective_on
    assert money_totals([cast.employee.pk], day, day)[cast.employee.pk] == (Decimal("0"), Decimal("110.00"))
    reversal = services.reverse_record(record.pk, actor=cast.supervisor.user, reason="查明有误")
    assert reversal.amount == Decimal("-80.00") and reversal.reverses == record
    record.refresh_from_db()
    assert record.amount == Decimal("80.00")  # the original is never edited
    assert money_totals([cast.employee.pk], day, day)[cast.employee.pk] == (Decimal("0"), Decimal("30.00"))
    with pytest.raises(DisciplineError):
        services.reverse_record(record.pk, actor=cast.supervisor.user, reason="again")
    with pytest.raises(DisciplineError):
        services.reverse_record(reversal.pk, actor=cast.supervisor.user, reason="reverse the reversal")
    assert Record.objects.count() == 3


def test_only_someone_above_may_reverse(cast):
    record, _ = issue(cast)
    for who in (cast.employee, cast.hr, cast.other_supervisor):
        with pytest.raises(PermissionDenied):
            services.reverse_record(record.pk, actor=who.user, reason="x")


def test_records_cannot_be_changed_or_deleted_in_admin(cast):
    from django.contrib.admin.sites import site

    assert not site._registry[Record].has_delete_permission(None)
    assert not site._registry[Record].has_change_permission(None)


def test_rule_two_needs_more_than_three_misses(cast):
    for number in range(3):
        services.record_campaign_miss(cast.employee.pk, actor=cast.supervisor.user, campaign=f"活动{number}", day=date(2026, 10, number + 1))
    with pytest.raises(DisciplineError) as error:
        issue(cast, code="campaign-missed", amount="100")
    assert error.value.field == "rule"
    services.record_campaign_miss(cast.employee.pk, actor=cast.supervisor.user, campaign="活动3", day=date(2026, 10, 9))
    record, _ = issue(cast, code="campaign-missed", amount="100")
    assert CampaignMiss.objects.filter(penalised_by=record).count() == 4
    with pytest.raises(DisciplineError):  # the misses were used up by that record
        issue(cast, code="campaign-missed", amount="100")


def test_campaign_misses_are_recorded_by_supervisors_only(cast):
    with pytest.raises(PermissionDenied):
        services.record_campaign_miss(cast.outsider.pk, actor=cast.supervisor.user, campaign="x", day=date(2026, 10, 1))
    with pytest.raises(PermissionDenied):
        services.record_campaign_miss(cast.clerk.pk, actor=cast.employee.user, campaign="x", day=date(2026, 10, 1))


def test_record_list_query_count_stays_flat(client, cast, django_assert_max_num_queries):
    from .factories import RecordFactory

    client.force_login(cast.manager.user)
    for _ in range(3):
        RecordFactory(employee=cast.employee, issued_by=cast.supervisor)
    # session, user, employee, unread notifications, policy banner, count, rows, nav permission checks
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("discipline:record_list"))
    baseline = len(few.captured_queries)  # read now: each request resets the query log
    for _ in range(20):
        RecordFactory(employee=cast.outsider, issued_by=cast.other_supervisor)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("discipline:record_list"))
