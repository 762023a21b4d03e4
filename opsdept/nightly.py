"""The nightly run: every check in `opsdept.registries.nightly_checks`, per finished date.

Each chapter's `checks.py` registers its checks with `@nightly.register("chapter.name")`.
A check is a function `(day: date) -> int` that examines one local date and
returns how many flags it raised. It must be safe to run twice for a date:
flags are unique per employee, date and rule, so re-running adds nothing.

What an operator can rely on (issue 15):

- Only finished days: today and the future are refused (`NightlyError`).
- One run per date at a time. On PostgreSQL a session advisory lock per date,
  released by the server when the holder's connection dies (a SIGKILLed worker);
  on SQLite the claim runs in a serialized (IMMEDIATE) transaction and a
  "running" attempt counts as held while its process lives. The loser exits
  saying who holds the night; it writes no entry.
- The run log: every attempt is its own `NightlyRun` row (pending → running →
  done / partial / failed, or waiting for the calendar), written before the
  first check and after each one, so a killed run leaves a trace. A night is
  done when every registered check finished for it; a resumed attempt runs only
  the checks that had not (a rerun from the command runs them all, except the
  chunks whose facts did not change since the run that finished them: `opsdept.facts`).
- A night in a year the calendar package does not know, and HR has not
  confirmed, is held ("waiting for the calendar") rather than guessed; it runs
  as soon as HR confirms the year (`opsdept.services.confirm_calendar_year`).
- 01:30 means 01:30: the catch-up touches yesterday only after 01:30.

Fan-out across workers (issue 16, `settings.NIGHTLY_FAN_OUT`, on by default in production; off, one
process runs the night as before). The attempt is claimed as above, then the checks that take `employee_ids`
are split into chunks of `NIGHTLY_CHUNK_SIZE` employees and each chunk becomes a task
(`opsdept.tasks.run_nightly_chunk`, sent through the outbox) that any worker may take. Each chunk
claims and records its entries in the attempt's `checks` under the attempt's row lock; a chunk
that fails is sent again alone (up to `CHUNK_RETRIES` times). The task that records the last
chunk finishes the night under the date lock: the whole-department checks run in registry
order, and the attempt becomes done only when every chunk of every check is done. While its
chunks are queued or running (activity within `NIGHTLY_CHUNK_STALE_SECONDS`), a fan-out attempt
counts as held: a rival run or the catch-up leaves the night to it; after that it counts as lost
and the next attempt resumes only the chunks not done.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
import inspect
import logging
import os
from pathlib import Path
import socket
import time as time_module
import traceback

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from . import employment, facts as facts_module, registries, workcalendar
from .errors import DomainError
from .models import AlertSent, Employee, NightlyRun
from .notify import Message, department_language

Check = registries.Check
log = logging.getLogger(__name__)

# How far back the nightly job looks for dates it missed while the worker was down.
CATCH_UP_DAYS = 31
# The night's checks start at 01:30 (after the machines' late imports); before that, yesterday waits.
NIGHT_STARTS = time(1, 30)
# A night not done by then is reported to HR.
NIGHT_DUE = time(6, 0)
# HR hears of a year the calendar does not know this many days ahead.
CALENDAR_WARNING_DAYS = 60
# On SQLite a "running" attempt of another machine counts as lost after this long.
FOREIGN_HOLDER_STALE = timedelta(hours=6)
# The advisory-lock namespace of the nightly run (PostgreSQL's two-int form: namespace, date ordinal).
LOCK_NAMESPACE = 0x6E69
# How long a second run of the same night waits for the first before it leaves the night to it.
LOCK_WAIT_SECONDS = 5
# A fan-out attempt's holder starts with this; its chunks run as tasks on any worker.
FAN_OUT_PREFIX = "fan-out:"
# A chunk that failed is sent again alone this many times before its check counts as failed.
CHUNK_RETRIES = 2
CHUNK_PENDING = ("queued", "running")


INTERRUPTED = gettext_lazy("The process running this attempt stopped before it finished (a killed worker or a restart).")


class NightlyError(DomainError):
    pass


@dataclass
class Outcome:
    """What one call for one date did. `state` is a run status, or "held" / "already-done"."""

    day: date
    state: str
    run: NightlyRun | None = None
    summary: dict[str, int] = field(default_factory=dict)
    message: str = ""


def register(name: str, *, facts: facts_module.Facts | None = None) -> Callable[[Check], Check]:
    """Register a nightly check under a unique dotted name (`attendance.lateness`).

    `facts(day, employee_ids)`, for a chunked check: every row it reads (see `opsdept.facts`), so that a
    forced rerun may leave a chunk whose facts did not change.
    """

    def decorator(function: Check) -> Check:
        if facts is not None:
            function.facts = facts  # type: ignore[attr-defined]
        return registries.nightly_checks.register(name, function)

    return decorator


def registered() -> dict[str, Check]:
    return dict(registries.nightly_checks.items())


# ---------------------------------------------------------------- which dates

def yesterday() -> date:
    return timezone.localdate() - timedelta(days=1)


def ensure_finished(day: date, today: date | None = None) -> None:
    """Refuse a day still in progress (today) or to come: its findings would be wrong."""
    today = today or timezone.localdate()
    if day >= today:
        raise NightlyError(
            _("%(date)s is not over yet: the nightly checks run only for finished days (up to %(last)s).")
            % {"date": day.isoformat(), "last": (today - timedelta(days=1)).isoformat()}
        )


def last_due_night(now: datetime | None = None) -> date:
    """The latest night the scheduled run should have checked: yesterday from 01:30, else the day before."""
    moment = timezone.localtime(now) if now else timezone.localtime()
    back = 1 if moment.time() >= NIGHT_STARTS else 2
    return moment.date() - timedelta(days=back)


def done_dates(start: date, end: date) -> set[date]:
    """The dates in [start, end] whose night is done (every registered check finished)."""
    return set(NightlyRun.objects.filter(date__range=(start, end), status=NightlyRun.Status.DONE)
               .values_list("date", flat=True))


def dates_to_catch_up(today: date | None = None, *, now: datetime | None = None) -> list[date]:
    """Nights due and not done, oldest first, at most CATCH_UP_DAYS back, plus any night waiting for the calendar.

    `today` (a date) treats the whole of yesterday as due; `now` applies the 01:30 rule.
    """
    if today is not None:
        last = today - timedelta(days=1)
    else:
        last = last_due_night(now)
        today = timezone.localtime(now).date() if now else timezone.localdate()
    first = today - timedelta(days=CATCH_UP_DAYS)
    done = done_dates(first, last)
    earliest = NightlyRun.objects.order_by("date").values_list("date", flat=True).first()
    if earliest is None:
        # A fresh installation checks only the last night; older history is for `run_nightly_checks --from`.
        first = last
    else:
        first = max(first, earliest)
    go_live = employment.go_live_date()
    if go_live is not None:
        # Nothing before go-live is checked: the department was not using opsdept yet.
        first = max(first, go_live)
    due = {first + timedelta(days=n) for n in range((last - first).days + 1)} - done
    waiting = set(NightlyRun.objects.filter(status=NightlyRun.Status.WAITING, date__lte=last)
                  .values_list("date", flat=True)) - done_dates(date.min, last)
    return sorted(due | waiting)


# ---------------------------------------------------------------- one run per date

def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def date_lock(day: date) -> Iterator[bool]:
    """Hold the night of `day` for this process; yield False when another process holds it.

    PostgreSQL: a session advisory lock, which the server drops with the holder's connection.
    SQLite has none: `_claim` runs in a serialized transaction and asks whether the holder lives.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    # Wait a little: the server releases a killed holder's lock only once it notices the lost connection.
    deadline = time_module.monotonic() + LOCK_WAIT_SECONDS
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, day.toordinal()])
            acquired = bool(cursor.fetchone()[0])
        if acquired or time_module.monotonic() >= deadline:
            break
        time_module.sleep(0.5)
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, day.toordinal()])


