"""Benchmarks of the web side (issue 16): pages, the export and clock-in under load, on a generated department.

Prints each figure beside its target and the machine; never fails on time. `make bench` runs it on
PostgreSQL at 1,000 and 10,000 employees; `BENCH_SCALE=small` (the smoke run in `make test`,
tests/test_bench_web_smoke.py) runs every part at a few dozen people.

- pages of the manager and HR at 1,000 and 10,000: p95, HTML size, queries (equal at both sizes)
- a supervisor of 50 at the large size: p95
- for both, the forms that choose people (the employee picker) and the picker's search
- the monthly export at the large size, CSV and XLSX, in a child process: time and peak RSS
- clock-in under 50 concurrent clients against gunicorn, beside a bare authenticated page in the same run
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone
import os
from pathlib import Path
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time as clock
from unittest import mock

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.utils import timezone
import pytest

from attendance.models import MonthClose, MonthConfirmation
from attendance.services import refresh_attendance_days
from opsdept.models import Employee
from tests.bench.generator import generate, machine, scale, sizes, target_line

ROOT = Path(__file__).resolve().parents[2]
MONTH = "2026-10"

# (label, url): the home page (the chapters' dashboard cards) and every whole-department page (the generator's
# night is 2026-10-30). The supervisor of 50 sees the first four (SUPERVISOR_PAGES).
DEPARTMENT_PAGES = [
    ("home", "/"),
    ("team today", "/attendance/team/today/"),
    ("team month", f"/attendance/team/month/?month={MONTH}"),
    ("team reports", "/worklog/team/reports/?date=2026-10-30"),
    ("attendance approvals", "/attendance/approvals/"),
    ("leave to approve", "/leave/pending/"),
    ("who is away", f"/leave/calendar/?month={MONTH}"),
    ("people", "/people/"),
    ("year-end summary", "/discipline/year-end/?year=2026"),
    ("month confirmation", f"/attendance/confirmations/?month={MONTH}"),
]
SUPERVISOR_PAGES = DEPARTMENT_PAGES[:4]
HR_PAGES = [("annual-leave balances", "/leave/balances/?year=2026")]
# The forms that choose people (opsdept/pickers.py: a search box past 50 people) and the picker's search, many
# matches and none (no match reads every employee the viewer may choose). A viewer who may not use one is skipped.
PICKER_PAGES = [
    ("record form (picker)", "/discipline/records/new/"),
    ("meeting form (picker)", "/meetings/new/"),
    ("task form (picker)", "/worklog/tasks/new/"),
    ("emergency leave form (picker)", "/leave/emergency/new/"),
    ("picker search, 20+ matches", "/people/pick/discipline-record/?field=employee&id=id_employee&employee=员工1"),
    ("picker search, no match", "/people/pick/discipline-record/?field=employee&id=id_employee&employee=张三"),
]


@dataclass
class PageFigure:
    p95_ms: float
    kilobytes: float
    queries: int


def measure_page(client: Client, url: str, runs: int) -> PageFigure | None:
    """None when the viewer may not see the page (HR decides nothing, for instance)."""
    if client.get(url).status_code == 403:  # the first visit also warms settings rows and template caches
        return None
    # Counted as they run: a CaptureQueriesContext's length reads the connection's query log when asked, and
    # the timed requests below clear that log (request_started → reset_queries), so it printed "0→0".
    executed = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: executed.append(sql) or
                                    execute(sql, params, many, context)):
        response = client.get(url)
    assert response.status_code == 200, url
    times = []
    for _ in range(runs):
        started = clock.perf_counter()
        client.get(url)
        times.append((clock.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return PageFigure(p95, len(response.content) / 1024, len(executed))


def client_for(employee: Employee) -> Client:
    client = Client()
    client.force_login(employee.user)
    return client


def open_month(hr: Employee) -> None:
    """October open for confirmation, everyone asked (what confirmation.open_confirmation writes, in bulk)."""
    close, _made = MonthClose.objects.get_or_create(month=date(2026, 10, 1), defaults={"opened_by": hr})
    asked = close.confirmations.values("employee_id")
    MonthConfirmation.objects.bulk_create([MonthConfirmation(close=close, employee_id=pk) for pk in
                                           Employee.objects.exclude(pk__in=asked).values_list("pk", flat=True)],
                                          batch_size=5000)


def in_service(night: date) -> None:
    """The days the nights stored up to `night` (what the charts and the export read), as in a department in
    service: without them the team month's charts and the home page's punctuality card read nothing."""
    with mock.patch("django.utils.timezone.localdate", return_value=night + timedelta(days=1)):
        refresh_attendance_days(employee_ids=None, start=night.replace(day=1) - timedelta(days=40), end=night)


def measure_pages(viewers: dict[str, Employee], night, runs: int) -> dict[tuple[str, str], PageFigure]:
    figures = {}
    with mock.patch("django.utils.timezone.localdate", return_value=night):  # "today" is the generated night
        for role, employee in viewers.items():
            client = client_for(employee)
            pages = DEPARTMENT_PAGES + (HR_PAGES if role == "HR" else []) + PICKER_PAGES
            if role == "supervisor of 50":
                pages = SUPERVISOR_PAGES + PICKER_PAGES
            for label, url in pages:
                figure = measure_page(client, url, runs)
                if figure is not None:
                    figures[(role, label)] = figure
    return figures


# ---------------------------------------------------------------- export in a child process

# The child's own peak: Linux keeps the highest RSS of the process image an exec replaced in ru_maxrss, and
# subprocess forks (vforks) this pytest process, which holds the generated department: ru_maxrss printed this
# process's peak (349 MB at 10,000) whatever the export used. VmHWM is the peak of the child's own memory.
EXPORT_SCRIPT = """
import os, re, resource, sys, time
import django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("export_attendance", month=sys.argv[1], format=sys.argv[2], output=sys.argv[3], stdout=open(os.devnull, "w"))
seconds = time.perf_counter() - started
try:
    peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) / 1024
