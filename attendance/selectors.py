"""attendance: the reads that pages, the nightly check, the export and later chapters share.

`month_totals(employee_ids, year, month)` is the public one for other chapters (the
discipline year-end summary): per employee the same numbers as the monthly export's columns.
"""

from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone as dt_timezone
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from opsdept import charts, employment, facts, permissions, registries, workcalendar
from opsdept.models import Department, Employee, WorkSchedule
from opsdept.selectors import ApprovalContext, ContextLine, Queue, month_around, queue_of_all, request_line

from . import comptime
from . import overtime as overtime_rules
from .days import DayResult, business_absent, compute_day, compute_days, local_moment
from .models import AttendanceSettings, Correction, DayStatus, Overtime, Punch, RequestStatus, overtime_hours


def _employees(employee_ids: Iterable[int] | None, start: date, end: date) -> list[tuple[int, date, date | None]]:
    """(id, first tracked day, leave date) of those among `employee_ids` (None: all) employed from `start` to `end`."""
    found = employment.spans(None if employee_ids is None else list(employee_ids), start, end)
    return [(pk, first, last) for pk, (first, last) in found.items()]


def day_covers(employee_ids: Iterable[int] | None, start: date, end: date,
               kinds: Iterable[str] | None = None) -> dict[tuple[int, date], registries.Cover]:
    """What the registered day providers (leave, business trips …) cover, per (employee id, workday).

    `kinds` narrows to providers of those kinds ("leave", "business", "duty"); None: every provider.
    One or two queries per provider.
    """
    wanted = None if kinds is None else set(kinds)
    ids = None if employee_ids is None else list(employee_ids)
    result: dict[tuple[int, date], registries.Cover] = {}
    for provider in registries.day_providers:
        if wanted is not None and provider.kind not in wanted:
            continue
        for key, cover in provider.covers(ids, start, end).items():
            result[key] = result[key] | cover if key in result else cover
    return result


def cover_facts(employee_ids: list[int], day: date) -> object:
    """What the day providers cover for these employees on `day`, for a nightly check's facts (opsdept.facts),
    read once for all the checks of a chunk."""
    return facts.once(("day_covers", day, tuple(employee_ids)), lambda: day_covers(employee_ids, day, day))