def _fan_out_alive(run: NightlyRun) -> bool:
    """A fan-out attempt lives while its chunks move: some chunk queued, started or finished recently."""
    stale = timedelta(seconds=int(getattr(settings, "NIGHTLY_CHUNK_STALE_SECONDS", 3600)))
    moments = [run.started_at] if run.started_at else []
    for result in run.checks.values():
        for chunk in result.get("chunks", {}).values():
            moments.extend(datetime.fromisoformat(chunk[key]) for key in ("queued", "started", "finished") if chunk.get(key))
    return bool(moments) and timezone.now() - max(moments) < stale


def _holder_alive(run: NightlyRun) -> bool:
    if run.holder.startswith(FAN_OUT_PREFIX):
        return _fan_out_alive(run)
    if connection.vendor == "postgresql":
        return False  # we hold the date's advisory lock, so whoever marked this run running is gone
    host, _sep, pid_text = run.holder.rpartition(":")
    if host != socket.gethostname():
        return bool(run.started_at and timezone.now() - run.started_at < FOREIGN_HOLDER_STALE)
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        # A killed process its parent has not reaped yet is a zombie: it runs nothing.
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _checks_done(runs: list[NightlyRun]) -> set[str]:
    return {name for run in runs for name, result in run.checks.items() if result.get("status") == "done"}


