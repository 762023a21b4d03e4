"""The monthly export's 奖励金额 / 处罚金额 columns and the year-end summary."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from opsdept import registries
from discipline.exports import RewardPenaltyColumns
from discipline.models import Kind

from .factories import RecordFactory, rule


def test_provider_is_registered_once():
    assert sum(isinstance(provider, RewardPenaltyColumns) for provider in registries.export_columns) == 1


def test_month_columns_net_out_reversals(cast):
    november = date(2026, 11, 5)
    fine = RecordFactory(employee=cast.employee, issued_by=cast.supervisor, amount=Decimal("80"), effective_on=november)
    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, amount=Decimal("-80"), effective_on=november, reverses=fine)
    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, amount=Decimal("30"), effective_on=november,
                  kind=Kind.BONUS_DEDUCTION)
    RecordFactory(employee=cast.employee, issued_by=cast.manager, amount=Decimal("500"), effective_on=november,
                  kind=Kind.BONUS, rule=rule("campaign-success"))
    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, amount=Decimal("99"), effective_on=date(2026, 10, 31))
    provider = RewardPenaltyColumns()
    assert len(provider.headers()) == 2
    values = provider.values([cast.employee.pk, cast.outsider.pk], date(2026, 11, 1), date(2026, 11, 30))
    assert values[cast.employee.pk] == [Decimal("500.00"), Decimal("30.00")]
    assert values[cast.outsider.pk] == [Decimal("0.00"), Decimal("0.00")]


def test_year_end_summary_and_bonus_link(client, cast, django_assert_max_num_queries):
    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.PUBLIC_PRAISE, amount=None,
                  rule=rule("campaign-success"), effective_on=date.today())
    client.force_login(cast.manager.user)
    # session, user, employee, banner, nav checks; records (2); attendance (the stored days summed and read, and as no
    # night has run here, the punches and leave to judge them; calendar, overtime); worklog (4); the year chart (1)
    with django_assert_max_num_queries(33) as few:
        response = client.get(reverse("discipline:year_end"))
    baseline = len(few.captured_queries)  # read now: each request resets the query log
    row = next(row for row in response.context["rows"] if row.employee == cast.employee)
    assert row.praises == 1
    assert f"?employee={cast.employee.pk}&amp;rule=year-end-bonus" in response.content.decode()
    form = client.get(reverse("discipline:record_create") + f"?employee={cast.employee.pk}&rule=year-end-bonus")
    assert form.context["form"].initial["rule"] == rule("year-end-bonus").pk
    for _ in range(10):
        RecordFactory(employee=cast.outsider, issued_by=cast.other_supervisor, effective_on=date.today())
    with django_assert_max_num_queries(baseline):
        client.get(reverse("discipline:year_end"))


def test_year_end_shows_reports_from_the_worklog(client, cast):
    from tests.worklog.factories import DailyReportFactory

    DailyReportFactory(employee=cast.employee, date=date(2026, 3, 2))
    DailyReportFactory(employee=cast.employee, date=date(2026, 3, 3))
    client.force_login(cast.manager.user)
    response = client.get(reverse("discipline:year_end") + "?year=2026")
    row = next(row for row in response.context["rows"] if row.employee == cast.employee)
    assert 2 in row.sections["worklog"].values()
    assert "已交日报 2" in response.content.decode()


def test_attendance_export_carries_the_reward_and_penalty_columns(cast):
    from django.utils import translation

    from attendance import export

    RecordFactory(employee=cast.employee, issued_by=cast.supervisor, amount=Decimal("40"), effective_on=date(2026, 10, 20))
    with translation.override("zh-hans"):
        data = export.build(2026, 10)
    assert data.headers[-2:] == ["奖励金额", "处罚金额"]
    row = next(row for row in data.rows if row[0] == cast.employee.employee_no)
    assert row[-2:] == [Decimal("0.00"), Decimal("40.00")]