except (OSError, AttributeError):  # not Linux: ru_maxrss, an upper bound
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.3f} {peak:.0f}")
"""


def child_env() -> dict[str, str]:
    """The environment of a child process that sees this test's (committed) database."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="opsdept.settings", PYTHONPATH=str(ROOT))
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    return env


def measure_export(fmt: str) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / f"export.{fmt}"
        done = subprocess.run([sys.executable, "-c", EXPORT_SCRIPT, MONTH, fmt, str(output)], env=child_env(), cwd=ROOT,
                              capture_output=True, text=True, check=True)
        seconds, rss = done.stdout.split()[-2:]
        return float(seconds), float(rss), output.stat().st_size


# ---------------------------------------------------------------- clock-in under load (gunicorn)

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wall_clock() -> datetime:
    return datetime.fromtimestamp(clock.time(), tz=dt_timezone.utc)


def clock_skew_seconds() -> float:
    """How far this process's timezone.now() is from the wall clock (0 unless a test left it patched)."""
    return (timezone.now() - wall_clock()).total_seconds()


def session_cookie(employee: Employee) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(employee.user_id)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = employee.user.get_session_auth_hash()
    session["_touched"] = int(clock.time())
    # The expiry from the wall clock, which the server's own clock checks, not from this process's timezone.now():
    # a test that left timezone.now patched (tests/security/test_races.py once did, see frozen_clock_left_behind)
    # made every session expire in the past, and the server answered 302 to the login page.
    session.set_expiry(wall_clock() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
    session.create()
    return session.session_key


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "opsdept.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--no-control-socket", "--log-level", "warning"],
        env=dict(child_env(), DEBUG="false", ALLOWED_HOSTS="127.0.0.1"), cwd=ROOT, start_new_session=True)
    import httpx

    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return process
        except httpx.HTTPError:
            clock.sleep(0.1)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def load(port: int, people: list[Employee], seconds: float) -> dict[str, list[float] | int]:
    """Each of len(people) clients alternates a clock-in (POST, htmx) and a bare authenticated page."""
    import httpx

    base = f"http://127.0.0.1:{port}"
    results: dict = {"punch": [], "bare": [], "errors": 0, "requests": 0, "first_error": "", "first_key": ""}
    lock = threading.Lock()
    cookies = [session_cookie(person) for person in people]
    stop_at = clock.perf_counter() + seconds

    def run(session_key: str) -> None:
        with httpx.Client(base_url=base, cookies={settings.SESSION_COOKIE_NAME: session_key}, timeout=30) as http:
            first = http.get("/attendance/")
            token = http.cookies.get(settings.CSRF_COOKIE_NAME, "")
            if first.status_code != 200 or not token:
                with lock:
                    results["first_key"] = results["first_key"] or session_key
                    results["first_error"] = results["first_error"] or (
                        f"GET /attendance/ answered {first.status_code} {first.headers.get('location', '')}"
                        f" (CSRF cookie {'set' if token else 'missing'})")
            while clock.perf_counter() < stop_at:
                for kind in ("punch", "bare"):
                    started = clock.perf_counter()
                    try:
                        if kind == "punch":
                            response = http.post("/attendance/", headers={"X-CSRFToken": token, "HX-Request": "true",
                                                                                "Referer": base + "/attendance/"})
                        else:
                            response = http.get("/accounts/password/done/")
                        failed = response.status_code != 200
                        detail = f"{kind} answered {response.status_code} {response.text[:200]!r}"
                    except httpx.HTTPError as error:
                        failed, detail = True, f"{kind} raised {error!r}"
                    elapsed = (clock.perf_counter() - started) * 1000
                    with lock:
                        results["requests"] += 1
                        if failed:
                            results["errors"] += 1
                            results["first_key"] = results["first_key"] or session_key
                            results["first_error"] = results["first_error"] or detail
                        else:
                            results[kind].append(elapsed)

    with ThreadPoolExecutor(len(cookies)) as pool:
        list(pool.map(run, cookies))
    return results