def leave_fractions(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[tuple[int, date], Decimal]:
    """Approved leave per (employee id, workday): Decimal 0.5 or 1, from the "leave" day providers."""
    return {key: cover.fraction for key, cover in day_covers(employee_ids, start, end, kinds=("leave",)).items()}


def business_fractions(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[tuple[int, date], Decimal]:
    """Approved business trips / offsite work (外出/出差) per (employee id, workday), from the "business" providers."""
    return {key: cover.fraction for key, cover in day_covers(employee_ids, start, end, kinds=("business",)).items()}


def punches_by_day(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[tuple[int, date], list[datetime]]:
    """Punch times keyed by (employee id, local date), one query.

    The rows are read with a plain cursor: a month of a large department is tens of thousands
    of punches, and the ORM's per-value converters would dominate the export's time.
    """
    queryset = Punch.objects.filter(local_date__range=(start, end))
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__any=set(employee_ids))
    sql, params = queryset.order_by().values_list("employee_id", "local_date", "at").query.sql_with_params()
    result: dict[tuple[int, date], list[datetime]] = defaultdict(list)
    dates: dict[object, date] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for employee_id, day, moment in cursor:
            if day not in dates:
                dates[day] = day if isinstance(day, date) else date.fromisoformat(day)
            if isinstance(moment, str):  # SQLite keeps UTC as text
                moment = datetime.fromisoformat(moment).replace(tzinfo=dt_timezone.utc)
            elif moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt_timezone.utc)
            result[(employee_id, dates[day])].append(moment)
    return result


def computed_days(employee_ids: Iterable[int] | None, start: date, end: date, *,
                  employees: list[tuple[int, date, date | None]] | None = None,
                  punches: dict[tuple[int, date], list[datetime]] | None = None,
                  duty: dict[tuple[int, date], registries.Cover] | None = None,
                  away: dict[tuple[int, date], registries.Cover] | None = None) -> list[DayResult]:
    """Judge every tracked workday from `start` to `end` of those employed then, without writing anything.

    Queries: the calendar, the employees, the schedule, the punches, plus one or two per leave provider.
    A caller that read them already passes `employees` (`_employees`' rows; more people or a longer span
    is fine: a day outside a person's span is skipped), `punches` (`punches_by_day`'s, for them from `start`
    to `end`) or `duty` (the "duty" day covers) or `away` (the "business" and "duty" covers), and their
    queries are spared (month_totals, stored_days).
    """
    if end < start:
        return []
    ids = None if employee_ids is None else list(employee_ids)
    workdays = workcalendar.workdays_between(start, end)
    if not workdays:
        return []
    if employees is None:
        employees = _employees(ids, start, end)
    if not employees:
        return []
    ids_for_queries = None if ids is None else [pk for pk, _first, _last in employees]
    if punches is None:
        punches = punches_by_day(ids_for_queries, start, end)
    leave = leave_fractions(ids_for_queries, start, end)
    # Working elsewhere counts as attended without a punch: a business trip (外出/出差), or holiday duty
    # (值班) held on a date that is a workday (a period HR declared, such as 双十一).
    if away is not None:
        covers = away
    elif duty is None:
        covers = day_covers(ids_for_queries, start, end, kinds=("business", "duty"))
    else:
        covers = day_covers(ids_for_queries, start, end, kinds=("business",))
        for key, cover in duty.items():
            covers[key] = covers[key] | cover if key in covers else cover
    business = {key: cover.fraction for key, cover in covers.items()}
    return compute_days(employees, workdays, punches, leave, WorkSchedule.current(), business)


def stored_days(employee_ids: Iterable[int] | None, start: date, end: date, *,
                employees: list[tuple[int, date, date | None]] | None = None,
                away: dict[tuple[int, date], registries.Cover] | None = None) -> list[DayResult]:
    """The days the nightly check stored (`AttendanceDay`) from `start` to `end`, as `computed_days` gives them
    (without the in and out times).

    What the export reads, so that it says what the nightly check judged and flagged, by construction.
    A tracked workday the store does not hold yet (the night has not run since a punch was imported,
    or ever) is judged with the same `computed_days`, for those employees only. Queries: the calendar,
    the employees, the stored days, the business/duty covers, plus `computed_days`' when some are missing;
    a caller that read them passes `employees` (`_employees`' rows, at least those of `employee_ids`) and
    `away` (the "business" and "duty" covers of the period, at least theirs), and their queries are spared.
    """
    from .models import AttendanceDay

    if end < start:
        return []
    ids = None if employee_ids is None else list(employee_ids)
    workdays = workcalendar.workdays_between(start, end)
    if not workdays:
        return []
    if employees is None:
        employees = _employees(ids, start, end)
    elif ids is not None:
        wanted = set(ids)
        employees = [row for row in employees if row[0] in wanted]
    if not employees:
        return []
    spans = {pk: (first, last) for pk, first, last in employees}
    rows = AttendanceDay.objects.filter(date__range=(start, end))
    if ids is not None:
        rows = rows.filter(employee_id__any=set(spans))
    ids_for_queries = None if ids is None else list(spans)
    # Only "half on business, half absent" needs more than the row: its absence is half a day (DayResult.business_absent).
    if away is None:
        away = day_covers(ids_for_queries, start, end, kinds=("business", "duty"))
    covers = away
    away = {key: cover.fraction for key, cover in covers.items()}
    results: list[DayResult] = []
    held: dict[int, int] = defaultdict(int)  # stored days per employee: a person short of their workdays is judged
    absent = DayStatus.ABSENT
    # One object per distinct date, status and fraction rather than one per row (190k each at 10,000 people);
    # `workday_of` also answers "is it a tracked workday" (None: not one).
    workday_of: dict[date, date] = {day: day for day in workdays}
    status_of: dict[str, str] = {status.value: status.value for status in DayStatus}
    fractions: dict[Decimal, Decimal] = {}
    # Most people are employed the whole period: their rows need no span check.
    whole = {pk for pk, (first, last) in spans.items()
             if (first is None or first <= workdays[0]) and (last is None or last >= workdays[-1])}
    # Not the in and out times (None here): nothing that reads a month needs them, and converting 360k
    # timestamps was a fifth of a 10,000-employee export.
    for pk, day, status, punches, late, early, leave in rows.order_by().values_list(
            "employee_id", "date", "status", "punch_count", "late_minutes", "early_minutes",
            "leave_fraction").iterator(chunk_size=5000):
        day = workday_of.get(day)
        if day is None:
            continue
        if pk not in whole:
            span = spans.get(pk)
            if span is None or (span[0] is not None and day < span[0]) or (span[1] is not None and day > span[1]):
                continue
        result = DayResult(pk, day, status_of.get(status, status), None, None, punches, late, early,
                           fractions.setdefault(leave, LEAVE_FRACTIONS.get(leave, leave)))
        if status == absent and (pk, day) in away:
            result.business_absent = business_absent(leave, away[(pk, day)])
        results.append(result)
        held[pk] += 1
    # Who is short of stored days (counted, not a set of every (person, day): 190k tuples at 10,000 people).
    tracked = {pk: [day for day in workdays if (first is None or day >= first) and (last is None or day <= last)]
               for pk, first, last in employees if held[pk] < _tracked_count(workdays, first, last)}
    if tracked:
        have = {(day.employee_id, day.date) for day in results if day.employee_id in tracked}
        missing = {(pk, day) for pk, days in tracked.items() for day in days if (pk, day) not in have}
        results.extend(day for day in computed_days(sorted(tracked), start, end, employees=[
            row for row in employees if row[0] in tracked], away=covers) if (day.employee_id, day.date) in missing)
    return results


# A stored leave fraction (a one-place DecimalField: 0.0, 0.5, 1.0) as the day providers give it (registries.Cover:
# 0, 0.5, 1), so that the days read from the store sum to the same Decimal places as the days judged here (the
# team month showed "2.0" days of leave where it had shown "2").
LEAVE_FRACTIONS = {value: value for value in (Decimal(0), Decimal(1) / 2, Decimal(2) / 2)}


def _tracked_count(workdays: list[date], first: date | None, last: date | None) -> int:
    """How many of the sorted `workdays` fall within [first, last] (None: open)."""
    low = 0 if first is None else bisect_left(workdays, first)
    high = len(workdays) if last is None else bisect_right(workdays, last)
    return max(0, high - low)


def stored_totals(totals: dict[int, "MonthTotals"], employee_ids: list[int] | None, start: date, end: date, *,
                  daily: bool = True, employees: list[tuple[int, date, date | None]] | None = None,
                  duty: dict[tuple[int, date], registries.Cover] | None = None) -> None:
    """Add the days the nightly check stored from `start` to `end` to `totals` (the export's read, issue 16).

    Most people (employed over every workday of the period, each of those days stored, no business trip or
    duty on a workday) are summed by the database: a row per person, status and leave fraction, which
    `MonthTotals.add_stored` counts as `add` counts the days one by one, without a Python object per day
    (190k of them at 10,000 people were half the CSV's time). With `daily`, each of their days' status too
    (the XLSX's grid), read as plain rows. The others (hired or leaving within the period, half a day on
    business, days the store lacks) go through `stored_days` day by day. A constant number of queries; a caller
    that read them passes `employees` (`_employees`' rows for them, over at least the period) and `duty` (the
    "duty" day covers of the period), and their queries are spared (month_totals).
    """
    from django.db.models import Count, Sum

    from .models import AttendanceDay

    workdays = workcalendar.workdays_between(start, end) if end >= start else []
    if not workdays:
        return
    if employees is None:
        employees = _employees(employee_ids, start, end)
    if not employees:
        return
    on_workday = set(workdays)
    if duty is None:
        covers = day_covers(employee_ids, start, end, kinds=("business", "duty"))
    else:
        covers = day_covers(employee_ids, start, end, kinds=("business",))
        for key, cover in duty.items():
            covers[key] = covers[key] | cover if key in covers else cover
    away = {pk for pk, day in covers if day in on_workday}
    summed = {pk for pk, first, last in employees if pk not in away
              and (first is None or first <= workdays[0]) and (last is None or last >= workdays[-1])}
    rows = AttendanceDay.objects.filter(date__in=workdays).order_by()
    if employee_ids is not None:
        rows = rows.filter(employee_id__any={pk for pk, _first, _last in employees})
    groups: dict[int, list[tuple]] = defaultdict(list)
    held: dict[int, int] = defaultdict(int)
    for pk, status, leave, *group in rows.values_list("employee_id", "status", "leave_fraction").annotate(
            days=Count("id"), late_days=Count("id", filter=Q(late_minutes__gt=0)), late=Sum("late_minutes"),
            early_days=Count("id", filter=Q(early_minutes__gt=0)), early=Sum("early_minutes")):
        group = [status, LEAVE_FRACTIONS.get(leave, leave), *group]
        if pk in summed:
            groups[pk].append(group)
            held[pk] += group[2]
    complete = {pk for pk in summed if held[pk] == len(workdays)}
    for pk in complete:
        for group in groups[pk]:
            totals[pk].add_stored(*group)
    rest = [pk for pk, _first, _last in employees if pk not in complete]
    for day in stored_days(rest, start, end, employees=employees, away=covers) if rest else []:
        totals[day.employee_id].add(day)
    if daily and complete:
        # Plain rows: the ORM's per-row work was most of reading 180k (person, date, status) at 10,000 people.
        dates: dict[object, date] = {day: day for day in workdays} | {day.isoformat(): day for day in workdays}
        status_of = {status.value: status.value for status in DayStatus}
        sql, params = rows.values_list("employee_id", "date", "status").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(5000):
                for pk, day, status in batch:
                    if pk in complete:
                        totals[pk].statuses[dates[day]] = status_of.get(status, status)


def counted_period(year: int, month: int, today: date | None = None) -> tuple[date, date]:
    """The dates of a month that count: all of a past month, up to yesterday for the current one."""
    today = today or timezone.localdate()
    first = date(year, month, 1)
    last = date(year, month, monthrange(year, month)[1])
    return first, min(last, today - timedelta(days=1))


@dataclass
class MonthTotals:
    """One employee's month, in the export's terms (columns 应出勤天数 … 加班小时)."""

    employee_id: int
    expected_days: Decimal = Decimal("0")    # 应出勤天数
    present_days: Decimal = Decimal("0")     # 出勤天数 (late, early-leave and missing-punch days included)
    late_count: int = 0                      # 迟到次数
    late_minutes: int = 0                    # 迟到分钟
    early_count: int = 0                     # 早退次数
    early_minutes: int = 0                   # 早退分钟
    missing_count: int = 0                   # 缺卡次数
    absent_days: Decimal = Decimal("0")      # 旷工天数
    leave_days: Decimal = Decimal("0")       # 请假天数
    overtime_hours: Decimal = Decimal("0")   # 加班小时 (approved, as asked)
    # Approved overtime, the hours the punches support, by how 劳动法 第四十四条 pays them.
    overtime_workday: Decimal = Decimal("0")     # 工作日加班小时 (×1.5)
    overtime_rest_pay: Decimal = Decimal("0")    # 休息日加班小时 (计薪, ×2)
    overtime_rest_comp: Decimal = Decimal("0")   # 休息日加班小时 (调休)
    overtime_holiday: Decimal = Decimal("0")     # 法定节假日加班小时 (×3)
    unrequested_days: int = 0                    # 未申请加班 (days with punched overtime nobody approved)
    duty_rest_days: set[date] = field(default_factory=set)  # rest days worked on holiday duty (值班), counted up to yesterday
    days: dict[date, DayResult] = field(default_factory=dict)
    # Each counted day's status (DayStatus value): what the export's daily grid shows. `days` holds the whole
    # DayResult, except for the people whose stored days the export summed in the database (stored_totals).
    statuses: dict[date, str] = field(default_factory=dict)
    first_day: date | None = None            # first tracked day: max(go-live, hire date)
    last_day: date | None = None             # leave date

    def tracks(self, day: date) -> bool:
        """Whether `day` is within the person's tracked span (else "not employed" / "not tracked")."""
        return (self.first_day is None or day >= self.first_day) and (self.last_day is None or day <= self.last_day)

    def add(self, day: DayResult) -> None:
        self.days[day.date] = day
        self.statuses[day.date] = day.status
        self.expected_days += 1
        if day.status in PLAIN_DAYS and not day.leave_fraction:
            self.present_days += 1  # most days: worked whole, no leave (DayResult.present_days, without the calls)
        else:
            self.present_days += day.present_days
            self.absent_days += day.absent_days
            self.leave_days += day.leave_days
        if day.late_minutes > 0:  # DayResult.is_late
            self.late_count += 1
            self.late_minutes += day.late_minutes
        if day.early_minutes > 0:  # DayResult.is_early
            self.early_count += 1
            self.early_minutes += day.early_minutes
        if day.status == DayStatus.MISSING:
            self.missing_count += 1

    def add_stored(self, status: str, leave: Decimal, days: int, late_days: int, late_minutes: int, early_days: int,
                   early_minutes: int) -> None:
        """`days` stored days of one status and leave fraction at once (their late and early days and minutes
        summed): what `add` makes of them one by one, to the same Decimal places (n × a value keeps its places)."""
        self.expected_days += days
        if status in PLAIN_DAYS and not leave:
            self.present_days += days
        else:
            one = DayResult(self.employee_id, date.min, status, None, None, 0, 0, 0, leave)
            self.present_days += one.present_days * days
            self.absent_days += one.absent_days * days
            self.leave_days += one.leave_days * days
        self.late_count += late_days
        self.late_minutes += late_minutes
        self.early_count += early_days
        self.early_minutes += early_minutes
        if status == DayStatus.MISSING:
            self.missing_count += days


# Statuses whose day, without leave, is one day present and none absent or on leave.
PLAIN_DAYS = frozenset(status.value for status in (DayStatus.NORMAL, DayStatus.LATE, DayStatus.EARLY, DayStatus.LATE_EARLY,
                                                  DayStatus.MISSING, DayStatus.BUSINESS))


def approved_overtime_hours(employee_ids: Iterable[int] | None, start: date, end: date) -> dict[int, Decimal]:
    queryset = Overtime.objects.filter(status=RequestStatus.APPROVED, date__range=(start, end))
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__in=list(employee_ids))
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for employee_id, begin, finish in queryset.values_list("employee_id", "start_time", "end_time"):
        hours[employee_id] += overtime_hours(begin, finish)
    return hours


