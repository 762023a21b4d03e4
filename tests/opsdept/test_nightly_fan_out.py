"""The night fanned out to the workers (issue 16): one task per chunk, each recorded in the run log,
a failed chunk sent again alone, the night done only when every chunk of every check is.

Here the tasks run eagerly (as `CELERY_TASK_ALWAYS_EAGER` runs them) once the dispatch commits;
tests/opsdept/test_nightly_worker.py runs the same night through real worker processes.
"""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from discipline.models import Flag
from discipline.services import Finding, raise_flags
from opsdept import nightly, registries
from opsdept.models import AlertSent, Employee, NightlyRun, OutboxMessage
from opsdept.registries import CheckResult

DAY = date(2026, 11, 20)  # a Friday workday
NEXT_MORNING = datetime(2026, 11, 21, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at(moment: datetime = NEXT_MORNING):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def probe_checks(cast, settings, monkeypatch):
    """A chunked check that flags everyone (failing for the employees in `broken`) and a whole-department one."""
    settings.NIGHTLY_CHUNK_SIZE = 2
    calls: list[tuple[str, list[int] | None]] = []
    broken: dict[int, int] = {}    # employee id → how many more calls of its chunk fail

    def flag_everyone(day: date, employee_ids: list[int] | None = None) -> int:
        calls.append(("chunked", list(employee_ids)))
        for pk in employee_ids:
            if broken.get(pk, 0) > 0:
                broken[pk] -= 1
                raise RuntimeError("the punch machine's import is half written")
        raised = raise_flags(Finding(person, day, "late", "09:12", "test")
                             for person in Employee.objects.filter(pk__in=employee_ids))
        return CheckResult(len(raised.created), findings=raised.findings)

    def whole(day: date) -> int:
        calls.append(("whole", None))
        return 0

    monkeypatch.setattr(registries.nightly_checks, "_entries", {})
    nightly.register("test.everyone")(flag_everyone)
    nightly.register("test.whole")(whole)
    return calls, broken


def employed() -> list[int]:
    return sorted(Employee.objects.values_list("pk", flat=True))


def test_a_fanned_out_night_runs_a_task_per_chunk_and_is_done_when_the_last_chunk_is(
        probe_checks, django_capture_on_commit_callbacks):
    calls, _broken = probe_checks
    everyone = employed()
    with at(), django_capture_on_commit_callbacks(execute=True):
        sent = nightly.run_night(DAY, trigger="test", fan_out=True)
        # Sent, not run: the chunks are queued in the run log and the night is not done yet.
        assert sent.state == NightlyRun.Status.RUNNING and calls == []
        queued = NightlyRun.objects.get(pk=sent.run.pk)
        assert queued.holder.startswith(nightly.FAN_OUT_PREFIX)
        assert {chunk["status"] for chunk in queued.checks["test.everyone"]["chunks"].values()} == {"queued"}
        assert not nightly.done_dates(DAY, DAY)
    run = NightlyRun.objects.get(pk=sent.run.pk)
    chunks = [everyone[i:i + 2] for i in range(0, len(everyone), 2)]
    assert calls == [("chunked", ids) for ids in chunks] + [("whole", None)]   # the whole-department check after every chunk
    assert run.status == NightlyRun.Status.DONE and nightly.done_dates(DAY, DAY) == {DAY}
    entries = run.checks["test.everyone"]["chunks"]
    assert sorted(entries) == sorted(f"{ids[0]}-{ids[-1]}" for ids in chunks)
    assert all(entry["status"] == "done" and entry["attempts"] == 1 for entry in entries.values())
    assert run.checks["test.everyone"]["status"] == "done" and run.summary["test.everyone"] == len(everyone)
    assert run.checks["test.whole"]["status"] == "done"
    assert Flag.objects.filter(date=DAY).count() == len(everyone)
    assert OutboxMessage.objects.filter(payload__task="opsdept.tasks.run_nightly_chunk").count() == len(chunks)


def test_a_chunk_that_fails_once_is_sent_again_alone_and_the_night_completes(
        probe_checks, django_capture_on_commit_callbacks):
    calls, broken = probe_checks
    everyone = employed()
    broken[everyone[2]] = 1
    with at(), django_capture_on_commit_callbacks(execute=True):
        sent = nightly.run_night(DAY, trigger="test", fan_out=True)
    run = NightlyRun.objects.get(pk=sent.run.pk)
    assert run.status == NightlyRun.Status.DONE
    failing = everyone[2:4]
    chunk_calls = [ids for kind, ids in calls if kind == "chunked"]
    assert chunk_calls.count(failing) == 2                              # the failed chunk, once more
    assert all(chunk_calls.count(ids) == 1 for ids in chunk_calls if ids != failing)
    entry = run.checks["test.everyone"]["chunks"][f"{failing[0]}-{failing[-1]}"]
    assert entry["status"] == "done" and entry["attempts"] == 2 and "half written" in entry["error"]
    assert Flag.objects.filter(date=DAY).count() == len(everyone)


def test_a_chunk_that_keeps_failing_leaves_the_night_partial_and_the_next_attempt_runs_only_it(
        probe_checks, django_capture_on_commit_callbacks):
    calls, broken = probe_checks
    everyone = employed()
    broken[everyone[0]] = nightly.CHUNK_RETRIES + 1
    with at(), django_capture_on_commit_callbacks(execute=True):
        first = nightly.run_night(DAY, trigger="test", fan_out=True)
    first_run = NightlyRun.objects.get(pk=first.run.pk)
    assert first_run.status == NightlyRun.Status.PARTIAL and "half written" in first_run.error
    assert first_run.checks["test.everyone"]["status"] == "failed"
    assert first_run.checks["test.whole"]["status"] == "done"          # the other checks still ran
    assert AlertSent.objects.filter(key=f"night-failed:{DAY.isoformat()}").exists()
    assert not nightly.done_dates(DAY, DAY)
    calls.clear()
    with at(), django_capture_on_commit_callbacks(execute=True):
        second = nightly.run_night(DAY, trigger="test", fan_out=True)
    assert NightlyRun.objects.get(pk=second.run.pk).status == NightlyRun.Status.DONE
    assert calls == [("chunked", everyone[0:2])]                        # only the chunk not done
    assert Flag.objects.filter(date=DAY).count() == len(everyone)


def test_a_night_whose_chunks_are_queued_is_held_until_they_go_stale(probe_checks, settings):
    settings.NIGHTLY_CHUNK_STALE_SECONDS = 3600
    with at():
        sent = nightly.run_night(DAY, trigger="test", fan_out=True)   # committed? no: the chunks wait in the outbox
        assert sent.state == NightlyRun.Status.RUNNING
        rival = nightly.run_night(DAY, trigger="catch-up")
    assert rival.state == "held"
    assert NightlyRun.objects.filter(date=DAY).count() == 1
    # Nothing moved for longer than the stale time (the workers are gone): the next run takes the night over.
    with at(NEXT_MORNING + timedelta(hours=2)):
        taken = nightly.run_night(DAY, trigger="catch-up")
    assert taken.state == NightlyRun.Status.DONE
    lost = NightlyRun.objects.get(pk=sent.run.pk)
    assert lost.status == NightlyRun.Status.FAILED and "中止" in lost.error
    # A chunk task of the lost attempt that arrives late does nothing.
    entry_key = next(iter(lost.checks["test.everyone"]["chunks"]))
    assert nightly.run_chunk(lost.pk, entry_key, employed()[:2]) == "stale"


def test_the_run_log_shows_queued_chunks_as_queued_not_failed(probe_checks, client, cast):
    from django.urls import reverse

    with at():
        sent = nightly.run_night(DAY, trigger="test", fan_out=True)   # the chunk tasks wait in the outbox
        client.force_login(cast.hr.user)
        page = client.get(reverse("nightly_runs")).content.decode()
    chunks = NightlyRun.objects.get(pk=sent.run.pk).checks["test.everyone"]["chunks"]
    assert chunks and {chunk["status"] for chunk in chunks.values()} == {"queued"}
    table = page[page.index('data-testid="nightly-runs"'):]
    assert table.count("排队中") >= len(chunks)
    assert "失败" not in table
    assert "待审批" not in table and "未运行" in table  # a night not run yet awaits no one's approval