SESSION_PROBE = """
import sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
row = Session.objects.filter(session_key=sys.argv[1]).first()
data = SessionStore(sys.argv[1]).load()
user = get_user_model().objects.filter(pk=data.get('_auth_user_id')).first()
parts = [f"database {connection.settings_dict['NAME']}", 'row ' + ('found' if row else 'missing')]
if row:
    parts.append(f'expires {row.expire_date:%Y-%m-%d %H:%M:%S} (now {timezone.now():%Y-%m-%d %H:%M:%S})')
parts.append(f'decoded keys {sorted(data)}')
parts.append('user ' + ('found' if user else 'missing'))
if user:
    parts.append(f"active {user.is_active}, hash matches {user.get_session_auth_hash() == data.get('_auth_user_hash')}")
parts.append(f'SECRET_KEY {settings.SECRET_KEY[:16]}...')
print(', '.join(parts))
"""


def session_seen_by_server(session_key: str) -> str:
    """What a process started like the gunicorn child finds for a session this process made (diagnosis only)."""
    done = subprocess.run([sys.executable, "-c", SESSION_PROBE, session_key], cwd=ROOT, capture_output=True, text=True,
                          env=dict(child_env(), DEBUG="false", ALLOWED_HOSTS="127.0.0.1"))
    return (done.stdout or done.stderr).strip().splitlines()[-1] if (done.stdout or done.stderr).strip() else "?"


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


# ---------------------------------------------------------------- the benchmark

