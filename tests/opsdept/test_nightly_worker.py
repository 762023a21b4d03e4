"""The night with real Celery workers and a real Redis that the tests start, stop and freeze (issue 15).

Each test starts its own redis-server on a free port (CI installs Debian's redis-server; on a
machine without it these tests skip, never under CI=true) and real worker processes pointed
at the test database (PostgreSQL in CI, the SQLite test file locally). A check registered for
the test (tests/opsdept/nightly_probe.py) blocks until the test signals it, so a worker can be
killed mid-run or a rival started while the night is held. No timing assertions: every wait
polls with a generous timeout.
"""

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest
from celery import Celery
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

from attendance.models import AttendanceDay
from discipline.models import Flag
from opsdept.models import NightlyRun, OutboxMessage
from tests.conftest import IN_CI
from tests.opsdept.test_celery_worker import ROOT, worker_database_url
from tests.opsdept.test_outbox import add_robot, employee_with_mail, public_criticism, robot, web_broker  # noqa: F401

pytestmark = pytest.mark.worker

NEW_DATE = date(2026, 11, 2)   # a Monday no test has checked: its attendance days do not exist yet
PATIENCE = 120                 # seconds to wait for anything a worker does


def wait_for(condition: Callable[[], object], what: str, timeout: float = PATIENCE) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway redis-server: start, stop, freeze (SIGSTOP) and thaw."""

    def __init__(self, folder: Path) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1, socket_connect_timeout=1)
        wait_for(lambda: self._ping(client), "redis-server to answer")

    @staticmethod
    def _ping(client) -> bool:
        try:
            return bool(client.ping())
        except Exception:  # noqa: BLE001
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def freeze(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server(tmp_path, monkeypatch) -> Iterator[RedisServer]:
    # Celery reads CELERY_BROKER_URL from the environment before any configured broker (CI sets it to the
    # shared Redis): without this, the test's senders would talk to that Redis instead of this one.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    if shutil.which("redis-server") is None:
        if IN_CI:
            raise RuntimeError("CI needs Debian's redis-server (.ci/run installs it).")
        pytest.skip("redis-server is not installed on this machine (CI installs it)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Workers:
    """Real `celery worker` processes on one queue of the test's Redis, with the probe check loaded."""

    def __init__(self, broker: str, folder: Path) -> None:
        self.broker = broker
        self.folder = folder
        self.queue = f"opsdept-night-{uuid.uuid4().hex[:8]}"
        self.processes: dict[str, subprocess.Popen] = {}
        # Not the current app: shared tasks sent later in the session must keep using opsdept's own.
        self.client = Celery("opsdept-test-client", broker=broker, set_as_current=False)
        self.client.conf.broker_transport_options = settings.REDIS_TRANSPORT_OPTIONS
        self.client.conf.task_publish_retry_policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
        (folder / "probe").mkdir()

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def start(self, name: str, *, pool: str = "solo", wait: bool = True, env: dict[str, str] | None = None,
              include: tuple[str, ...] = ()) -> subprocess.Popen:
        """Start a worker in its own process group (so a test can kill it whole: main process and pool)."""
        env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": self.broker,
               "NIGHTLY_PROBE_DIR": str(self.folder / "probe"), "LOG_LEVEL": "INFO", **(env or {})}
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        options = ["--pool=solo"] if pool == "solo" else ["--pool=prefork", "--concurrency=1"]
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "opsdept", "worker", *options, "-Q", self.queue,
             "-n", f"{name}@%h", "--include", ",".join(("tests.opsdept.nightly_probe", *include)),
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=open(self.folder / f"{name}.log", "w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        if wait:
            wait_for(lambda: " ready." in self.log(name), f"worker {name} to be ready")
        return process

    def send(self, task: str, *args: object) -> None:
        self.client.send_task(task, args=list(args), queue=self.queue)

    def started_probes(self) -> list[Path]:
        return sorted((self.folder / "probe").glob("started-*"))

    def release_probes(self) -> None:
        (self.folder / "probe" / "go").write_text("go")

    def stop(self) -> None:
        self.release_probes()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workers(transactional_db, redis_server, tmp_path) -> Iterator[Workers]:
    group = Workers(redis_server.url, tmp_path)
    yield group
    group.stop()
    artifacts = ROOT / "test-artifacts"
    if artifacts.is_dir():
        for log in tmp_path.glob("*.log"):
            shutil.copy(log, artifacts / f"nightly-{log.name}")


def night_runs(day: date = NEW_DATE) -> list[NightlyRun]:
    return list(NightlyRun.objects.filter(date=day).order_by("id"))


def night_is_done(day: date = NEW_DATE) -> bool:
    return NightlyRun.objects.filter(date=day, status=NightlyRun.Status.DONE).exists()


def assert_one_set_of_flags(run: NightlyRun, day: date = NEW_DATE) -> None:
    flags = Flag.objects.filter(date=day)
    assert not flags.values("employee", "rule").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not AttendanceDay.objects.filter(date=day).values("employee").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert flags.count() > 0 and flags.count() == sum(
        result.get("flags", 0) for attempt in night_runs(day) for result in attempt.checks.values())


def test_two_workers_sent_the_same_new_date_at_once_run_it_once(cast, workers):
    workers.start("alpha")
    workers.start("beta")
    assert not AttendanceDay.objects.filter(date=NEW_DATE).exists()
    workers.send("opsdept.tasks.run_nightly_checks_for", NEW_DATE.isoformat())
    workers.send("opsdept.tasks.run_nightly_checks_for", NEW_DATE.isoformat())
    wait_for(workers.started_probes, "the first run to reach the probe check")
    # The rival finishes its message while the first still holds the night.
    wait_for(lambda: "'held'" in workers.log("alpha") + workers.log("beta"), "the rival to see the night held")
    workers.release_probes()
    wait_for(night_is_done, "the night to be done")
    wait_for(lambda: (workers.log("alpha") + workers.log("beta")).count("succeeded") >= 2, "both messages to finish")
    logs = workers.log("alpha") + workers.log("beta")
    assert "IntegrityError" not in logs and "Traceback" not in logs
    runs = night_runs()
    assert [run.status for run in runs] == [NightlyRun.Status.DONE]       # one attempt, one entry
    assert len(workers.started_probes()) == 1
    assert_one_set_of_flags(runs[0])


def test_a_worker_killed_mid_run_gives_the_night_back_and_it_completes(cast, workers):
    worker = workers.start("gamma", pool="prefork")
    workers.send("opsdept.tasks.run_nightly_checks_for", NEW_DATE.isoformat())
    started = wait_for(workers.started_probes, "the run to reach the probe check")
    child = int(started[0].name.split("-")[1])
    assert child != worker.pid
    running = night_runs()
    assert [run.status for run in running] == [NightlyRun.Status.RUNNING] and running[0].started_at
    os.kill(child, signal.SIGKILL)                       # the pool process running the night dies
    started[0].unlink()
    workers.release_probes()
    wait_for(night_is_done, "the redelivered night to be done")
    first, second = night_runs()
    # The first attempt had finished the real checks before it was killed: it is partial, and the
    # second attempt resumed with only the check that had not finished.
    assert first.status == NightlyRun.Status.PARTIAL and first.error == "运行本次检查的进程在完成前中止（后台进程被终止或重启）。"
    assert second.status == NightlyRun.Status.DONE and set(second.checks) == {"zzz.probe"}
    assert_one_set_of_flags(second)
    log = io.StringIO()
    call_command("nightly_status", "--days", str((date.today() - NEW_DATE).days + 1), stdout=log)
    assert f"{NEW_DATE}  done" in log.getvalue() and f"#{first.pk} partial" in log.getvalue()
    assert worker.poll() is None                         # the worker itself lives on with a new pool process


def test_a_whole_worker_killed_mid_night_is_replaced_and_the_night_completes_within_a_minute(cast, workers):
    first = workers.start("epsilon", pool="prefork")      # as the README runs it: a main process and its pool
    workers.send("opsdept.tasks.run_nightly_checks_for", NEW_DATE.isoformat())
    started = wait_for(workers.started_probes, "the run to reach the probe check")
    assert [run.status for run in night_runs()] == [NightlyRun.Status.RUNNING]
    os.killpg(first.pid, signal.SIGKILL)                  # the whole worker dies at once (OOM killer, a crashed machine)
    first.wait(timeout=30)
    started[0].unlink()
    workers.release_probes()
    assert [run.status for run in night_runs()] == [NightlyRun.Status.RUNNING]   # nobody finished it
    # The supervisor starts a new worker. The night's message was taken but never acknowledged
    # (acks_late): Redis gives it back once it is older than the visibility timeout — six hours in
    # production, a few seconds for this worker so that the test need not wait that long.
    workers.start("zeta", pool="prefork", env={"CELERY_VISIBILITY_TIMEOUT": "5", "CELERY_RESTORE_INTERVAL": "1"})
    wait_for(night_is_done, "the night to complete within a minute of the new worker", timeout=60)
    first_attempt, second_attempt = night_runs()
    assert first_attempt.status == NightlyRun.Status.PARTIAL and "中止" in first_attempt.error
    assert second_attempt.status == NightlyRun.Status.DONE and set(second_attempt.checks) == {"zzz.probe"}
    assert_one_set_of_flags(second_attempt)
    log = io.StringIO()
    call_command("nightly_status", "--days", str((date.today() - NEW_DATE).days + 1), stdout=log)
    assert f"#{first_attempt.pk} partial" in log.getvalue() and f"#{second_attempt.pk} done" in log.getvalue()


def test_with_redis_down_at_the_scheduled_time_the_night_runs_when_it_returns(cast, workers, redis_server, client, robot,
                                                                            employee_with_mail, web_broker):
    workers.release_probes()
    add_robot(cast, robot)
    web_broker(redis_server.url)
    redis_server.stop()
    # A request meanwhile succeeds; what it must send waits in the outbox (opsdept.outbox).
    public_criticism(client, cast)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"} and not robot.received
    # Beat's tick while Redis is down fails fast instead of hanging (socket and connect timeouts) …
    with pytest.raises(Exception) as refused:
        workers.send("opsdept.tasks.run_nightly_checks")
    assert "refused" in str(refused.value).lower() or "connect" in str(refused.value).lower()
    # … and a worker started now waits for the broker instead of exiting.
    worker = workers.start("delta", wait=False, env={"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
    wait_for(lambda: "Cannot connect" in workers.log("delta") or "retry" in workers.log("delta").lower(),
             "the worker to report that it retries the broker")
    assert worker.poll() is None and not NightlyRun.objects.exists()
    redis_server.start()
    wait_for(lambda: " ready." in workers.log("delta"), "the worker to connect once Redis is back")
    # The next hourly catch-up tick runs every night that is due and was not done.
    workers.send("opsdept.tasks.run_nightly_checks")
    wait_for(lambda: NightlyRun.objects.filter(status=NightlyRun.Status.DONE).exists(), "the missed night to run")
    run = NightlyRun.objects.get()
    assert run.date < date.today() and run.trigger == "catch-up"
    log = io.StringIO()
    call_command("nightly_status", stdout=log)
    assert f"{run.date}  done" in log.getvalue() and f"#{run.pk} done" in log.getvalue()
    # … and beat's next outbox sweep delivers what the request wrote while Redis was down: nothing is lost.
    workers.send("opsdept.tasks.sweep_outbox")
    wait_for(lambda: set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"},
             "the outbox sweep to deliver what waited")
    assert len(robot.received) == 1 and "To: zhang@example.com" in workers.log("delta")


def test_beat_started_while_redis_is_down_keeps_retrying_and_ticks_once_it_returns(redis_server, tmp_path):
    import redis

    redis_server.stop()
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": redis_server.url}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    log_path = tmp_path / "beat.log"
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "opsdept", "beat", "--loglevel=INFO",
         f"--schedule={tmp_path / 'beat-schedule'}"],
        cwd=ROOT, env=env, stdout=open(log_path, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # Beat waits for the broker (retrying with backoff) instead of blocking on a tick or exiting.
        wait_for(lambda: "Connection error" in log_path.read_text(errors="replace"), "beat to report the dead broker")
        assert beat.poll() is None
        redis_server.start()
        client = redis.Redis(port=redis_server.port, socket_timeout=5)
        # Once Redis is back, beat's next tick reaches it: the outbox sweep is due every minute.
        wait_for(lambda: client.llen("celery") > 0, "beat's tick to reach Redis once it is back", timeout=180)
        assert "outbox-sweep" in log_path.read_text(errors="replace")
        assert beat.poll() is None
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(timeout=30)
        artifacts = ROOT / "test-artifacts"
        if artifacts.is_dir():
            shutil.copy(log_path, artifacts / "nightly-beat.log")


def test_a_frozen_redis_does_not_hang_a_sender(workers, redis_server):
    redis_server.freeze()
    outcome: dict[str, object] = {}

    def send() -> None:
        try:
            workers.send("opsdept.tasks.ping_database", "frozen")
            outcome["sent"] = True
        except Exception as error:  # noqa: BLE001
            outcome["error"] = error

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    sender.join(timeout=PATIENCE)
    redis_server.thaw()
    assert not sender.is_alive(), "sending to a frozen Redis hung"
    assert "error" in outcome


# ---------------------------------------------------------------- fan-out (issue 16)

FAN_OUT_ENV = {"NIGHTLY_FAN_OUT": "1", "NIGHTLY_CHUNK_SIZE": "2"}


def fan_out_workers(workers: Workers, *names: str) -> None:
    # The chunks go through the outbox to the default queue: this test's Redis is its own, so the
    # workers listen there.
    workers.queue = "celery"
    workers.release_probes()                               # the whole-department probe check does not block here
    for name in names:
        workers.start(name, env=FAN_OUT_ENV, include=("tests.opsdept.nightly_chunk_probe",))


def chunk_entries(run: NightlyRun) -> dict[str, dict[str, dict]]:
    return {name: result["chunks"] for name, result in run.checks.items() if "chunks" in result}


def test_a_night_fanned_out_to_two_workers_records_every_chunk_and_is_done(cast, workers):
    fan_out_workers(workers, "north", "south")
    workers.send("opsdept.tasks.run_nightly_checks_for", NEW_DATE.isoformat())
    wait_for(night_is_done, "the fanned-out night to be done")
    runs = night_runs()
    assert [run.status for run in runs] == [NightlyRun.Status.DONE]
    everyone = sorted(cast_ids(cast))
    keys = {f"{everyone[i]}-{everyone[min(i + 1, len(everyone) - 1)]}" for i in range(0, len(everyone), 2)}
    entries = chunk_entries(runs[0])
    # Every chunked check (the real ones and the probe) has one entry per chunk, each done.
    assert {"attendance.lateness", "worklog.missing_report", "zzy.chunk_probe"} <= set(entries)
    for chunks in entries.values():
        assert set(chunks) <= keys and all(chunk["status"] == "done" for chunk in chunks.values())
    assert set(entries["zzy.chunk_probe"]) == keys
    assert runs[0].checks["zzz.probe"]["status"] == "done"      # the whole-department check ran after the chunks
    logs = workers.log("north") + workers.log("south")
    assert "run_nightly_chunk" in logs and "Traceback" not in logs
    assert_one_set_of_flags(runs[0])


def test_a_chunk_failing_once_on_a_worker_is_retried_alone_and_the_night_completes(cast, workers):
    everyone = sorted(cast_ids(cast))
    (workers.folder / "probe" / f"fail-once-{everyone[2]}").write_text("")
    fan_out_workers(workers, "west")
    workers.send("opsdept.tasks.run_nightly_checks_for", NEW_DATE.isoformat())
    wait_for(night_is_done, "the night with a retried chunk to be done")
    run = night_runs()[0]
    assert run.status == NightlyRun.Status.DONE
    calls = (workers.folder / "probe" / "chunk-calls").read_text().split()
    failing = ",".join(map(str, everyone[2:4]))
    assert calls.count(failing) == 2 and all(calls.count(ids) == 1 for ids in calls if ids != failing)
    entry = run.checks["zzy.chunk_probe"]["chunks"][f"{everyone[2]}-{everyone[3]}"]
    assert entry["status"] == "done" and entry["attempts"] == 2 and "fails once" in entry["error"]


def cast_ids(cast) -> list[int]:
    from opsdept import employment

    return list(employment.employees_between(NEW_DATE, NEW_DATE).values_list("pk", flat=True))