def _claim(day: date, *, trigger: str, force: bool) -> tuple[NightlyRun | None, set[str], Outcome | None]:
    """In one transaction: settle lost attempts, then start an attempt (or say why not)."""
    with transaction.atomic():
        runs = list(NightlyRun.objects.select_for_update().filter(date=day).order_by("id"))
        now = timezone.now()
        for run in runs:
            if run.status != NightlyRun.Status.RUNNING:
                continue
            if _holder_alive(run):
                return None, set(), Outcome(day, "held", run, message=_(
                    "The night of %(date)s is being checked by %(holder)s since %(since)s."
                ) % {"date": day.isoformat(), "holder": run.holder,
                     "since": timezone.localtime(run.started_at).strftime("%H:%M:%S") if run.started_at else "?"})
            run.status = NightlyRun.Status.PARTIAL if run.summary else NightlyRun.Status.FAILED
            run.finished_at = now
            run.error = (run.error + "\n" if run.error else "") + _department_text(INTERRUPTED)
            run.save(update_fields=["status", "finished_at", "error"])
        names = set(registered())
        done = set() if force else _checks_done(runs)
        if not force and names <= done and any(run.status == NightlyRun.Status.DONE for run in runs):
            return None, done, Outcome(day, "already-done", message=_("The night of %(date)s is already done.")
                                       % {"date": day.isoformat()})
        waiting = next((run for run in runs if run.status == NightlyRun.Status.WAITING), None)
        if not workcalendar.year_is_known(day.year):
            if waiting is None:
                waiting = NightlyRun.objects.create(date=day, status=NightlyRun.Status.WAITING, trigger=trigger)
                alert_waiting_for_calendar(day)
            return None, done, Outcome(day, NightlyRun.Status.WAITING, waiting, message=_(
                "The night of %(date)s waits for HR to confirm the %(year)s holidays.")
                % {"date": day.isoformat(), "year": day.year})
        run = waiting or NightlyRun(date=day, trigger=trigger)
        run.status, run.holder, run.started_at = NightlyRun.Status.RUNNING, holder_name(), now
        run.save()
        return run, done, None


# ---------------------------------------------------------------- the run

def run_night(day: date, *, trigger: str, force: bool = False, fan_out: bool = False, everything: bool = False) -> Outcome:
    """Run the checks of one finished date as one attempt in the run log.

    `force` (an operator's rerun) runs every check again; otherwise only the checks that have not
    finished for `day` run, and a night already done is left alone. `fan_out` sends the chunks
    to the workers and returns at once (state "running"); the last chunk finishes the night.
    A forced run leaves the chunks whose facts did not change (`opsdept.facts`) unless `everything`
    (which runs in this process).
    """
    ensure_finished(day)
    with date_lock(day) as acquired:
        if not acquired:
            holder = NightlyRun.objects.filter(date=day, status=NightlyRun.Status.RUNNING).order_by("-id").first()
            return Outcome(day, "held", holder, message=_("The night of %(date)s is being checked by %(holder)s.")
                           % {"date": day.isoformat(), "holder": holder.holder if holder else _("another process")})
        try:
            run, done_before, refused = _claim(day, trigger=trigger, force=force)
        except OperationalError as error:
            # SQLite has one writer at a time: a rival that waited out the busy timeout (20 s) while
            # the night's checks held the database leaves the night to them (or to the next catch-up).
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            refused = Outcome(day, "held", message=_(
                "The database is busy (another run of the night of %(date)s is writing); the catch-up tries again later.")
                % {"date": day.isoformat()})
        if refused is not None:
            log.info("nightly checks for %s: %s", day, refused.message)
            return refused
        if fan_out and not everything:
            return _dispatch(run, done_before, resume=not force)
        return _run_checks(run, done_before, resume=not force, everything=everything)