def month_totals(employee_ids: Iterable[int] | None, year: int, month: int, *, today: date | None = None,
                 stored: bool = False, daily: bool = True, people: Iterable[Employee] | None = None) -> dict[int, MonthTotals]:
    """Per employee employed in the month, its attendance numbers (the same as the export's columns).

    A past month counts all its workdays; the current month counts up to yesterday. A constant
    number of queries whatever the number of employees. `stored`: read the days the nightly check
    stored (`stored_totals`, what the export does) instead of judging them again from the punches;
    without `daily` the stored path may leave each day's status out (the CSV shows totals only).
    `people`: the Employee rows of `employee_ids`, already read (a page of them), whose spans need no query.
    """
    start, end = counted_period(year, month, today)
    ids = None if employee_ids is None else list(employee_ids)
    totals: dict[int, MonthTotals] = {}
    month_start, month_end = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    if people is None:
        employees = _employees(ids, month_start, month_end)
    else:
        employees = [(pk, first, last) for pk, (first, last) in employment.spans_of(people, month_start, month_end).items()]
    for pk, first, last in employees:
        totals[pk] = MonthTotals(pk, first_day=first, last_day=last)
    counted = end >= start
    # Read once and shared (a supervisor's team month read each twice): the employees, the duty days (days worked
    # on duty, and rest days on duty), the approved overtime (counted hours, and what it covers of the punched
    # time), and when the days are judged here, the punches (the days, and the unrequested overtime).
    duty = day_covers(ids, start, end, kinds=("duty",)) if counted else {}
    punches = None
    if stored:
        stored_totals(totals, ids, start, end, daily=daily, employees=employees, duty=duty)
    else:
        ids_for_queries = None if ids is None else list(totals)
        punches = punches_by_day(ids_for_queries, start, end) if counted and totals else {}
        for day in computed_days(ids, start, end, employees=employees, punches=punches, duty=duty):
            totals[day.employee_id].add(day)
    overtime = overtime_rules.approved(ids, month_start - timedelta(days=1), month_end)
    in_month = [item for item in overtime if item.date >= month_start]
    for pk, split in overtime_rules.split_by_kind(ids, month_start, month_end, overtime=in_month).items():
        if pk in totals:
            item = totals[pk]
            item.overtime_hours, item.overtime_workday, item.overtime_holiday = split.asked, split.workday, split.holiday
            item.overtime_rest_pay, item.overtime_rest_comp = split.rest_pay, split.rest_comp_time
    if counted:
        rest_days = {info.date for info in workcalendar.days_between(start, end) if not info.is_workday}
        for (pk, day) in duty:
            if pk in totals and day in rest_days and totals[pk].tracks(day):
                totals[pk].duty_rest_days.add(day)
        until_end = [item for item in overtime if item.date <= end]
        for (pk, day), _minutes in overtime_rules.unrequested(ids, start, end, overtime=until_end, punches=punches).items():
            if pk in totals and totals[pk].tracks(day):
                totals[pk].unrequested_days += 1
    return totals


