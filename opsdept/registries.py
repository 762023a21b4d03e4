"""The extension points of opsdept: the one place where the chapters plug in.

Imports point down only (DESIGN.md, "Layers and extension points"): opsdept →
discipline → attendance → leave · worklog · meetings · duty. Where a lower
layer needs what a higher one knows, the higher one registers it here from its
`AppConfig.ready()`, and the lower one gathers what is registered. Registering
the same key twice replaces the entry (so `ready()` may run more than once).

Each point says who registers, who gathers and what an entry is.

    nightly_checks          key "chapter.check"   entry: Check
        registered by every chapter's checks.py; gathered by `opsdept.nightly`.
        `check(day) -> int` examines one finished local date and returns how many
        flags it raised; safe to run twice (flags are unique per employee, date, rule).
        It may return a `CheckResult` (an int) that also says how many findings it saw,
        flagged now or before, for the run log. A check whose work grows with the
        department takes a keyword `employee_ids` (a list of ids: look at those only),
        reads its facts in a constant number of queries and raises one batch through
        `discipline.services.raise_flags`; the nightly run then calls it per chunk of
        settings.NIGHTLY_CHUNK_SIZE employees and logs each chunk. Such a check may
        declare its facts (`nightly.register(name, facts=...)`, see `opsdept.facts`):
        every row it reads for a chunk; an operator's forced rerun then leaves a chunk
        whose facts (and the code) did not change since the run that finished it.

    day_providers           key "leave", "business", "duty" …   entry: DayProvider
        registered by leave (and business trips, duty); gathered by attendance when
        it computes a day (`attendance.selectors.day_covers`), and by meetings
        through attendance's selectors. `provider.covers(employee_ids, start, end)`
        returns {(employee id, date): Cover} for the workdays in [start, end] the
        provider covers (employee_ids None means everyone), in one or two queries.

    export_columns          key "chapter.name"   entry: ExportColumns
        registered by leave, discipline, meetings, duty; gathered by the monthly
        attendance export, after its own columns in `order`.
        `headers() -> list[str]` (translated), `values(employee_ids, start, end)
        -> {employee id: [value per header]}` in a constant number of queries.

    year_summary_columns    key "chapter"   entry: YearColumns
        registered by attendance, worklog, meetings, duty; gathered by the year-end
        summary (discipline). `title` is the section heading; `values(employee_ids,
        year) -> {employee id: {label: value}}` in a constant number of queries;
        `chart(employee_ids, year) -> {employee id: opsdept.charts spec}` (optional)
        is drawn beside the numbers.

    dashboard_cards         key "chapter"   entry: DashboardCard
        registered by every chapter; gathered by the home page, in `order`.
        `template` is included with the home page's context (`me`, `today` …);
        `context(request) -> dict` (optional) adds to it for that card only.

    calendar_changed_hooks  key "chapter"   entry: CalendarHook
        registered by attendance, leave, meetings, duty; called by
        `opsdept.services` inside the transaction that changed a date of the work
        calendar: `hook(day, actor)`.

    demo_seeders            key "chapter"   entry: DemoSeeder
        registered by every chapter; called by `seed_demo` in `order` (people
        first): `seed(stdout)`, idempotent.

    reminders               key "chapter.name" (the reminder's kind)   entry: Reminder
        registered by worklog (daily report 17:30, same-day task 17:00), leave
        (written slip due tomorrow), opsdept (the 9:00 digest of requests waiting on
        you), later meetings ("the Monday meeting at 9:50") and duty ("your duty day
        tomorrow"); gathered by `opsdept.reminders.send_reminders(at, day)`, which a
        beat entry in opsdept/celery.py calls at each `at` ("HH:MM", local time — a
        new time needs its beat entry there). `due(day) -> Iterable[Due]` lists who is
        still to be reminded on that workday, leaving out what is already done; the
        sender skips non-workdays, people on leave that day, people who turned the
        kind off (HR sets the default) and any `Due.key` already sent: a reminder
        never goes twice. The notification carries `Due.key`, so the chapter may
        `opsdept.notify.mark_read(key)` when the thing is done.

    awaiting_decision       key "chapter"   entry: AwaitingDecision
        registered by attendance (corrections, overtime) and leave; gathered by the
        9:00 digest reminder. `waiting(filed_before) -> Iterable[Waiting]`: every
        pending request filed before that local date, with who decides it now (the
        approver, their deputy, or whom it escalated to).

    escalations             key "chapter.kind"   entry: Escalation
        registered by leave (leave requests, business trips), attendance (corrections,
        overtime) and discipline (appeals): every `RoutedRequest` model. Gathered by
        `opsdept.approvals`: the escalation task moves a request pending at its start or
        for more than the HR-set workdays one level up (`permissions.next_up`), telling
        both; the 9:00 digest lists what waits on whom (`permissions.routed_decider`).
        `describe(obj) -> str` names the request in a sentence (department language),
        `url(obj) -> str` its page; `related` are its select_related fields.

    chat_events             key "chapter.event"   entry: a lazily translated label
        registered by discipline (published notices), worklog (the daily digest of
        missing reports), later duty (rosters) and meetings (minutes); HR picks
        among them per group robot; the chapter posts with
        `opsdept.chat.post_event(key, text=..., personal_text=...)`.
    task_assigners          key "worklog"   entry: TaskAssigner
        registered by worklog; called by meetings when minutes are published, so an
        action item becomes a work-log task without meetings importing worklog.
        `assign(owner, title, due, *, actor, source) -> object` (the task: has `pk`)
        assigns on `source`'s behalf (e.g. "例会 2026-11-23"): the caller has checked
        that `actor` may; it raises a DomainError for a date or owner it refuses.
        `done_ids(task ids) -> set of the ids of those tasks that are done` (one query);
        `complete(task id, *, actor)` marks one done as its owner (the demo data uses it).

    daily_report_summaries  key "worklog"   entry: ReportSummaries
        registered by worklog; called by meetings to prefill each member's progress
        and problems in the minutes. `summaries(employee_ids, day) -> {employee id:
        (progress, problems)}` for the reports written on `day`, in one query.

    calendar_feed_items     key "chapter"   entry: FeedItems
        registered by meetings (its own items) and duty (shifts); gathered by the
        personal iCalendar feed (meetings). `items(employee, start, end) -> list of
        (uid, start datetime, end datetime, summary, description)`, aware datetimes.

    employee_pickers        key "chapter-field" (a URL slug)   entry: PickerScope
        registered by every chapter with a form that chooses employees (opsdept:
        supervisor, deputy, top approver; discipline, worklog, meetings, leave,
        attendance); gathered by the one search endpoint `opsdept.pickers.employee_pick`
        (/people/pick/<key>/). `action` is the permission the user needs (else 403);
        `people(user) -> QuerySet[Employee]` is who the user may choose there: the
        same queryset the form validates against (views get it with
        `opsdept.pickers.people_for(key, user)`), empty when they may choose no one.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")


class Point(Generic[T]):
    """One extension point: entries under unique keys, gathered in (order, key) order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, tuple[int, T]] = {}

    def register(self, key: str, entry: T, *, order: int = 100) -> T:
        self._entries[key] = (order, entry)
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def __iter__(self) -> Iterator[T]:
        return iter([entry for _key, (_order, entry) in sorted(self._entries.items(), key=lambda item: (item[1][0], item[0]))])

    def items(self) -> list[tuple[str, T]]:
        return [(key, entry) for key, (_order, entry) in sorted(self._entries.items(), key=lambda item: (item[1][0], item[0]))]

    def get(self, key: str) -> T | None:
        found = self._entries.get(key)
        return found[1] if found else None

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Point {self.name}: {', '.join(self._entries)}>"


