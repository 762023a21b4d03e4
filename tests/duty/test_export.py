"""Holiday duty in the monthly export: paid duty hours × the period's rate, and duty days counted as worked."""

from datetime import date, time
from decimal import Decimal
import io

from django.utils import translation
from openpyxl import load_workbook
import pytest

from attendance import export, selectors
from duty import services
from duty.models import DutyAssignment, DutyPeriod
from opsdept import registries

from .conftest import national_day_roster, punch

pytestmark = pytest.mark.django_db
OCT1, OCT3 = date(2026, 10, 1), date(2026, 10, 3)


def test_paid_duty_worked_is_exported_as_hours_and_hours_times_rate(cast, clock):
    roster = national_day_roster(cast)
    services.set_duty_compensation(actor=cast.hr.user, start_date=roster.period.start_date, end_date=roster.period.end_date,
                                   compensation=DutyPeriod.Compensation.PAY, pay_rate=Decimal("3"))
    worked = DutyAssignment.objects.filter(shift__day__roster=roster, shift__day__date=OCT1, is_active=True).first()
    skipped = DutyAssignment.objects.filter(shift__day__roster=roster, shift__day__date=OCT3, is_active=True) \
        .exclude(employee=worked.employee).first()
    punch(worked.employee, OCT1)
    punch(worked.employee, OCT1, time(18))
    with translation.override("zh-hans"):
        data = export.build(2026, 10, today=date(2026, 11, 10))
        book = load_workbook(io.BytesIO(export.to_xlsx(data)))
    headers = data.headers
    start = headers.index("值班天数")
    assert headers[start:start + 4] == ["值班天数", "值班小时", "计薪值班小时", "计薪值班小时×倍率"]
    rows = {row[0]: dict(zip(headers, row)) for row in data.rows}
    hours = worked.shift.hours
    assert rows[worked.employee.employee_no]["计薪值班小时"] == hours
    assert rows[worked.employee.employee_no]["计薪值班小时×倍率"] == hours * 3
    if skipped is not None:   # rostered but never punched: not worked, not paid
        assert rows[skipped.employee.employee_no]["计薪值班小时"] == 0
    # The daily grid marks the rest day worked on duty (值), not as a plain rest day.
    grid = book.worksheets[1]
    header = [cell.value for cell in grid[1]]
    row = next(r for r in grid.iter_rows(min_row=2, values_only=True) if r[0] == worked.employee.employee_no)
    assert row[header.index("1")] == "值"


def test_duty_on_a_workday_counts_as_attended_without_a_punch(cast, only_registered):
    def covers(employee_ids, start, end):
        day = date(2026, 10, 12)
        return {(cast.employee.pk, day): registries.WHOLE_DAY} if start <= day <= end else {}

    only_registered(registries.day_providers, duty=registries.DayProvider(kind="duty", covers=covers))
    day = selectors.computed_days([cast.employee.pk], date(2026, 10, 12), date(2026, 10, 13))
    by_date = {result.date: result for result in day}
    assert by_date[date(2026, 10, 12)].present_days == 1 and by_date[date(2026, 10, 12)].absent_days == 0
    assert by_date[date(2026, 10, 13)].absent_days == 1