# ---------------------------------------------------------------- pages

def punches_on(employee: Employee, day: date) -> QuerySet[Punch]:
    return Punch.objects.filter(employee=employee, local_date=day).order_by("at")


@dataclass
class PunchDay:
    """One person's day so far, as the punch screen and the dashboard state it.

    `next_action` is what a tap does now: "in" (no punch yet), "out" (clocked in), or
    "out_again" (already out: a later tap moves the clock-out time, the first punch stays).
    """

    day: date
    is_workday: bool
    clock_in: datetime | None
    clock_out: datetime | None
    late_minutes: int
    early_minutes: int
    punch_count: int
    punches: list[Punch]

    @property
    def next_action(self) -> str:
        if self.clock_in is None:
            return "in"
        return "out" if self.clock_out is None else "out_again"


def punch_day(employee: Employee, day: date, *, schedule: WorkSchedule | None = None) -> PunchDay:
    """Today's punches judged by the same rules as the month (first punch in, last out; leave halves the day).

    Early leave is only stated once the person has clocked out; on a non-workday nothing is late or early.
    """
    punches = list(punches_on(employee, day))
    schedule = schedule or WorkSchedule.current()
    is_workday = workcalendar.is_workday(day)
    clock_in = punches[0].at if punches else None
    clock_out = punches[-1].at if len(punches) >= 2 else None
    late = early = 0
    if is_workday and punches:
        leave = leave_fractions([employee.pk], day, day).get((employee.pk, day), Decimal(0))
        # Only clocked in: judge the morning as if the day ended late, so lateness shows and early leave does not.
        moments = [item.at for item in punches] if clock_out else [clock_in, clock_in + timedelta(days=1)]
        result = compute_day(employee.pk, day, moments, leave, schedule)
        late = result.late_minutes
        early = result.early_minutes if clock_out else 0
    return PunchDay(day, is_workday, clock_in, clock_out, late, early, len(punches), punches)


def month_days_for(employee: Employee, year: int, month: int) -> tuple[list[dict], MonthTotals | None]:
    """One employee's month: per date the calendar, the judged day (by the same rules as the export) and the punches."""
    days = workcalendar.month_days(year, month)
    first, last = days[0].date, days[-1].date
    totals = month_totals([employee.pk], year, month).get(employee.pk)
    judged = totals.days if totals else {}
    punches: dict[date, list[Punch]] = defaultdict(list)
    for punch in Punch.objects.filter(employee=employee, local_date__range=(first, last)).order_by("at"):
        punches[punch.local_date].append(punch)
    go_live = employment.go_live_date()
    # A rest day someone held holiday duty on (a "duty" day provider) shows as worked on a rest day (值班).
    duty = day_covers([employee.pk], first, last, kinds=("duty",))
    return [{"info": info, "day": judged.get(info.date), "punches": punches.get(info.date, []),
             "duty": (employee.pk, info.date) in duty,
             "untracked": untracked_label(employee, info.date, go_live)} for info in days], totals


def untracked_label(employee: Employee, day: date, go_live: date | None) -> str:
    """Why `day` does not count for `employee` ("" when it does): not employed yet or any more, or before go-live."""
    from django.utils.translation import gettext as _

    if day < employee.hire_date or (employee.leave_date is not None and day > employee.leave_date):
        return _("Not employed")
    if go_live is not None and day < go_live:
        return _("Before go-live")
    return ""


def team_today_queryset(user) -> QuerySet[Employee]:
    """The active people `user` sees on the team-today page (HR and the manager: everyone), in page order."""
    return _team_queryset(user).filter(is_active=True).order_by("department_id", "employee_no")


def _plain_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset as the database driver gives them, without the ORM's work per row
    (for reads of thousands of rows whose values need no conversion: ids, and times checked by the caller)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _today_state(times: list[datetime], fraction: Decimal, threshold: datetime) -> str:
    if fraction >= 1:
        return "leave"
    if not times:
        return "waiting"
    if times[0].replace(second=0, microsecond=0) > threshold and fraction == 0:
        return "late"
    return "in"


def _late_threshold(today: date) -> datetime:
    schedule = WorkSchedule.current()
    return local_moment(today, schedule.start_time) + timedelta(minutes=schedule.grace_minutes)