# ---------------------------------------------------------------- entries

Check = Callable[[date], int]


class CheckResult(int):
    """What a nightly check returns: the flags it raised (the int) and all it found (`findings`).

    A rerun raises nothing new but finds as much: the run log shows both.
    """

    findings: int | None

    def __new__(cls, flags: int, findings: int | None = None) -> "CheckResult":
        result = super().__new__(cls, flags)
        result.findings = findings
        return result


@dataclass(frozen=True)
class Cover:
    """Which halves of a workday a provider covers (a leave, a business trip)."""

    morning: bool = True
    afternoon: bool = True

    @property
    def fraction(self) -> Decimal:
        return Decimal(int(self.morning) + int(self.afternoon)) / 2

    def __or__(self, other: "Cover") -> "Cover":
        return Cover(self.morning or other.morning, self.afternoon or other.afternoon)


WHOLE_DAY = Cover(True, True)
MORNING = Cover(True, False)
AFTERNOON = Cover(False, True)


@dataclass(frozen=True)
class DayProvider:
    """`kind` says what the covered time counts as in attendance.

    leave: not expected at work (请假); business: working elsewhere, counted as
    attended (出差/外出); duty: worked on a rest day (值班).
    """

    kind: str
    covers: Callable[[Iterable[int] | None, date, date], dict[tuple[int, date], Cover]]