def run_web_benchmark(*, small: bool) -> list[str]:
    """Generate, measure and return the printed lines (the smoke test calls this at a small size)."""
    lines = [f"web benchmark on {machine()}"]
    first, second = (30, 60) if small else sizes(1000, 10000)
    runs = 3 if small else 20
    made = generate(first, prefix="a")
    viewers = {"manager": made.manager, "HR": made.hr}
    open_month(made.hr)
    in_service(made.night)
    at_first = measure_pages(viewers, made.night, runs)
    generate(second - first, prefix="b", seed=8, duty=False)  # the holiday roster exists once
    open_month(made.hr)
    in_service(made.night)
    at_second = measure_pages(viewers | {"supervisor of 50": made.supervisor}, made.night, runs)
    lines.append(f"pages ({first:,} → {second:,} employees; p95 of {runs} requests in-process)")
    for (role, label), figure in at_second.items():
        before = at_first.get((role, label))
        queries = f"queries {before.queries}→{figure.queries}" if before else f"queries {figure.queries}"
        target = "p95 ≤ 100 ms" if role == "supervisor of 50" else "p95 ≤ 300 ms, ≤ 200 KB, queries equal"
        lines.append(target_line(f"{role}: {label}", f"{figure.p95_ms:.0f} ms {figure.kilobytes:.0f} KB", target)
                     + f"   ({queries})")
    for fmt, target in (("csv", "CSV ≤ 3 s, RSS ≤ 300 MB"), ("xlsx", "XLSX ≤ 5 s, RSS ≤ 300 MB")):
        seconds, rss, size = measure_export(fmt)
        lines.append(target_line(f"export {MONTH}, {second:,} employees, {fmt.upper()} ({size / 1e6:.1f} MB)",
                                 f"{seconds:.2f} s {rss:.0f} MB", target))
    clients = 5 if small else 50
    staff = list(Employee.objects.filter(role=Employee.Role.STAFF, is_active=True).select_related("user")
                 .order_by("pk")[:clients])
    port = free_port()
    server = start_gunicorn(port, workers=2 if small else (os.cpu_count() or 2) * 2 + 1)
    try:
        results = load(port, staff, 2 if small else 30)
    finally:
        stop(server)
    punch = statistics.median(results["punch"]) if results["punch"] else float("nan")
    bare = statistics.median(results["bare"]) if results["bare"] else float("nan")
    lines.append(target_line(f"clock-in p50 under {clients} clients (gunicorn), bare page p50 {bare:.1f} ms",
                             f"{punch:.1f} ms {punch / bare:.2f}×", "≤ 1.2 × bare, 0 errors")
                 + f"   ({results['errors']} errors in {results['requests']:,} requests)")
    skew = clock_skew_seconds()
    if abs(skew) > 60:
        lines.append(f"  note: timezone.now() in this process is {skew:+.0f} s off the wall clock "
                     f"({timezone.now():%Y-%m-%d %H:%M:%S} UTC): a test left it patched")
    if results["first_error"]:
        db = connection.settings_dict
        lines.append(f"  first error: {results['first_error']} (this process: database {db['NAME']}, "
                     f"in a transaction {connection.in_atomic_block}, autocommit {connection.get_autocommit()}; "
                     f"the server's: {child_env()['DATABASE_URL'].rsplit('/', 1)[-1]}; SECRET_KEY here "
                     f"{settings.SECRET_KEY[:16]}...; timezone.now() here {timezone.now():%Y-%m-%d %H:%M:%S} "
                     f"({getattr(timezone.now, '__module__', '?')}.{getattr(timezone.now, '__qualname__', '?')}), "
                     f"SESSION_COOKIE_AGE {settings.SESSION_COOKIE_AGE})")
        lines.append(f"  a process started like the server finds its session: {session_seen_by_server(results['first_key'])}")
    return lines


@pytest.mark.django_db(transaction=True)
def test_web_at_scale():
    lines = run_web_benchmark(small=scale() == "small")
    print("\n" + "\n".join(lines))