def team_today(user, today: date, employees: Iterable[Employee] | None = None) -> list[dict]:
    """Rows of the team-today page: `employees` (one page of them; default everyone `user` sees) with today's
    punches, leave and state (constant queries)."""
    employees = list(team_today_queryset(user) if employees is None else employees)
    ids = [employee.pk for employee in employees]
    punches = punches_by_day(ids, today, today)
    leave = leave_fractions(ids, today, today)
    threshold = _late_threshold(today)
    rows = []
    for employee in employees:
        times = sorted(punches.get((employee.pk, today), []))
        fraction = leave.get((employee.pk, today), Decimal("0"))
        # The punch times as the page shows them, formatted here: the template's `time` filter took 12 ms for a
        # page of 50 people's 100 punches, a tenth of a supervisor's request at 10,000 employees.
        rows.append({"employee": employee, "times": ", ".join(f"{timezone.localtime(moment):%H:%M}" for moment in times),
                     "leave": fraction, "state": _today_state(times, fraction, threshold)})
    return rows


@dataclass
class TodayCounts:
    """How many are in, late, on leave, not yet punched: for a department, or the whole team."""

    department_id: int | None = None
    name: str = ""
    people: int = 0
    states: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("in", "late", "leave", "waiting"), 0))


def team_today_counts(team: QuerySet[Employee], today: date) -> tuple[TodayCounts, list[TodayCounts]]:
    """The team-today summary: the whole team's counts and each department's, in a constant number of queries.

    Queries: the team's (id, department), each one's first punch today (one GROUP BY), the departments'
    names, and the leave providers'. Only a few columns per person are read, never whole rows.
    """
    # Plain rows (`_plain_rows`): at 10,000 people the ORM's work per row was most of the manager's page.
    members = dict(_plain_rows(team.order_by().values_list("pk", "department_id")))
    first_punch = dict(_plain_rows(
        Punch.objects.filter(local_date=today, employee_id__in=team.order_by().values("pk"))
        .order_by().values("employee_id").annotate(first=Min("at")).values_list("employee_id", "first")))
    leave = leave_fractions(None if len(members) > 1000 else list(members), today, today)
    threshold = _late_threshold(today)
    names = dict(Department.objects.filter(pk__in=set(members.values())).values_list("pk", "name"))
    if first_punch and not isinstance(next(iter(first_punch.values())), datetime):  # SQLite keeps UTC as text
        first_punch = {pk: datetime.fromisoformat(moment) for pk, moment in first_punch.items()}
    first_punch = {pk: moment if moment.tzinfo else moment.replace(tzinfo=dt_timezone.utc)
                   for pk, moment in first_punch.items()}
    # `_today_state` written out for each of 10,000 people: its minute, rounded down, past the threshold is late;
    # for a threshold on the minute, that is a first punch from the next minute on.
    whole_minute = threshold.second == 0 and threshold.microsecond == 0
    late_from = threshold + timedelta(minutes=1)
    none = Decimal("0")
    counted: dict[int, dict[str, int]] = {}
    for pk, department_id in members.items():
        fraction = leave.get((pk, today), none) if leave else none
        if fraction >= 1:
            state = "leave"
        elif (moment := first_punch.get(pk)) is None:
            state = "waiting"
        elif fraction == 0 and (moment >= late_from if whole_minute else moment.replace(second=0, microsecond=0) > threshold):
            state = "late"
        else:
            state = "in"
        states = counted.get(department_id)
        if states is None:
            states = counted[department_id] = dict.fromkeys(("in", "late", "leave", "waiting"), 0)
        states[state] += 1
    overall = TodayCounts(people=len(members))
    departments: dict[int, TodayCounts] = {}
    for department_id, states in counted.items():
        departments[department_id] = TodayCounts(department_id, names.get(department_id, ""), sum(states.values()), states)
        for state, number in states.items():
            overall.states[state] += number
    return overall, sorted(departments.values(), key=lambda item: item.name)


def _team_queryset(user) -> QuerySet[Employee]:
    if permissions.sees_everyone(user):
        return Employee.objects.select_related("department")
    return permissions.team_employees(user)


def team_month_queryset(user, year: int, month: int) -> QuerySet[Employee]:
    """Everyone `user` sees who was employed at some point in the month, leavers included, in page order."""
    month_start, month_end = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    return employment.employees_between(month_start, month_end, _team_queryset(user)).order_by("department_id", "employee_no")


def team_month(user, year: int, month: int, employees: Iterable[Employee] | None = None) -> list[tuple[Employee, MonthTotals]]:
    """`employees` (one page of them; default everyone `user` sees that month) with their month totals."""
    employees = list(team_month_queryset(user, year, month) if employees is None else employees)
    totals = month_totals([employee.pk for employee in employees], year, month, people=employees, stored=True)
    return [(employee, totals[employee.pk]) for employee in employees if employee.pk in totals]


def _pending(user, model: type[Correction] | type[Overtime]) -> QuerySet:
    """Pending corrections or overtime that `user` may decide: their team's, those routed to them as
    deputy (代理审批人) or escalated to them; never their own."""
    me = permissions.employee_of(user)
    if me is None:
        return model.objects.none()
    if me.is_manager:  # the manager's team is everyone but themself: the filter below, written out, is just that
        return model.objects.filter(status=RequestStatus.PENDING).exclude(employee=me)
    routed = permissions.routed_to(me, start_field="date")
    if me.is_supervisor:
        routed |= permissions.team_filter(user, "employee")
    # whose_leave_decided_by: the approver's own line, and for HR's named decider the manager's requests. A
    # supervisor's own line is in their team already: the subquery is added only for whom it adds someone.
    if not me.is_supervisor or permissions.is_top_approver(me):
        routed |= permissions.whose_leave_decided_by(me, "employee")
    return model.objects.filter(routed, status=RequestStatus.PENDING).exclude(employee=me)


def pending_for(user, model: type[Correction] | type[Overtime]) -> list:
    """Pending corrections or overtime that `user` may decide (their team, never themself)."""
    return list(pending_queryset_for(user, model))


def pending_queryset_for(user, model: type[Correction] | type[Overtime]) -> QuerySet:
    """`pending_for` as a queryset, for the approval list's filter."""
    return _pending(user, model).select_related("employee", "employee__department", "escalated_to").order_by("date", "id")


def pending_count_for(user) -> int:
    """How many corrections and overtime requests wait for `user`'s decision (two queries)."""
    return _pending(user, Correction).count() + _pending(user, Overtime).count()


def pending_queue_for(user) -> Queue:
    """Corrections and overtime waiting for `user`'s decision: how many, and the oldest's filing time (one query)."""
    return queue_of_all(*[(_pending(user, model), "created_at") for model in (Correction, Overtime)])