def chunk_size() -> int:
    """Employees per chunk of a check that can run for part of the department (settings.NIGHTLY_CHUNK_SIZE; 0: whole)."""
    return max(0, int(getattr(settings, "NIGHTLY_CHUNK_SIZE", 0) or 0))


def is_chunked(check: Check) -> bool:
    """A check that takes `employee_ids` (see registries.nightly_checks) runs in chunks of the department."""
    try:
        return "employee_ids" in inspect.signature(check).parameters
    except (TypeError, ValueError):
        return False


def _done_ranges(runs_checks: list[dict], name: str) -> list[tuple[int, int]]:
    """The (first, last) employee ids of the chunks of `name` an earlier attempt finished."""
    ranges = []
    for checks in runs_checks:
        for chunk in checks.get(name, {}).get("chunks", {}).values():
            if chunk.get("status") == "done":
                ranges.append((int(chunk["first"]), int(chunk["last"])))
    return ranges


def _employed(day: date) -> list[int]:
    return list(employment.employees_between(day, day).order_by("pk").values_list("pk", flat=True))


def _not_done(ids: list[int], done: list[tuple[int, int]]) -> list[int]:
    return [pk for pk in ids if not any(first <= pk <= last for first, last in done)]


def _split(ids: list[int], size: int) -> list[list[int]]:
    return [ids[start:start + size] for start in range(0, len(ids), size)] if size else [ids]


def _chunks(employed: list[int], size: int, done: list[tuple[int, int]]) -> list[list[int]]:
    """The employees `employed` (on the night's day) not covered by a finished chunk, in chunks of `size` (by id)."""
    return _split(_not_done(employed, done), size) or [[]]


def _chunk_key(employee_ids: list[int]) -> str:
    return f"{employee_ids[0]}-{employee_ids[-1]}" if employee_ids else "none"


class _Fingerprints:
    """The fingerprints of a night's chunked checks (`opsdept.facts`), taken per chunk for every check at once."""

    def __init__(self, day: date, checks: list[tuple[str, Check]]):
        self.day, self.facts = day, facts_module.declared(checks)
        self.taken: dict[tuple[int, ...], dict[str, str]] = {}

    def of(self, name: str, employee_ids: list[int]) -> str | None:
        if name not in self.facts or not employee_ids:
            return None
        key = tuple(employee_ids)
        if key not in self.taken:
            self.taken[key] = facts_module.fingerprints(self.facts, self.day, employee_ids)
        return self.taken[key][name]


def _latest_chunks(runs_checks: list[dict], name: str) -> dict[str, dict]:
    """{chunk key: its entry in the latest of `runs_checks` (oldest first) that finished it} for check `name`."""
    latest: dict[str, dict] = {}
    for checks in runs_checks:
        for key, chunk in checks.get(name, {}).get("chunks", {}).items():
            if chunk.get("status") == "done":
                latest[key] = chunk
    return latest


def _unchanged(previous: dict | None, fingerprint: str | None) -> dict | None:
    """The outcome of a chunk whose facts are those the latest run that finished it saw: nothing to recompute."""
    if fingerprint is None or previous is None or previous.get("facts") != fingerprint:
        return None
    outcome = {"status": "done", "flags": 0, "unchanged": True}
    if "findings" in previous:
        outcome["findings"] = int(previous["findings"])
    return outcome


def _run_one(check: Check, day: date, employee_ids: list[int] | None) -> tuple[int, int | None]:
    # Flag details are stored and read later: the department's language, even if a request runs the checks.
    with transaction.atomic(), department_language():
        result = check(day, employee_ids=employee_ids) if employee_ids is not None else check(day)
    return int(result or 0), getattr(result, "findings", None)


def _error_text(error: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(error), error)).strip()[:2000]


