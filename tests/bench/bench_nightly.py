"""The nightly checks at group scale (issue 16): a normal night and the worst night (nobody punched
or reported) at 1,000 and 10,000 employees, a rerun of a finished night at 10,000, and a normal
night of 100,000 fanned out to one and then two worker processes (`NIGHTLY_FAN_OUT`).

Each figure is printed beside its target with the machine; nothing here fails on time. The
department comes from `tests.bench.generator` (seeded). Run by `make bench` (PostgreSQL);
`tests/test_bench_nightly.py` runs the same measurements at 20 employees in `make test`.

Except in the fan-out benchmark (real `celery worker` processes on a private Redis, committed
data), the night runs in-process, as the embedded worker runs it: the mails to flagged employees go
after the commit, which a benchmark inside a test transaction never reaches, so they are not in
the figures (they are the mail backend's cost, not the checks').
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
import os
import time

import pytest
from django.db import connection

from discipline.models import Flag
from opsdept import nightly
from opsdept.models import NightlyRun
from tests.bench.generator import generate, load_average, machine, sizes, target_line

# The targets (PostgreSQL on this 2-core machine).
TARGETS = {
    ("normal", 10_000): "≤ 4 s; queries constant",
    ("worst", 10_000): "≤ 10 s; 10k/1k ratio ≤ 11",
    ("rerun", 10_000): "≤ 1 s",
}


@dataclass
class Measured:
    employees: int
    seconds: float
    queries: int
    flags: int          # raised by this run
    state: str


@contextmanager
def counted():
    """Count every query (CaptureQueriesContext keeps only 9,000)."""
    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def run_night(day, *, force: bool = True) -> tuple[float, int, str, int]:
    before = Flag.objects.filter(date=day).count()
    with counted() as count:
        started = time.perf_counter()
        outcome = nightly.run_night(day, trigger="bench", force=force)
        seconds = time.perf_counter() - started
    return seconds, count[0], outcome.state, Flag.objects.filter(date=day).count() - before


def measure_night(employees: int, *, worst: bool, rerun: bool = False, prefix: str = "gen",
                  scheduled_rerun: list | None = None) -> tuple[Measured, Measured | None]:
    """Generate a department of `employees`, run its night once (and, with `rerun`, again: an operator's
    forced rerun, every check recomputed). `scheduled_rerun`, a list, receives the scheduled run of the
    finished night too (the catch-up: it finds the night done and leaves it)."""
    made = generate(employees, prefix=prefix, night_punch_rate=0.0 if worst else None,
                    night_report_rate=0.0 if worst else None)
    seconds, queries, state, flags = run_night(made.night)
    first = Measured(employees, seconds, queries, flags, state)
    second = None
    if rerun:
        seconds, queries, state, flags = run_night(made.night)
        second = Measured(employees, seconds, queries, flags, state)
    if scheduled_rerun is not None:
        seconds, queries, state, flags = run_night(made.night, force=False)
        scheduled_rerun.append(Measured(employees, seconds, queries, flags, state))
    return first, second


def _line(kind: str, measured: Measured) -> str:
    target = TARGETS.get((kind, measured.employees), "—")
    value = f"{measured.seconds:.2f} s"
    label = f"nightly, {measured.employees:,} employees, {kind} night ({measured.queries:,} queries, {measured.flags:,} flags)"
    return target_line(label, value, target)


# {kind: {employees: Measured}} across the parametrized runs (each size in its own rolled-back test).
RESULTS: dict[str, dict[int, Measured]] = {}


@pytest.mark.django_db
@pytest.mark.parametrize("employees", sizes(1_000, 10_000))
@pytest.mark.parametrize("kind", ["normal", "worst"])
def test_nightly_checks_at_scale(kind, employees):
    largest = max(sizes(1_000, 10_000))
    print(f"\nnightly checks, {kind} night, {employees:,} employees — {machine()} "
          "(shared with other sessions: figures are noisy)")
    scheduled: list[Measured] = []
    measured, rerun = measure_night(employees, worst=kind == "worst", rerun=employees == largest,
                                    scheduled_rerun=scheduled if employees == largest else None)
    print(_line(kind, measured), flush=True)
    if rerun is not None:
        print(_line("rerun", rerun).replace("rerun night", "forced rerun"), flush=True)
    for again in scheduled:
        print(_line("rerun", again).replace("rerun night", "scheduled rerun (done)"), flush=True)
        assert again.state == "already-done"
    assert measured.state == NightlyRun.Status.DONE
    assert rerun is None or rerun.flags == 0
    RESULTS.setdefault(kind, {})[employees] = measured
    runs = RESULTS[kind]
    if employees == largest and len(runs) > 1:
        small, large = runs[min(runs)], runs[largest]
        print(target_line(f"{kind} night {largest:,}/{min(runs):,} time ratio", f"{large.seconds / small.seconds:.1f}",
                          "≤ 11" if kind == "worst" else "—"))
        print(target_line(f"{kind} night queries at {min(runs):,} and at {largest:,}", f"{small.queries} / {large.queries}",
                          "equal"))


# ---------------------------------------------------------------- fan-out across worker processes

def _wait_done(day, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not NightlyRun.objects.filter(date=day, status=NightlyRun.Status.DONE).exists():
        failed = NightlyRun.objects.filter(date=day, status__in=[NightlyRun.Status.FAILED, NightlyRun.Status.PARTIAL]).first()
        if failed is not None:
            raise AssertionError(f"the night of {day} ended {failed.status}: {failed.error}")
        if time.monotonic() > deadline:
            raise AssertionError(f"the night of {day} was not done within {timeout:.0f} s")
        time.sleep(0.1)


def timeline(day) -> str:
    """Where a fanned-out night's time went, from its run log: sending the chunks, the wait before the first
    one started, the chunks' own time (summed, and the longest), the last one finished → the night done."""
    run = NightlyRun.objects.get(date=day, status=NightlyRun.Status.DONE)
    entries: dict[str, dict] = {}
    for result in run.checks.values():
        for key, chunk in result.get("chunks", {}).items():
            entries[key] = chunk            # one task runs every chunked check of its key: the same moments
    if not entries:
        return "no chunks"
    moment = datetime.fromisoformat
    started = [moment(chunk["started"]) for chunk in entries.values()]
    finished = [moment(chunk["finished"]) for chunk in entries.values()]
    queued = min(moment(chunk["queued"]) for chunk in entries.values())
    work = [(end - start).total_seconds() for start, end in zip(started, finished)]
    return (f"{len(entries)} chunks: sent {(queued - run.started_at).total_seconds():.1f} s after the claim, "
            f"first started {(min(started) - queued).total_seconds():.1f} s after, chunk work {sum(work):.1f} s "
            f"(longest {max(work):.1f} s), last chunk → done {(run.finished_at - max(finished)).total_seconds():.1f} s")


