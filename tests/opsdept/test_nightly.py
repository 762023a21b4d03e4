"""The nightly-check registry, its command and its catch-up."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from discipline.models import Flag
from discipline.services import raise_flag
from opsdept import nightly, registries
from opsdept.models import NightlyRun


@pytest.fixture
def lateness_check(cast, monkeypatch):
    """A stand-in check that flags the cast's employee on every date it runs for (the only check registered)."""
    monkeypatch.setattr(registries.nightly_checks, "_entries", {})

    def check(day: date) -> int:
        _flag, created = raise_flag(cast.employee, day=day, rule_code="late", details="09:12")
        return int(created)

    nightly.register("test.always_late")(check)
    return check


@pytest.mark.django_db
def test_running_a_night_twice_raises_each_flag_once(lateness_check, capsys):
    call_command("run_nightly_checks", "--date", "2026-11-20")
    call_command("run_nightly_checks", "--date", "2026-11-20")
    assert Flag.objects.filter(date=date(2026, 11, 20)).count() == 1
    assert "0 new flag(s) in all." in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.django_db
def test_default_is_yesterday_in_shanghai(lateness_check):
    call_command("run_nightly_checks")
    assert Flag.objects.get().date == timezone.localdate() - timedelta(days=1)


@pytest.mark.django_db
def test_a_range_runs_every_date_with_progress(lateness_check, capsys):
    call_command("run_nightly_checks", "--from", "2026-11-01", "--to", "2026-11-05")
    assert Flag.objects.count() == 5
    assert "5/5" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("args,message", [
    (["--date", "2026-02-30"], "not a date"),
    (["--date", "yesterday"], "not a date"),
    (["--from", "2026-11-05"], "both"),
    (["--from", "2026-11-05", "--to", "2026-11-01"], "before"),
    (["--date", "2026-11-01", "--from", "2026-11-01", "--to", "2026-11-02"], "either"),
    (["--date", "2099-01-01"], "future"),
])
def test_bad_dates_fail_clearly_and_write_nothing(lateness_check, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_nightly_checks", *args)
    assert not Flag.objects.exists() and not NightlyRun.objects.exists()


@pytest.mark.django_db
def test_catch_up_covers_the_nights_missed_since_the_last_run():
    today = date(2026, 11, 27)
    assert nightly.dates_to_catch_up(today) == [date(2026, 11, 26)]
    NightlyRun.objects.create(date=date(2026, 11, 22), finished_at=timezone.now())
    assert nightly.dates_to_catch_up(today) == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    NightlyRun.objects.create(date=date(2026, 11, 26), finished_at=timezone.now())
    assert nightly.dates_to_catch_up(today) == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)]


@pytest.mark.django_db
def test_the_beat_task_runs_missed_nights(lateness_check):
    from opsdept.tasks import run_nightly_checks

    NightlyRun.objects.create(date=timezone.localdate() - timedelta(days=4), finished_at=timezone.now())
    result = run_nightly_checks.delay()
    assert len(result.get()) == 3
    assert Flag.objects.count() == 3
    assert run_nightly_checks.delay().get() == {}


def test_the_beat_schedule_runs_the_nightly_task():
    from opsdept.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "opsdept.tasks.run_nightly_checks" in tasks