def _run_chunked(run: NightlyRun, name: str, check: Check, size: int, employed: list[int], *,
                 resume: bool, earlier: list[dict], fingerprints: _Fingerprints, everything: bool = False) -> str | None:
    """Run `check` chunk by chunk, each in its own transaction, recording each chunk in the run log.

    A failed chunk leaves the others done: the next attempt (`resume`) runs only the employees no
    finished chunk covered; an operator's rerun runs them all, except a chunk whose facts did not
    change since the latest run that finished it (`opsdept.facts`). Returns the first failure, or None.
    """
    day = run.date
    result = run.checks.setdefault(name, {})
    result.update({"status": "running", "started": timezone.now().isoformat()})
    chunks = result.setdefault("chunks", {})
    previous = _latest_chunks(earlier, name)
    failure = None
    flags = findings = 0
    for employee_ids in _chunks(employed, size, _done_ranges(earlier, name) if resume else []):
        key = _chunk_key(employee_ids)
        entry = {"first": employee_ids[0] if employee_ids else 0, "last": employee_ids[-1] if employee_ids else 0,
                 "employees": len(employee_ids), "started": timezone.now().isoformat()}
        try:
            fingerprint = fingerprints.of(name, employee_ids)
            unchanged = None if resume or everything else _unchanged(previous.get(key), fingerprint)
            if unchanged is not None:
                entry.update(unchanged)
                raised, found = 0, unchanged.get("findings")
            else:
                raised, found = _run_one(check, day, employee_ids)
        except Exception as error:  # noqa: BLE001 — one failing chunk is recorded; the others still run
            log.exception("nightly check %s failed for %s (employees %s)", name, day, key)
            entry.update({"status": "failed", "error": _error_text(error)})
            failure = failure or f"{name} [{key}]: {entry['error']}"
        else:
            entry.update({"status": "done", "flags": raised})
            if fingerprint is not None:
                entry["facts"] = fingerprint
            if found is not None:
                entry["findings"] = int(found)
                findings += int(found)
            flags += raised
        entry["finished"] = timezone.now().isoformat()
        chunks[key] = entry
        if not entry.get("unchanged"):  # a chunk left as it was wrote nothing: the check's own save records it
            run.save(update_fields=["checks"])
    result.update({"flags": flags, "finished": timezone.now().isoformat(),
                   "status": "failed" if failure else "done"})
    if findings:
        result["findings"] = findings
    if failure:
        result["error"] = failure
    run.summary[name] = flags  # the flags of the chunks that finished, even when another failed
    run.save(update_fields=["checks", "summary"])
    return failure


def _run_checks(run: NightlyRun, done_before: set[str], *, resume: bool = True,
                skip: frozenset[str] = frozenset(), everything: bool = False) -> Outcome:
    """Run the checks not in `done_before` (finished by an earlier attempt) nor in `skip` (run by this
    attempt's chunks), then settle the attempt: done when every registered check is."""
    day = run.date
    failures: list[str] = [result["error"] for name, result in run.checks.items()
                           if name in skip and result.get("status") == "failed" and result.get("error")]
    size = chunk_size()
    employed: list[int] | None = None  # read once per attempt, for every chunked check
    chunked = [(name, check) for name, check in registries.nightly_checks.items()
               if size and is_chunked(check) and name not in done_before and name not in skip]
    fingerprints = _Fingerprints(day, chunked)
    earlier = _earlier_checks(run) if chunked else []
    for name, check in registries.nightly_checks.items():
        if name in done_before or name in skip:
            continue
        if size and is_chunked(check):
            employed = _employed(day) if employed is None else employed
            failure = _run_chunked(run, name, check, size, employed, resume=resume, earlier=earlier,
                                   fingerprints=fingerprints, everything=everything)
            if failure:
                failures.append(failure)
            continue
        started = timezone.now()
        try:
            raised, findings = _run_one(check, day, None)
        except Exception as error:  # noqa: BLE001 — one failing check is recorded; the others still run
            log.exception("nightly check %s failed for %s", name, day)
            text = _error_text(error)
            run.checks[name] = {"status": "failed", "error": text, "started": started.isoformat(),
                                "finished": timezone.now().isoformat()}
            failures.append(f"{name}: {text}")
        else:
            run.checks[name] = {"status": "done", "flags": raised, "started": started.isoformat(),
                                "finished": timezone.now().isoformat()}
            if findings is not None:
                run.checks[name]["findings"] = int(findings)
            run.summary[name] = raised
        run.save(update_fields=["checks", "summary"])
    names = set(registered())
    done_now = done_before | {name for name, result in run.checks.items() if result.get("status") == "done"}
    if names <= done_now:
        run.status = NightlyRun.Status.DONE
    elif done_now or any(chunk.get("status") == "done" for result in run.checks.values()
                         for chunk in result.get("chunks", {}).values()):
        run.status = NightlyRun.Status.PARTIAL
    else:
        run.status = NightlyRun.Status.FAILED
    run.error = "\n".join(failures)[:10000]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])
    log.info("nightly checks for %s: %s, %d flag(s) raised %s", day, run.status, run.flags_raised, run.summary)
    if run.status != NightlyRun.Status.DONE:
        alert_failed_night(run)
    return Outcome(day, run.status, run, dict(run.summary), run.error)


