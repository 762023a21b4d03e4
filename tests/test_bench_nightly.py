"""The nightly benchmarks stay runnable (issue 16): each measurement of tests/bench/bench_nightly.py at 20 employees."""

import pytest

from opsdept.models import NightlyRun
from tests.bench.bench_nightly import measure_night


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
