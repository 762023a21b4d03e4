"""The nightly benchmarks stay runnable (issue 16): each measurement of tests/bench/bench_nightly.py at a small size
(the fan-out one with real worker processes, like tests/opsdept/test_nightly_worker.py)."""

import shutil

import pytest

from opsdept.models import NightlyRun
from tests.bench.bench_nightly import measure_fan_out, measure_night
from tests.conftest import IN_CI


@pytest.mark.django_db
def test_normal_night_and_its_rerun_measure_at_a_small_size():
    night, rerun = measure_night(20, worst=False, rerun=True)
    assert night.state == rerun.state == NightlyRun.Status.DONE
    assert night.queries > 0 and night.seconds > 0
    assert rerun.flags == 0


@pytest.mark.django_db
def test_worst_night_flags_everyone_at_a_small_size():
    night, _rerun = measure_night(20, worst=True)
    assert night.state == NightlyRun.Status.DONE
    # Nobody punched or reported: absent and missing report for every staff member and supervisor at least.
    assert night.flags >= 2 * 17


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_fan_out_benchmark_runs_a_night_on_one_and_two_workers_at_a_small_size(tmp_path, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    if shutil.which("redis-server") is None and not IN_CI:
        pytest.skip("redis-server is not installed on this machine (CI installs it)")
    seconds = measure_fan_out(24, (1, 2), tmp_path, timeout=300)
    assert set(seconds) == {1, 2} and all(value > 0 for value in seconds.values())
    for run in NightlyRun.objects.filter(status=NightlyRun.Status.DONE):
        chunks = [chunk for result in run.checks.values() for chunk in result.get("chunks", {}).values()]
        assert len({(chunk["first"], chunk["last"]) for chunk in chunks}) > 1   # split into several chunks
        assert all(chunk["status"] == "done" for chunk in chunks)
    assert NightlyRun.objects.filter(status=NightlyRun.Status.DONE).count() == 2
