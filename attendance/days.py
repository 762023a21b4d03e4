"""The attendance day rules, as pure functions over punches, the schedule and leave.

Policy 二、工作时间和考勤: work 9:00–18:00 with lunch 12:00–13:00 (WorkSchedule). For one
employee on one workday:
- first punch = in, last punch = out (times counted in whole minutes, seconds dropped);
- late minutes = in − (start + grace); early minutes = end − out;
- a single punch is a missing punch (缺卡), never "present";
- no punch and no approved leave is an absence (旷工);
- a full day of approved leave is "on leave"; half a day of leave plus half a day's work is a
  normal day judged against the half that was worked (morning leave: the day starts at lunch end;
  afternoon leave: it ends at lunch start). The leave providers give only the fraction, so the
  worked half is read from the in punch: before lunch starts means the morning was worked.
Non-workdays are not attendance days. Every workday counts exactly once:
present + leave + absent = 1.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

from opsdept.models import WorkSchedule

from .models import DayStatus

LOCAL_ZONE = ZoneInfo(settings.TIME_ZONE)
ONE = Decimal("1")
ZERO = Decimal("0")


def local_date_of(moment: datetime) -> date:
    """The Asia/Shanghai date of an aware datetime, whatever the process timezone."""
    return moment.astimezone(LOCAL_ZONE).date()


def local_moment(day: date, clock: time) -> datetime:
    """An aware datetime for a wall-clock time on a local date."""
    return datetime.combine(day, clock, tzinfo=LOCAL_ZONE)


@dataclass(slots=True)
class DayResult:
    # slots: the export holds one per person and workday (190k at 10,000 employees), a third of the memory.
    employee_id: int
    date: date
    status: str
    first_in: datetime | None
    last_out: datetime | None
    punch_count: int
    late_minutes: int
    early_minutes: int
    leave_fraction: Decimal
    business_absent: bool = False  # half a day on business, the other half neither worked nor on leave

    @property
    def status_label(self) -> str:
        return str(DayStatus(self.status).label)

    @property
    def absent_days(self) -> Decimal:
        if self.status != DayStatus.ABSENT:
            return ZERO
        return Decimal("0.5") if self.business_absent else ONE - self.leave_fraction

    @property
    def present_days(self) -> Decimal:
        if self.status == DayStatus.ON_LEAVE:
            return ZERO
        if self.status == DayStatus.ABSENT:
            return Decimal("0.5") if self.business_absent else ZERO
        return ONE - self.leave_fraction

    @property
    def leave_days(self) -> Decimal:
        return self.leave_fraction

    @property
    def is_late(self) -> bool:
        return self.late_minutes > 0

    @property
    def is_early(self) -> bool:
        return self.early_minutes > 0


MINUTE = timedelta(minutes=1)


def _whole_minutes(delta: timedelta) -> int:
    return max(0, delta // MINUTE)


@lru_cache(maxsize=512)
def _frame(day: date, start: time, end: time, grace: int) -> tuple[datetime, datetime]:
    """When lateness starts and when the day ends, as aware datetimes (cached: one per date and schedule)."""
    return local_moment(day, start) + timedelta(minutes=grace), local_moment(day, end)


def compute_day(employee_id: int, day: date, punches: list[datetime], leave: Decimal, schedule: WorkSchedule) -> DayResult:
    """Judge one employee's workday from their punches (any order, any timezone) and approved leave."""
    moments = sorted(punches)
    if leave is not ZERO:  # most days have no leave: the shared ZERO needs no clamping
        leave = min(ONE, max(ZERO, leave))
    count = len(moments)
    result = DayResult(employee_id, day, DayStatus.NORMAL, moments[0] if count else None,
                       moments[-1] if count >= 2 else None, count, 0, 0, leave)
    if leave >= ONE:
        result.status = DayStatus.ON_LEAVE
        return result
    if count < 2:
        result.status = DayStatus.MISSING if count else DayStatus.ABSENT
        return result
    start, end = schedule.start_time, schedule.end_time
    if leave:
        if moments[0].astimezone(LOCAL_ZONE).time() < schedule.lunch_start:
            end = schedule.lunch_start      # afternoon on leave
        else:
            start = schedule.lunch_end      # morning on leave
    threshold, quitting = _frame(day, start, end, schedule.grace_minutes)
    # Whole minutes: a punch at 09:00:59 is 09:00. Asia/Shanghai is a whole-hour offset, so
    # dropping seconds in UTC is the same as in local time.
    result.late_minutes = _whole_minutes(moments[0].replace(second=0, microsecond=0) - threshold)
    result.early_minutes = _whole_minutes(quitting - moments[-1].replace(second=0, microsecond=0))
    if result.late_minutes and result.early_minutes:
        result.status = DayStatus.LATE_EARLY
    elif result.late_minutes:
        result.status = DayStatus.LATE
    elif result.early_minutes:
        result.status = DayStatus.EARLY
    return result


def compute_days(
    employees: Iterable[tuple[int, date | None, date | None]],
    workdays: list[date],
    punches: dict[tuple[int, date], list[datetime]],
    leave: dict[tuple[int, date], Decimal],
    schedule: WorkSchedule,
    business: dict[tuple[int, date], Decimal] | None = None,
) -> list[DayResult]:
    """Judge every (employee, workday) pair within the employee's tracked span (first, last).

    Days before the first tracked day (max of go-live and hire date) or after the leave date are
    "not employed": skipped, never absent. `business` is the fraction of a day spent on an
    approved business trip or working offsite (外出/出差): counted as attended, no punch needed.
    """
    business = business or {}
    results = []
    for employee_id, first, last in employees:
        for day in workdays:
            if (first is not None and day < first) or (last is not None and day > last):
                continue
            key = (employee_id, day)
            results.append(compute_business_day(employee_id, day, punches.get(key, []), leave.get(key, ZERO),
                                                business.get(key, ZERO), schedule))
    return results


def business_absent(leave: Decimal, away: Decimal) -> bool:
    """Whether an absent day with `leave` and `away` (business, duty) fractions was absent for half a day only:
    half on business, the other half neither worked nor on leave (see compute_business_day)."""
    away = min(ONE - min(ONE, leave), max(ZERO, away))
    return ZERO < away and leave + away < ONE


def compute_business_day(employee_id: int, day: date, punches: list[datetime], leave: Decimal, away: Decimal,
                         schedule: WorkSchedule) -> DayResult:
    """A day with part of it on business: that part is attended without a punch.

    A whole day on business (or business plus leave) is a normal day. Half a day on business
    and half worked at the office is judged like a half day of leave for punctuality, but the
    business half counts as present.
    """
    if away is ZERO:  # most days: nobody away (the shared ZERO), nothing to clamp
        return compute_day(employee_id, day, punches, leave, schedule)
    away = min(ONE - min(ONE, leave), max(ZERO, away))
    if away <= ZERO:
        return compute_day(employee_id, day, punches, leave, schedule)
    if leave + away >= ONE:
        result = DayResult(employee_id, day, DayStatus.BUSINESS, None, None, len(punches), 0, 0, min(ONE, leave))
        moments = sorted(punches)
        result.first_in = moments[0] if moments else None
        result.last_out = moments[-1] if len(moments) >= 2 else None
        return result
    # Half on business, half expected at the office: judge the office half as if the other
    # half were leave, then give the business half back as presence.
    result = compute_day(employee_id, day, punches, leave + away, schedule)
    result.leave_fraction = leave
    if result.status == DayStatus.ABSENT:
        result.business_absent = True
    return result
