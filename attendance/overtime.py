"""Overtime by the rules: what was asked, what the punches show, and what nobody asked for.

劳动法 第四十四条 pays overtime by day type — workday ×1.5, rest day ×2 unless comp time
(补休) is given, statutory holiday ×3 — so every approved overtime carries its `day_kind`
(fixed from the work calendar when filed) and, on a rest day, the compensation chosen.
The hours that count are the overlap of the approved time with the punched span (first to
last punch from the start date to the end date), shown beside the hours asked.

第五条 3 (不得私自加班): punched time after the end of work (or on a non-workday) that no approved
overtime covers is "unrequested overtime" when it reaches UNREQUESTED_MINUTES; the team month
reports it and the nightly check flags it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from opsdept import workcalendar
from opsdept.models import WorkSchedule

from .days import LOCAL_ZONE, local_moment
from .models import Overtime, OvertimeCompensation, RequestStatus

UNREQUESTED_MINUTES = 30
ZERO = Decimal("0")


def interval(overtime: Overtime) -> tuple[datetime, datetime]:
    end_day = overtime.date + timedelta(days=1) if overtime.overnight else overtime.date
    return local_moment(overtime.date, overtime.start_time), local_moment(end_day, overtime.end_time)


def _hours(delta: timedelta) -> Decimal:
    minutes = max(0, int(delta // timedelta(minutes=1)))
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.1"))


def _overlap(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> timedelta:
    return max(timedelta(0), min(a[1], b[1]) - max(a[0], b[0]))


@dataclass
class CheckedOvertime:
    overtime: Overtime
    asked: Decimal
    counted: Decimal

    @property
    def short(self) -> bool:
        return self.counted < self.asked


def _punched_spans(employee_ids: list[int] | None, start: date, end: date) -> dict[int, list[tuple[date, datetime]]]:
    from .selectors import punches_by_day

    found: dict[int, list[tuple[date, datetime]]] = defaultdict(list)
    for (employee_id, day), moments in punches_by_day(employee_ids, start, end).items():
        for moment in moments:
            found[employee_id].append((day, moment))
    return found


def checked(overtimes: Iterable[Overtime]) -> list[CheckedOvertime]:
    """Each overtime with the hours asked and the hours the punches support (one punch query)."""
    items = list(overtimes)
    if not items:
        return []
    ids = sorted({item.employee_id for item in items})
    first = min(item.date for item in items)
    last = max(item.date for item in items) + timedelta(days=1)
    punches = _punched_spans(ids, first, last)
    result = []
    for item in items:
        wanted = interval(item)
        end_day = wanted[1].date() if item.overnight else item.date
        moments = sorted(moment for day, moment in punches.get(item.employee_id, []) if item.date <= day <= max(end_day, item.date))
        counted = ZERO
        if len(moments) >= 2:
            counted = _hours(_overlap(wanted, (moments[0], moments[-1])))
        result.append(CheckedOvertime(item, item.hours, min(counted, item.hours)))
    return result


def approved(employee_ids: Iterable[int] | None, start: date, end: date) -> list[Overtime]:
    """The approved overtime of those employees (None: everyone) dated from `start` to `end`, by date and start."""
    queryset = Overtime.objects.filter(status=RequestStatus.APPROVED, date__range=(start, end)).order_by("date", "start_time")
    if employee_ids is not None:
        queryset = queryset.filter(employee_id__any=set(employee_ids))
    return list(queryset)


@dataclass
class OvertimeSplit:
    """Counted hours by how payroll pays them."""

    workday: Decimal = ZERO          # 工作日加班小时 (×1.5)
    rest_pay: Decimal = ZERO         # 休息日加班小时 (计薪, ×2)
    rest_comp_time: Decimal = ZERO   # 休息日加班小时 (调休)
    holiday: Decimal = ZERO          # 法定节假日加班小时 (×3)
    asked: Decimal = ZERO

    def add(self, item: CheckedOvertime) -> None:
        kind = item.overtime.day_kind
        self.asked += item.asked
        if kind == workcalendar.OvertimeKind.HOLIDAY:
            self.holiday += item.counted
        elif kind == workcalendar.OvertimeKind.REST_DAY:
            if item.overtime.compensation == OvertimeCompensation.COMP_TIME:
                self.rest_comp_time += item.counted
            else:
                self.rest_pay += item.counted
        else:
            self.workday += item.counted


def split_by_kind(employee_ids: Iterable[int] | None, start: date, end: date, *,
                  overtime: list[Overtime] | None = None) -> dict[int, OvertimeSplit]:
    """Per employee, the approved overtime's counted hours split by day type (two queries; one when the caller
    passes `overtime`, what `approved()` gives for them from `start` to `end`)."""
    result: dict[int, OvertimeSplit] = defaultdict(OvertimeSplit)
    for item in checked(approved(employee_ids, start, end) if overtime is None else overtime):
        result[item.overtime.employee_id].add(item)
    return dict(result)


def unrequested(employee_ids: Iterable[int] | None, start: date, end: date, *, overtime: list[Overtime] | None = None,
                punches: dict[tuple[int, date], list[datetime]] | None = None) -> dict[tuple[int, date], int]:
    """{(employee id, date): minutes} of punched time outside working hours that no approved overtime covers.

    On a workday: from the end of work (plus UNREQUESTED_MINUTES of lingering, or the end of an
    approved overtime that evening) to the last punch; on a non-workday: first to last punch less
    the approved overtime. Only UNREQUESTED_MINUTES or more count. A constant number of queries;
    none for what the caller passes: `overtime` (the approved overtime of those employees from the day
    before `start` to `end`) and `punches` (`punches_by_day`'s for them from `start` to `end`).
    """
    from django.db.models import Count, Max, Min, Q

    from .models import Punch

    ids = None if employee_ids is None else list(employee_ids)
    schedule = WorkSchedule.current()
    infos = {info.date: info for info in workcalendar.days_between(start, end)}
    covering: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for item in approved(ids, start - timedelta(days=1), end) if overtime is None else overtime:
        covering[item.employee_id].append(interval(item))
    # Only the first and last punch of a day matter, and on a workday only a last punch at least twice
    # the tolerance past the end of work can leave UNREQUESTED_MINUTES uncovered: the database hands
    # back those days alone (a handful), not every punch of the month (the export read 360k at 10,000 people).
    late_enough = {day: local_moment(day, schedule.end_time) + timedelta(minutes=2 * UNREQUESTED_MINUTES)
                   for day, info in infos.items() if info.is_workday}
    late_days: set[tuple[int, date]] | None = None
    if punches is not None:  # the caller read them: the same days, picked here
        days = [{"employee_id": pk, "local_date": day, "first": min(moments), "last": max(moments)}
                for (pk, day), moments in punches.items()
                if len(moments) >= 2 and day in infos and (day not in late_enough or max(moments) >= late_enough[day])]
    else:
        # First the workdays with such a late punch (a plain scan), then the punches of those days and of the
        # rest days grouped: grouping the month's 340k punches at 10,000 people spilled to disk (740 ms).
        read = Punch.objects.filter(local_date__range=(start, end)).order_by()
        if ids is not None:
            read = read.filter(employee_id__any=set(ids))
        # One condition on the local clock time rather than one (date, moment) pair per workday, whose OR of
        # twenty was most of a team month's time here; the moment is checked below (the clock time may pass
        # midnight, and the database's time zone is the current one, as LOCAL_ZONE is).
        late_days = set()
        # (A moment past midnight leaves that workday no punch late enough.)
        dates = [day for day, moment in late_enough.items() if moment.astimezone(LOCAL_ZONE).date() == day]
        if dates:
            clock_time = min(late_enough[day].astimezone(LOCAL_ZONE).time() for day in dates)
            # (`at` past the first such moment too: for the night's one day, the exact condition it had before.)
            for employee_id, day, moment in read.filter(
                    local_date__in=dates, at__gte=min(late_enough[day] for day in dates), at__time__gte=clock_time,
            ).values_list("employee_id", "local_date", "at"):
                if moment >= late_enough[day]:
                    late_days.add((employee_id, day))
        candidates = Q(local_date__in=[day for day, info in infos.items() if not info.is_workday])
        if late_days:
            candidates |= Q(employee_id__any={pk for pk, _day in late_days}, local_date__in={day for _pk, day in late_days})
        days = (read.filter(candidates).values("employee_id", "local_date")
                .annotate(first=Min("at"), last=Max("at"), n=Count("id")).filter(n__gte=2))
    found: dict[tuple[int, date], int] = {}
    for row in days:
        employee_id, day = row["employee_id"], row["local_date"]
        if late_days is not None and infos[day].is_workday and (employee_id, day) not in late_days:
            continue  # another late punch's person and date, not the same day
        moments = [row["first"], row["last"]]
        spans = covering.get(employee_id, [])
        if infos[day].is_workday:
            # Lingering after work is not overtime: only time past the end of work plus the
            # tolerance, or past the end of an approved overtime that evening, counts.
            begins = local_moment(day, schedule.end_time) + timedelta(minutes=UNREQUESTED_MINUTES)
            evening = [span for span in spans if span[1] > local_moment(day, schedule.end_time)]
            if evening:
                begins = max(begins, max(span[1] for span in evening))
            outside = (begins, moments[-1])
        else:
            outside = (moments[0], moments[-1])
        if outside[1] <= outside[0]:
            continue
        uncovered = (outside[1] - outside[0]) - sum((_overlap(outside, span) for span in spans), timedelta(0))
        minutes = int(uncovered // timedelta(minutes=1))
        if minutes >= UNREQUESTED_MINUTES:
            found[(employee_id, day)] = minutes
    return found