class ExportColumns(Protocol):
    def headers(self) -> list[str]: ...

    def values(self, employee_ids: list[int], start: date, end: date) -> dict[int, list[Any]]: ...


@dataclass(frozen=True)
class YearColumns:
    title: Any  # a lazily translated string
    values: Callable[[list[int], int], dict[int, dict[str, Any]]]
    # Optional: {employee id: chart spec (opsdept.charts)} drawn beside the section's numbers.
    chart: Callable[[list[int], int], dict[int, dict[str, Any]]] | None = None


@dataclass(frozen=True)
class DashboardCard:
    template: str
    context: Callable[[Any], dict[str, Any]] | None = None


CalendarHook = Callable[[date, Any], None]


@dataclass(frozen=True)
class DemoSeeder:
    seed: Callable[[Any], None]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Due:
    """One reminder to one employee: `key` is unique to what it reminds of (it never goes twice)."""

    employee: Any  # opsdept.models.Employee
    key: str
    subject: Any  # opsdept.notify.Message (or a lazy string): it is read in each recipient's language
    body: Any = ""  # a Message, Lines, or what a person typed
    url: str = ""


@dataclass(frozen=True)
class Reminder:
    label: Any  # a lazily translated string, shown on the reminder settings pages
    at: str  # "HH:MM" local time; opsdept/celery.py has a beat entry per time
    due: Callable[[date], Iterable[Due]]
    default_on: bool = True


@dataclass(frozen=True)
class Waiting:
    """A pending request and who decides it now."""

    decider: Any  # opsdept.models.Employee
    text: Any  # a lazy string: the digest shows it in its reader's language
    url: str = ""


AwaitingDecision = Callable[[date], Iterable[Waiting]]


@dataclass(frozen=True)
class Escalation:
    """A kind of routed request (an `opsdept.models.RoutedRequest` model) that escalates when stuck."""

    model: Any
    describe: Callable[[Any], str]
    url: Callable[[Any], str]
    related: tuple[str, ...] = ("employee",)
    action: Any = None  # its audit.Action when escalated (default: the generic REQUEST_ESCALATED)
    starts: str | None = "start_date"  # the date field it starts on (escalates if pending then); None: no start


@dataclass(frozen=True)
class TaskAssigner:
    assign: Callable[..., Any]
    done_ids: Callable[[list[int]], set[int]]
    complete: Callable[..., Any]


@dataclass(frozen=True)
class PickerScope:
    action: str
    people: Callable[[Any], Any]  # user -> QuerySet[Employee]


ReportSummaries = Callable[[list[int], date], dict[int, tuple[str, str]]]
FeedItems = Callable[[Any, date, date], list[tuple[str, Any, Any, str, str]]]


# ---------------------------------------------------------------- the points

nightly_checks: Point[Check] = Point("nightly_checks")
day_providers: Point[DayProvider] = Point("day_providers")
export_columns: Point[ExportColumns] = Point("export_columns")
year_summary_columns: Point[YearColumns] = Point("year_summary_columns")
dashboard_cards: Point[DashboardCard] = Point("dashboard_cards")
calendar_changed_hooks: Point[CalendarHook] = Point("calendar_changed_hooks")
demo_seeders: Point[DemoSeeder] = Point("demo_seeders")
reminders: Point[Reminder] = Point("reminders")
awaiting_decision: Point[AwaitingDecision] = Point("awaiting_decision")
escalations: Point[Escalation] = Point("escalations")
chat_events: Point[Any] = Point("chat_events")
task_assigners: Point[TaskAssigner] = Point("task_assigners")
daily_report_summaries: Point[ReportSummaries] = Point("daily_report_summaries")
calendar_feed_items: Point[FeedItems] = Point("calendar_feed_items")
employee_pickers: Point[PickerScope] = Point("employee_pickers")
