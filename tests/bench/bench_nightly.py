"""The nightly checks at group scale (issue 16): a normal night and the worst night (nobody punched
or reported) at 1,000 and 10,000 employees, and a rerun of a finished night at 10,000.

Each figure is printed beside its target with the machine; nothing here fails on time. The
department comes from `tests.bench.generator` (seeded). Run by `make bench` (PostgreSQL);
`tests/test_bench_nightly.py` runs the same measurements at 20 employees in `make test`.

The night runs in-process, as the embedded worker runs it: the mails to flagged employees go
after the commit, which a benchmark inside a test transaction never reaches, so they are not in
the figures (they are the mail backend's cost, not the checks').
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
import time

import pytest
from django.db import connection

from discipline.models import Flag
from opsdept import nightly
from opsdept.models import NightlyRun
from tests.bench.generator import generate, machine, sizes, target_line

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


def run_night(day) -> tuple[float, int, str, int]:
    before = Flag.objects.filter(date=day).count()
    with counted() as count:
        started = time.perf_counter()
        outcome = nightly.run_night(day, trigger="bench", force=True)
        seconds = time.perf_counter() - started
    return seconds, count[0], outcome.state, Flag.objects.filter(date=day).count() - before


def measure_night(employees: int, *, worst: bool, rerun: bool = False, prefix: str = "gen") -> tuple[Measured, Measured | None]:
    """Generate a department of `employees`, run its night once (and, with `rerun`, again)."""
    made = generate(employees, prefix=prefix, night_punch_rate=0.0 if worst else None,
                    night_report_rate=0.0 if worst else None)
    seconds, queries, state, flags = run_night(made.night)
    first = Measured(employees, seconds, queries, flags, state)
    second = None
    if rerun:
        seconds, queries, state, flags = run_night(made.night)
        second = Measured(employees, seconds, queries, flags, state)
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
    measured, rerun = measure_night(employees, worst=kind == "worst", rerun=employees == largest)
    print(_line(kind, measured), flush=True)
    if rerun is not None:
        print(_line("rerun", rerun), flush=True)
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
    if kind == "worst" and employees == largest:
        print(target_line("nightly, 100,000 employees, one vs two worker processes", "not measured",
                          "≤ 60 s, faster with two"))
