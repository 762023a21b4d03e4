"""Annual leave (年休假) under 《职工带薪年休假条例》 and 《企业职工带薪年休假实施办法》.

条例 第三条: 职工累计工作已满1年不满10年的，年休假5天；已满10年不满20年的，年休假10天；已满20年的，年休假15天.
实施办法 第五条: 职工新进用人单位 … 当年度年休假天数，按照在本单位剩余日历天数折算确定，折算后不足1整天的
部分不享受年休假。折算方法为：(当年度在本单位剩余日历天数÷365天)×职工本人全年应当享受的年休假天数.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Sum

from opsdept.models import Employee

from .models import AnnualLeaveAdjustment, LeaveRequest

TIERS = [(20, 15), (10, 10), (1, 5)]  # (years of cumulative work, days a year)
# The regulation drops any fraction below one whole day ("折算后不足1整天的部分不享受年休假"),
# so a prorated entitlement is rounded DOWN to whole days, not half days. Change this step to
# Decimal("0.5") to round down to half days instead (more generous than the law requires).
PRORATION_STEP = Decimal("1")


def _anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def tier_starts(work_start: date, years: int) -> date:
    """The first day the `years`-year tier applies: the anniversary if it is the 1st, else the next month's 1st.

    The tier is reached once the years are complete; like most payroll practice we apply it
    from the month after, so that a year's entitlement changes at a month boundary.
    """
    day = _anniversary(work_start, years)
    if day.day == 1:
        return day
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)  # the first of the next month


def days_a_year_on(employee: Employee, day: date) -> int:
    """The full-year entitlement that applies on `day` (0 before one year of work or before hire)."""
    if day < employee.hire_date:
        return 0
    for years, days in TIERS:
        if day >= tier_starts(employee.work_start_date, years):
            return days
    return 0


def _round_down(value: Decimal) -> Decimal:
    return (value / PRORATION_STEP).to_integral_value(rounding=ROUND_FLOOR) * PRORATION_STEP


def entitlement(employee: Employee, year: int) -> Decimal:
    """The annual-leave days `employee` is entitled to in `year`, by the regulation's proration.

    Each calendar day of the year in the company contributes its tier ÷ 365: in the year of
    joining that is exactly (remaining calendar days ÷ 365) × the full entitlement (实施办法 第五条),
    and in a year a tier is reached the two tiers are prorated the same way. A full year
    is capped at its tier (a leap year's 366th day adds nothing). Rounded down to PRORATION_STEP.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    if employee.hire_date > last:
        return Decimal("0")
    # The tier only changes on the hire date and the days the 1-, 10- and 20-year tiers start:
    # sum tier × days over those segments instead of walking every day.
    changes = {employee.hire_date, *(tier_starts(employee.work_start_date, years) for years, _days in TIERS)}
    starts = sorted({first} | {day for day in changes if first < day <= last})
    total = 0
    highest = 0
    for index, segment_start in enumerate(starts):
        segment_end = starts[index + 1] - timedelta(days=1) if index + 1 < len(starts) else last
        days = days_a_year_on(employee, segment_start)
        total += days * ((segment_end - segment_start).days + 1)
        highest = max(highest, days)
    prorated = min(Decimal(total) / Decimal(365), Decimal(highest))
    return _round_down(prorated)


@dataclass(frozen=True)
class Balance:
    year: int
    entitlement: Decimal
    adjustments: Decimal
    taken: Decimal       # approved
    pending: Decimal     # filed, not decided: reserved so that two requests cannot spend the same days

    @property
    def total(self) -> Decimal:
        return self.entitlement + self.adjustments

    @property
    def remaining(self) -> Decimal:
        return self.total - self.taken - self.pending


def annual_requests(employee_ids: Iterable[int] | None, year: int):
    queryset = LeaveRequest.objects.filter(
        leave_type__deducts_annual_balance=True, start_date__year=year,
        status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
    )
    return queryset if employee_ids is None else queryset.filter(employee_id__in=list(employee_ids))


def balance_for(employee: Employee, year: int, *, exclude_request_id: int | None = None) -> Balance:
    """The employee's annual-leave balance for `year` (two queries)."""
    adjustments = AnnualLeaveAdjustment.objects.filter(employee=employee, year=year).aggregate(total=Sum("days"))["total"]
    taken = pending = Decimal("0")
    requests = annual_requests([employee.pk], year)
    if exclude_request_id is not None:
        requests = requests.exclude(pk=exclude_request_id)
    for status, days in requests.values_list("status", "days"):
        if status == LeaveRequest.Status.APPROVED:
            taken += days
        else:
            pending += days
    return Balance(year, entitlement(employee, year), adjustments or Decimal("0"), taken, pending)


def balances_for(employees: list[Employee], year: int) -> dict[int, Balance]:
    """Balances of many employees in two queries (HR's list)."""
    ids = [employee.pk for employee in employees]
    adjustments = dict(
        AnnualLeaveAdjustment.objects.filter(employee_id__in=ids, year=year)
        .values("employee_id").annotate(total=Sum("days")).values_list("employee_id", "total")
    )
    taken: dict[int, Decimal] = {}
    pending: dict[int, Decimal] = {}
    for employee_id, status, days in annual_requests(ids, year).values_list("employee_id", "status", "days"):
        target = taken if status == LeaveRequest.Status.APPROVED else pending
        target[employee_id] = target.get(employee_id, Decimal("0")) + days
    return {
        employee.pk: Balance(
            year, entitlement(employee, year), adjustments.get(employee.pk) or Decimal("0"),
            taken.get(employee.pk, Decimal("0")), pending.get(employee.pk, Decimal("0")),
        )
        for employee in employees
    }