def measure_fan_out(employees: int, worker_counts: tuple[int, ...], folder, *, timeout: float = 3600) -> dict[int, float]:
    """Generate `employees` (committed), then run one normal night per entry of `worker_counts` with that many
    worker processes (`--pool=solo` each, like separate machines) taking its chunks; return {workers: seconds}.

    Each count gets its own night (the latest workdays of the generated history, oldest first), so each
    measures a first run: attendance days and flags written, not a rerun. The time runs from sending the
    night to the workers until its run is done (the workers are started and ready before).
    """
    from tests.opsdept.test_nightly_worker import RedisServer, Workers

    generating = time.perf_counter()
    made = generate(employees, prefix="fan")
    print(f"  generated {made.describe()} in {time.perf_counter() - generating:.0f} s", flush=True)
    nights = made.workdays[-len(worker_counts):]
    chunk = 2000 if employees >= 20_000 else max(2, employees // 8)
    server = RedisServer(folder)
    server.start()
    seconds: dict[int, float] = {}
    try:
        for count, night in zip(worker_counts, nights):
            (folder / f"workers-{count}").mkdir()
            group = Workers(server.url, folder / f"workers-{count}")
            group.queue = "celery"   # the chunks go through the outbox to the default queue of this private Redis
            try:
                for index in range(count):
                    group.start(f"bench{index}", env={"NIGHTLY_FAN_OUT": "1", "NIGHTLY_CHUNK_SIZE": str(chunk)})
                group.release_probes()
                started = time.perf_counter()
                group.send("opsdept.tasks.run_nightly_checks_for", night.isoformat())
                _wait_done(night, timeout)
                seconds[count] = time.perf_counter() - started
                print(f"  {count} worker(s), night of {night}: {timeline(night)}; load average {load_average()}", flush=True)
            finally:
                group.stop()
    finally:
        server.stop()
    return seconds


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_nightly_fan_out_on_one_and_two_workers(tmp_path, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    # BENCH_FAN_OUT_EMPLOYEES measures another size (generating 100,000 takes a while on a busy machine).
    (employees,) = sizes(int(os.environ.get("BENCH_FAN_OUT_EMPLOYEES", "100000")))
    print(f"\nnightly checks fanned out, {employees:,} employees — {machine()} "
          "(shared with other sessions: figures are noisy)")
    seconds = measure_fan_out(employees, (1, 2), tmp_path)
    for count, value in seconds.items():
        print(target_line(f"nightly, {employees:,} employees, {count} worker process{'es' if count > 1 else ''}",
                          f"{value:.2f} s", "≤ 60 s" if count == 2 else "—"), flush=True)
    print(target_line("two workers faster than one", f"{seconds[1] / seconds[2]:.2f}×", "> 1×"), flush=True)