def my_requests(employee: Employee, model: type[Correction] | type[Overtime]) -> QuerySet:
    return model.objects.filter(employee=employee).select_related("decided_by", "decided_for").order_by("-date", "-id")


def corrections_counted_in_month(employee_id: int, day: date) -> int:
    """Pending and approved corrections of the employee in `day`'s month (the HR limit counts these)."""
    return Correction.objects.filter(
        employee_id=employee_id, date__year=day.year, date__month=day.month,
    ).filter(Q(status=RequestStatus.PENDING) | Q(status=RequestStatus.APPROVED)).count()


def year_summary_columns(employee_ids: list[int], year: int) -> dict[int, dict[str, object]]:
    """{employee id: {label: value}}: the year's attendance in the monthly export's terms (constant queries).

    Registered as the "attendance" section of the year-end summary (opsdept.registries). Summed from the days
    the nights stored, as the export and the section's chart read them (`stored_totals`; days the store lacks
    are judged on the spot): a year of fifty people judged again from their punches was 12,500 days a request.
    """
    from django.utils.translation import gettext as _

    start, end = date(year, 1, 1), counted_period(year, 12)[1]
    if end < start:
        return {}
    totals = {pk: MonthTotals(pk) for pk in employee_ids}
    stored_totals(totals, list(employee_ids), start, end, daily=False)
    overtime = approved_overtime_hours(employee_ids, start, date(year, 12, 31))
    labels = (_("present days"), _("late"), _("early leave"), _("missing punches"), _("absent days"), _("leave days"),
              _("overtime hours"))  # translated once, not per person
    return {
        pk: dict(zip(labels, (
            f"{item.present_days.normalize():f}/{item.expected_days.normalize():f}", item.late_count, item.early_count,
            item.missing_count, f"{item.absent_days.normalize():f}", f"{item.leave_days.normalize():f}",
            f"{overtime.get(pk, Decimal('0')).normalize():f}")))
        for pk, item in totals.items()
    }


# ---------------------------------------------------------------- charts (opsdept.charts specs)

ATTENDED = (DayStatus.NORMAL, DayStatus.LATE, DayStatus.EARLY, DayStatus.LATE_EARLY, DayStatus.MISSING)


# ---------------------------------------------------------------- everyone's days per date (issue 16)

Tally = dict[str, tuple[int, Decimal]]   # {status: (stored days, their leave in days)}


def day_tallies(start: date, end: date) -> dict[date, Tally]:
    """{date: {status: (days, leave)}}: everyone's stored days from `start` to `end`, from the `DayTally` rows.

    What the whole-department charts read instead of grouping every row of the company (the manager's
    and HR's team month and punctuality card). Exact, not a cache that may lag: a date's tally counts
    when it was computed at the date's current number of `DayChange` rows, which only
    `refresh_attendance_days` adds, in the transaction that writes the days. The dates that are not
    (changed since, or never computed: rows stored before the log existed count at 0) are recomputed
    in one statement that reads their days and their change counts together (one statement, one
    snapshot: the count stored is the one those days were at), then stored beside any row of
    another count a concurrent reader wrote (the count is in the unique key), and rows of a lower
    count are deleted. Two queries when nothing changed; three statements more for what did.
    """
    from django.db.models import Count

    from .models import DayChange, DayTally

    counts = dict(DayChange.objects.filter(date__range=(start, end)).values("date").annotate(n=Count("id"))
                  .values_list("date", "n").order_by())
    found: dict[date, Tally] = {}
    for day, status, days, leave in (DayTally.objects.filter(date__range=(start, end))
                                     .filter(_at_counts(counts))
                                     .values_list("date", "status", "days", "leave").order_by()):
        tally = found.setdefault(day, {})
        if status:
            tally[status] = (days, leave)
    missing = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    missing = [day for day in missing if day not in found]
    if missing:
        found.update(_compute_tallies(missing))
    return found


def _by_count(counts: dict[date, int]) -> dict[int, list[date]]:
    grouped: dict[int, list[date]] = defaultdict(list)
    for day, count in counts.items():
        grouped[count].append(day)
    return grouped


def _at_counts(counts: dict[date, int]) -> Q:
    """The tally rows computed at their date's change count (`counts`; a date not in it: 0). Dates share a
    count or a few (each refresh of a range adds one to each of its dates): one condition per count."""
    condition = Q(changes=0) & ~Q(date__in=list(counts))
    for count, days in _by_count(counts).items():
        condition |= Q(changes=count, date__in=days)
    return condition


def _compute_tallies(days: list[date]) -> dict[date, Tally]:
    """Count the stored days of `days` per status and store them at the change count they were read at."""
    from django.db import OperationalError, transaction
    from django.db.models import Count, DecimalField, Sum, Value

    from .models import AttendanceDay, DayChange, DayTally

    stored = (AttendanceDay.objects.filter(date__in=days).values("date", "status")
              .annotate(days=Count("id"), leave=Sum("leave_fraction")).order_by())
    changes = (DayChange.objects.filter(date__in=days).values("date")
               .annotate(status=Value(""), days=Count("id"), leave=Value(None, output_field=DecimalField())).order_by())
    found: dict[date, Tally] = {day: {} for day in sorted(days)}
    counts = dict.fromkeys(days, 0)
    for row in stored.union(changes, all=True):   # "": a date's change count
        if row["status"]:
            found[row["date"]][row["status"]] = (row["days"], row["leave"] or Decimal("0"))
        else:
            counts[row["date"]] = row["days"]
    rows = [DayTally(date=day, status="", days=0, changes=counts[day]) for day in days]
    rows += [DayTally(date=day, status=status, days=number, leave=leave, changes=counts[day])
             for day, tally in found.items() for status, (number, leave) in sorted(tally.items())]
    lower = Q()
    for count, same in _by_count(counts).items():
        if count:
            lower |= Q(date__in=same, changes__lt=count)
    # Storing only saves the next reader this statement: when a concurrent reader's writes of the same dates
    # deadlock with ours (or SQLite is busy), this request still answers with what it read.
    try:
        with transaction.atomic():
            DayTally.objects.bulk_create(rows, ignore_conflicts=True)
            if lower:
                DayTally.objects.filter(lower).delete()
    except OperationalError:
        pass
    return found