# ---------------------------------------------------------------- fan-out across workers

def fan_out_enabled() -> bool:
    """Whether the scheduled runs send their chunks to the workers (settings.NIGHTLY_FAN_OUT)."""
    return bool(getattr(settings, "NIGHTLY_FAN_OUT", False))


def _now_iso() -> str:
    return timezone.now().isoformat()


def _earlier_checks(run: NightlyRun) -> list[dict]:
    """The run log of the other attempts at the night of `run`, oldest first."""
    return list(NightlyRun.objects.filter(date=run.date).exclude(pk=run.pk).order_by("pk").values_list("checks", flat=True))


def _dispatch(run: NightlyRun, done_before: set[str], *, resume: bool) -> Outcome:
    """Record a queued entry per chunk of each chunked check still to do and send one task per chunk.

    One task covers a chunk of employees for every chunked check (a chunk an earlier attempt
    finished for a check is left out of that check). With nothing to send, the night finishes here.
    """
    from . import outbox

    day = run.date
    chunked = [name for name, check in registries.nightly_checks.items() if name not in done_before and is_chunked(check)]
    earlier = _earlier_checks(run) if resume else []
    done = {name: _done_ranges(earlier, name) for name in chunked}
    employed, now = _employed(day), _now_iso()
    sends: list[list[int]] = []
    with transaction.atomic():
        run = NightlyRun.objects.select_for_update().get(pk=run.pk)
        for employee_ids in _split(employed, chunk_size()):
            key = _chunk_key(employee_ids)
            for name in chunked:
                todo = _not_done(employee_ids, done[name])
                if not todo:
                    continue
                result = run.checks.setdefault(name, {"status": "running", "started": now, "chunks": {}})
                result["chunks"][key] = {"first": employee_ids[0], "last": employee_ids[-1], "employees": len(todo),
                                         "status": "queued", "queued": now, "attempts": 0}
            if any(key in run.checks.get(name, {}).get("chunks", {}) for name in chunked):
                sends.append(employee_ids)
        run.holder = FAN_OUT_PREFIX + holder_name()
        run.save(update_fields=["checks", "holder"])
        outbox.add_tasks("opsdept.tasks.run_nightly_chunk",
                         [(run.pk, _chunk_key(employee_ids), employee_ids, resume) for employee_ids in sends])
    if not sends:
        return finish_fan_out(run.pk, resume=resume)
    log.info("nightly checks for %s: %d chunk(s) sent to the workers", day, len(sends))
    return Outcome(day, NightlyRun.Status.RUNNING, run, message=_("%(count)d chunk(s) sent to the workers.")
                   % {"count": len(sends)})


def _settle_check(run: NightlyRun, name: str) -> None:
    """A chunked check of a fan-out attempt: done when all its chunks are, failed when one failed for good."""
    result = run.checks[name]
    chunks = result.get("chunks", {}).values()
    if any(chunk.get("status") in CHUNK_PENDING for chunk in chunks):
        return
    errors = [f"{name} [{key}]: {chunk.get('error', '')}" for key, chunk in result["chunks"].items()
              if chunk.get("status") == "failed"]
    flags = sum(int(chunk.get("flags", 0)) for chunk in chunks if chunk.get("status") == "done")
    result.update({"status": "failed" if errors else "done", "flags": flags, "finished": _now_iso()})
    findings = sum(int(chunk.get("findings", 0)) for chunk in chunks)
    if findings:
        result["findings"] = findings
    if errors:
        result["error"] = errors[0]
    run.summary[name] = flags