def days_by_status(employees: QuerySet[Employee] | None, start: date, end: date) -> dict[date, Tally]:
    """{date: {status: (days, leave)}}: the stored days of `employees` from `start` to `end`, grouped.

    `None` is everyone (the manager and HR, see `team_scope`): read from the tallies (`day_tallies`), not
    from every row of the company. A team groups its own rows in one query (a team is small). The charts
    fold either into the same numbers.
    """
    from django.db.models import Count, Sum

    from .models import AttendanceDay

    if employees is None:
        return day_tallies(start, end)
    found: dict[date, Tally] = defaultdict(dict)
    for row in (AttendanceDay.objects.filter(employee__in=employees.values("pk"), date__range=(start, end))
                .values("date", "status").annotate(n=Count("id"), leave=Sum("leave_fraction")).order_by()):
        found[row["date"]][row["status"]] = (row["n"], row["leave"] or Decimal("0"))
    return found


def team_scope(user, employees: QuerySet[Employee]) -> QuerySet[Employee] | None:
    """Whose days `user`'s team charts count: `employees`, or None for everyone when `user` sees everyone
    (HR and the manager: their charts read the tallies, `days_by_status`).

    Everyone is every stored day: also those of someone deactivated without a leave date, whose history stays
    (`refresh_attendance_days`) though the month's list of people leaves them out (`employment.employed_between`).
    """
    return None if permissions.sees_everyone(user) else employees


def daily_chart(employees: QuerySet[Employee] | None, year: int, month: int) -> dict:
    """Per workday of the month, how many of `employees` (the whole team, not one page of it; None: everyone)
    were late, absent and on leave, from the days the nightly checks stored (`days_by_status`)."""
    from django.utils.translation import gettext as _

    workdays = [info.date for info in workcalendar.month_days(year, month) if info.is_workday]
    counts = {day: {"late": 0, "absent": Decimal("0"), "leave": Decimal("0")} for day in workdays}
    if workdays:
        for day, tally in days_by_status(employees, workdays[0], workdays[-1]).items():
            entry = counts.get(day)
            if entry is None:
                continue
            for status, (number, leave) in tally.items():
                if status in (DayStatus.LATE, DayStatus.LATE_EARLY):
                    entry["late"] += number
                elif status == DayStatus.ABSENT:
                    entry["absent"] += number - leave
                entry["leave"] += leave
    return charts.spec("bar", [f"{day.month}-{day.day}" for day in workdays], [
        charts.series(_("Late arrivals"), [counts[day]["late"] for day in workdays], colour=charts.STATUS_COLOURS["late"]),
        charts.series(_("Absent"), [counts[day]["absent"] for day in workdays], colour=charts.STATUS_COLOURS["absent"]),
        charts.series(_("On leave"), [counts[day]["leave"] for day in workdays], colour=charts.STATUS_COLOURS["leave"]),
    ], stack=True)


def daily_counts(chart: dict) -> list[dict]:
    """The daily chart's numbers as rows for the table under it (the page reads without JavaScript)."""
    late, absent, leave = (item["data"] for item in chart["series"])
    return [{"day": day, "late": a, "absent": b, "leave": c}
            for day, a, b, c in zip(chart["categories"], late, absent, leave) if a or b or c]


@dataclass
class TrendMonth:
    month: date
    attended: int = 0     # days worked (normal, late, early, missing punch)
    late: int = 0
    absent: int = 0
    leave: int = 0

    @property
    def punctuality(self) -> Decimal | None:
        """The share of worked days without lateness, in per cent (None: nobody worked that month)."""
        if not self.attended:
            return None
        return (Decimal(100) * (self.attended - self.late) / self.attended).quantize(Decimal("0.1"))


def attendance_trend(employees: QuerySet[Employee] | None, last_month: date, months: int = 12) -> list[TrendMonth]:
    """Month by month up to `last_month`, the stored attendance days of `employees` (None: everyone).

    Read from the days the nightly run stored (`days_by_status`: one grouped query for a team, the tallies
    for everyone), not recomputed: twelve months of a department's punches would be too much to judge
    on every page view.
    """
    first = last_month.replace(day=1)
    for _step in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    end = date(last_month.year, last_month.month, monthrange(last_month.year, last_month.month)[1])
    trend: dict[date, TrendMonth] = {}
    cursor = first
    while cursor <= end:
        trend[cursor] = TrendMonth(cursor)
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    for month, tally in _months_by_status(employees, first, end).items():
        item = trend[month]
        for status, (number, _leave) in tally.items():
            if status in ATTENDED:
                item.attended += number
            if status in (DayStatus.LATE, DayStatus.LATE_EARLY):
                item.late += number
            elif status == DayStatus.ABSENT:
                item.absent += number
            elif status == DayStatus.ON_LEAVE:
                item.leave += number
    return list(trend.values())


def _months_by_status(employees: QuerySet[Employee] | None, start: date, end: date) -> dict[date, Tally]:
    """{first of the month: {status: (days, leave)}}: `days_by_status` summed per month. A team's rows are grouped
    by month in the query (a dozen rows a status rather than one a workday: the twelve-month trend of a team
    of 50 came back as 1,500 rows to fold here); everyone's tallies are folded here."""
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    from .models import AttendanceDay

    found: dict[date, Tally] = defaultdict(dict)
    if employees is None:
        for day, tally in day_tallies(start, end).items():
            month = found[day.replace(day=1)]
            for status, (number, leave) in tally.items():
                before = month.get(status, (0, Decimal("0")))
                month[status] = (before[0] + number, before[1] + leave)
        return found
    for row in (AttendanceDay.objects.filter(employee__in=employees.values("pk"), date__range=(start, end))
                .annotate(month=TruncMonth("date")).values("month", "status")
                .annotate(n=Count("id"), leave=Sum("leave_fraction")).order_by()):
        month = row["month"]
        found[month if type(month) is date else month.date()][row["status"]] = (row["n"], row["leave"] or Decimal("0"))
    return found


def trend_chart(trend: list[TrendMonth]) -> dict:
    """Late arrivals, absences and leave per month as bars, punctuality (%) as a line."""
    from django.utils.translation import gettext as _

    return charts.spec("bar", [f"{item.month:%Y-%m}" for item in trend], [
        charts.series(_("Late arrivals"), [item.late for item in trend], colour=charts.STATUS_COLOURS["late"]),
        charts.series(_("Absent"), [item.absent for item in trend], colour=charts.STATUS_COLOURS["absent"]),
        charts.series(_("On leave"), [item.leave for item in trend], colour=charts.STATUS_COLOURS["leave"]),
        charts.series(_("Punctuality"), [item.punctuality for item in trend], colour=charts.STATUS_COLOURS["punctuality"],
                      kind="line", percent=True),
    ], stack=False)


@dataclass
class Punctuality:
    """A team's punctuality over twelve months, for the supervisor's dashboard: the chart and its words."""

    trend: list[TrendMonth]
    chart: dict
    latest: TrendMonth | None        # the last month anyone worked
    overall: Decimal | None          # on-time share of every worked day of the twelve months, in per cent
    late: int                        # late arrivals over the twelve months

    @property
    def months(self) -> list[TrendMonth]:
        """The months anyone worked (the table under the chart)."""
        return [item for item in self.trend if item.attended]


def team_punctuality(user, today: date) -> Punctuality:
    """The on-time rate and late arrivals of `user`'s team per month, the last twelve months up to `today`'s.

    One grouped query over the stored attendance days (`attendance_trend`), whatever the team's size; for
    HR and the manager, the tallies of everyone's days.
    """
    from django.utils.translation import gettext as _

    trend = attendance_trend(team_scope(user, _team_queryset(user)), today.replace(day=1))
    chart = charts.spec("bar", [f"{item.month:%Y-%m}" for item in trend], [
        charts.series(_("Late arrivals"), [item.late for item in trend], colour=charts.STATUS_COLOURS["late"]),
        charts.series(_("On-time rate"), [item.punctuality for item in trend], colour=charts.STATUS_COLOURS["punctuality"],
                      kind="line", percent=True),
    ])
    worked = [item for item in trend if item.attended]
    attended = sum(item.attended for item in trend)
    late = sum(item.late for item in trend)
    overall = (Decimal(100) * (attended - late) / attended).quantize(Decimal("0.1")) if attended else None
    return Punctuality(trend=trend, chart=chart, latest=worked[-1] if worked else None, overall=overall, late=late)


def punctuality_card(request) -> dict:
    """The dashboard card's context: only for someone who sees a team (a supervisor, HR, the manager)."""
    if not permissions.can(request.user, "attendance.team"):
        return {}
    return {"punctuality": team_punctuality(request.user, timezone.localdate())}


def team_queryset(user) -> QuerySet[Employee]:
    """The people `user` sees on the team pages (HR and the manager: everyone)."""
    return _team_queryset(user)


def year_chart(employee_ids: list[int], year: int) -> dict[int, dict]:
    """{employee id: spec}: each person's year month by month, in days: on time, late, absent, on leave.

    Registered as the attendance section's chart of the year-end summary (opsdept.registries). Read from
    the days the nightly run stored (one query), like the team's trend.
    """
    from django.db.models import Count
    from django.db.models.functions import ExtractMonth
    from django.utils.translation import gettext as _

    from .models import AttendanceDay

    keys = ("normal", "late", "absent", "leave")
    months = {pk: {key: [0] * 12 for key in keys} for pk in employee_ids}
    rows = (AttendanceDay.objects.filter(employee_id__in=list(employee_ids), date__year=year)
            .annotate(month=ExtractMonth("date")).values("employee_id", "month", "status").annotate(n=Count("id")).order_by())
    for row in rows:
        status = row["status"]
        key = ("late" if status in (DayStatus.LATE, DayStatus.LATE_EARLY) else "absent" if status == DayStatus.ABSENT
               else "leave" if status == DayStatus.ON_LEAVE else "normal")
        months[row["employee_id"]][key][row["month"] - 1] += row["n"]
    names = {"normal": _("Present, on time"), "late": _("Late arrivals"), "absent": _("Absent"), "leave": _("On leave")}
    labels = [str(number) for number in range(1, 13)]
    return {pk: charts.spec("bar", labels, [charts.series(names[key], item[key], colour=charts.STATUS_COLOURS[key]) for key in keys],
                            stack=True, spark=True)
            for pk, item in months.items() if any(any(values) for values in item.values())}


# ---------------------------------------------------------------- beside a request to decide (issue 13 item 12)

def approval_context(item: Correction | Overtime) -> ApprovalContext:
    """What a supervisor needs beside a correction or an overtime request to decide it: the requester's
    balances (corrections counted against HR's monthly limit; overtime approved this month and the comp-time
    balance), their other requests of the same kind in that month, and their punches on the day.
    Three queries, and one more for the limit or the comp-time ledger."""
    employee = item.employee
    first, last = month_around(item.date)
    counted = [RequestStatus.PENDING, RequestStatus.APPROVED]
    others = list(type(item).objects.filter(employee=employee, date__range=(first, last))
                  .exclude(pk=item.pk).exclude(status=RequestStatus.CANCELLED).order_by("date", "id"))
    if isinstance(item, Correction):
        used = sum(1 for other in others if other.status in counted) + (item.status in counted)
        balances = [ContextLine(_("Corrections in %(month)s: %(used)s of the %(limit)s allowed") % {
            "month": f"{first:%Y-%m}", "used": used, "limit": AttendanceSettings.current().correction_monthly_limit})]
        lines = [request_line(_("Punch at %(time)s · %(reason)s") % {
            "time": f"{other.time:%H:%M}", "reason": Truncator(other.reason).chars(30)}, other, other.date) for other in others]
    else:
        approved = sum((other.hours for other in others if other.status == RequestStatus.APPROVED), Decimal("0"))
        balances = [ContextLine(_("Overtime approved in %(month)s: %(hours)s hours") % {"month": f"{first:%Y-%m}", "hours": approved}),
                    ContextLine(_("Comp time (调休): %(hours)s hours") % {"hours": comptime.comp_time_balance(employee)})]
        lines = [request_line(f"{other.start_time:%H:%M}–{other.end_time:%H:%M} ({other.hours}h) · {other.get_day_kind_display()}",
                              other, other.date) for other in others]
    punches = [ContextLine(f"{timezone.localtime(punch.at):%H:%M} · {punch.get_source_display()}")
               for punch in Punch.objects.filter(employee=employee, local_date=item.date).order_by("at", "id")]
    return ApprovalContext(
        employee=employee, month_start=first, balances=balances, this_month=lines,
        balances_title=(_("%(name)s's corrections") if isinstance(item, Correction) else _("%(name)s's overtime and comp time"))
        % {"name": employee.name},
        side_title=_("Punches on %(day)s") % {"day": f"{item.date:%Y-%m-%d}"}, side=punches,
        side_empty=_("No punches that day."), side_testid="context-punches",
    )


def comp_time_people(user: Any) -> QuerySet[Employee]:
    """Whose comp-time ledger `user` may open from the page's picker ("attendance-comp-time"): the active people they see."""
    if not permissions.can(user, "people.view"):
        return Employee.objects.none()
    return permissions.visible_employees(user).filter(is_active=True)