def run_chunk(run_id: int, key: str, employee_ids: list[int], *, resume: bool = True) -> str:
    """Run one chunk of a fan-out attempt (a task): every chunked check whose entry `key` is queued.

    Returns "stale" when the attempt is no longer running (settled by a rival, already finished),
    "retry" when a check failed and the chunk was sent again alone, else the outcome of the night
    when this chunk was the last, or "recorded".
    """
    from . import outbox

    with transaction.atomic():
        run = NightlyRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != NightlyRun.Status.RUNNING or not run.holder.startswith(FAN_OUT_PREFIX):
            return "stale"
        # "running" too: a worker killed mid-chunk gives its task back to the queue (acks_late).
        names = [name for name, result in run.checks.items()
                 if result.get("chunks", {}).get(key, {}).get("status") in CHUNK_PENDING]
        for name in names:
            entry = run.checks[name]["chunks"][key]
            entry.update({"status": "running", "started": _now_iso(), "holder": holder_name(),
                          "attempts": int(entry.get("attempts", 0)) + 1})
        run.save(update_fields=["checks"])
    if not names:
        return "recorded"
    checks = registered()
    earlier = _earlier_checks(run)
    fingerprints = _Fingerprints(run.date, [(name, checks[name]) for name in names])
    outcomes: dict[str, dict] = {}
    for name in names:
        try:
            todo = _not_done(employee_ids, _done_ranges(earlier, name)) if resume else employee_ids
            fingerprint = fingerprints.of(name, todo)
            outcome = None if resume else _unchanged(_latest_chunks(earlier, name).get(key), fingerprint)
            if outcome is None:
                raised, found = _run_one(checks[name], run.date, todo)
                outcome = {"status": "done", "flags": raised, **({"findings": int(found)} if found is not None else {})}
            outcomes[name] = {**outcome, **({"facts": fingerprint} if fingerprint is not None else {})}
        except Exception as error:  # noqa: BLE001 — recorded on the chunk; the chunk is sent again alone
            log.exception("nightly check %s failed for %s (employees %s)", name, run.date, key)
            outcomes[name] = {"status": "failed", "error": _error_text(error)}
    retry = False
    with transaction.atomic():
        run = NightlyRun.objects.select_for_update().get(pk=run_id)
        if run.status != NightlyRun.Status.RUNNING or not run.holder.startswith(FAN_OUT_PREFIX):
            return "stale"
        for name, outcome in outcomes.items():
            entry = run.checks[name]["chunks"][key]
            entry.update({**outcome, "finished": _now_iso()})
            if outcome["status"] == "failed" and entry["attempts"] <= CHUNK_RETRIES:
                entry.update({"status": "queued", "queued": _now_iso()})
                retry = True
            _settle_check(run, name)
        run.save(update_fields=["checks", "summary"])
        if retry:
            outbox.add_task("opsdept.tasks.run_nightly_chunk", run_id, key, employee_ids, resume)
            return "retry"
        pending = any(chunk.get("status") in CHUNK_PENDING for result in run.checks.values()
                      for chunk in result.get("chunks", {}).values())
    if pending:
        return "recorded"
    return finish_fan_out(run_id, resume=resume).state


def finish_fan_out(run_id: int, *, resume: bool = True) -> Outcome:
    """After the last chunk: under the date lock, run the whole-department checks and settle the attempt."""
    run = NightlyRun.objects.get(pk=run_id)
    with date_lock(run.date) as acquired:
        if not acquired:  # a rival holds the night for a moment: the catch-up finishes this one later
            return Outcome(run.date, "held", run)
        with transaction.atomic():
            run = NightlyRun.objects.select_for_update().get(pk=run_id)
            if run.status != NightlyRun.Status.RUNNING or not run.holder.startswith(FAN_OUT_PREFIX):
                return Outcome(run.date, "stale", run)
            run.holder = holder_name()
            run.save(update_fields=["holder"])
        done_before = _checks_done(list(NightlyRun.objects.filter(date=run.date).exclude(pk=run.pk))) if resume else set()
        chunked = frozenset(name for name, result in run.checks.items() if "chunks" in result)
        return _run_checks(run, done_before - chunked, resume=resume, skip=chunked)


def run_for_date(day: date, *, trigger: str = "manual", force: bool = True) -> dict[str, int]:
    """Run (by default: rerun) every registered check for `day`; return {check name: flags raised}."""
    outcome = run_night(day, trigger=trigger, force=force)
    if outcome.state in (NightlyRun.Status.FAILED, NightlyRun.Status.PARTIAL):
        raise NightlyError(_("The nightly checks for %(date)s failed: %(error)s")
                           % {"date": day.isoformat(), "error": outcome.message})
    return outcome.summary


def catch_up(*, now: datetime | None = None, trigger: str = "catch-up", fan_out: bool = False) -> dict[str, Outcome]:
    """Run every night that is due and not done, oldest first; a failing date is recorded and the next one runs.

    With `fan_out` each night's chunks go to the workers and this returns once they are sent.
    """
    outcomes: dict[str, Outcome] = {}
    for day in dates_to_catch_up(now=now):
        try:
            outcomes[day.isoformat()] = run_night(day, trigger=trigger, fan_out=fan_out)
        except Exception as error:  # noqa: BLE001 — the catch-up goes on with the next date
            log.exception("nightly run for %s failed", day)
            outcomes[day.isoformat()] = Outcome(day, NightlyRun.Status.FAILED, message=str(error))
    return outcomes


# ---------------------------------------------------------------- telling HR

def _department_text(text: object) -> str:
    """Stored or mailed text in the department's language, whoever runs the night."""
    with department_language():
        return str(text)


def alert_hr_once(key: str, subject: "Message", body: "Message", url: str = "") -> bool:
    """Notify every active HR employee about `key` unless they already were; return whether it was sent now."""
    from .notify import notify

    with transaction.atomic():
        try:
            with transaction.atomic():
                AlertSent.objects.create(key=key[:100])
        except IntegrityError:
            return False
        for employee in Employee.objects.filter(role=Employee.Role.HR, is_active=True):
            notify(employee, subject=subject, body=body, url=url)
    return True


def _runs_url() -> str:
    return reverse("nightly_runs")


def alert_failed_night(run: NightlyRun) -> bool:
    with department_language():
        subject = Message(gettext_lazy("The nightly checks for %(date)s did not finish"), **{"date": run.date.isoformat()})
        body = Message(gettext_lazy("Status: %(status)s. %(error)s"), **{"status": run.get_status_display, "error": run.error})
    return alert_hr_once(f"night-failed:{run.date.isoformat()}", subject, body, _runs_url())


def alert_waiting_for_calendar(day: date) -> bool:
    with department_language():
        subject = Message(gettext_lazy("The nightly checks for %(date)s wait for the %(year)s holidays"), **{
            "date": day.isoformat(), "year": day.year})
        body = Message(gettext_lazy("The official holiday schedule for %(year)s is not known. Enter its holidays and make-up "
                 "workdays on the work calendar, then confirm the year: the held nights run at once."), **{"year": day.year})
    return alert_hr_once(f"night-waiting:{day.isoformat()}", subject, body,
                         f"{reverse('calendar')}?month={day:%Y-%m}")


def warn_unknown_calendar(today: date | None = None) -> date | None:
    """Tell HR once when a date within the next 60 days falls in a year nobody has confirmed; return that date."""
    today = today or timezone.localdate()
    for info in workcalendar.days_between(today, today + timedelta(days=CALENDAR_WARNING_DAYS)):
        if info.source == workcalendar.Source.FALLBACK:
            with department_language():
                subject = Message(gettext_lazy("Enter the %(year)s holidays: the calendar does not know them"), **{"year": info.date.year})
                body = Message(gettext_lazy("From %(date)s the official holiday schedule is not known. Until HR enters the %(year)s "
                         "holidays and make-up workdays and confirms the year, those nights' checks wait."), **{
                    "date": info.date.isoformat(), "year": info.date.year})
            alert_hr_once(f"calendar-ahead:{info.date.year}", subject, body,
                          f"{reverse('calendar')}?month={info.date:%Y-%m}")
            return info.date
    return None


def warn_overdue_night(now: datetime | None = None) -> date | None:
    """At 06:00: if last night is not done, tell HR (once); return the date when it is not."""
    night = last_due_night(now)
    if night in done_dates(night, night):
        return None
    latest = NightlyRun.objects.filter(date=night).order_by("-id").first()
    with department_language():
        subject = Message(gettext_lazy("The nightly checks for %(date)s are not done"), **{"date": night.isoformat()})
        body = Message(gettext_lazy("By %(time)s the night of %(date)s was not done (status: %(status)s)."), **{
            "time": NIGHT_DUE.strftime("%H:%M"), "date": night.isoformat(),
            "status": latest.get_status_display if latest else NightlyRun.Status.PENDING.label})
    alert_hr_once(f"night-overdue:{night.isoformat()}", subject, body, _runs_url())
    return night
