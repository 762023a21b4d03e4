"""The nightly run: finished days only, one run per date, a run log of attempts, catch-up, alerts."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo
import io
import os
import socket
import threading
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from discipline.models import Flag
from discipline.services import raise_flag
from opsdept import nightly, registries, services
from opsdept.models import AlertSent, AuditEvent, CalendarYear, NightlyRun, Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
DONE, FAILED, PARTIAL, WAITING, RUNNING = (NightlyRun.Status.DONE, NightlyRun.Status.FAILED, NightlyRun.Status.PARTIAL,
                                           NightlyRun.Status.WAITING, NightlyRun.Status.RUNNING)


@contextmanager
def local_time(year: int, month: int, day: int, hour: int = 10, minute: int = 0):
    moment = datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


@pytest.fixture
def only_checks(monkeypatch):
    """Replace the registered checks for one test: only_checks(name=function, …)."""

    def replace(**checks):
        monkeypatch.setattr(registries.nightly_checks, "_entries", {})
        for name, function in checks.items():
            nightly.register(name.replace("__", "."))(function)

    return replace


@pytest.fixture
def lateness_check(cast, only_checks):
    """A stand-in check that flags the cast's employee on every date it runs for (the only check registered)."""

    def check(day: date) -> int:
        _flag, created = raise_flag(cast.employee, day=day, rule_code="late", details="09:12")
        return int(created)

    only_checks(test__always_late=check)
    return check


def hr_notices(cast) -> list[str]:
    return list(Notification.objects.filter(recipient=cast.hr).values_list("subject", flat=True))


# ---------------------------------------------------------------- the command

@pytest.mark.django_db
def test_running_a_night_twice_raises_each_flag_once_and_logs_each_run_on_its_own(lateness_check, capsys):
    call_command("run_nightly_checks", "--date", "2026-11-20")
    call_command("run_nightly_checks", "--date", "2026-11-20")
    assert Flag.objects.filter(date=date(2026, 11, 20)).count() == 1
    assert "0 new flag(s) in all." in capsys.readouterr().out.splitlines()[-1]
    first, second = NightlyRun.objects.filter(date=date(2026, 11, 20)).order_by("id")
    assert (first.status, first.summary, first.trigger) == (DONE, {"test.always_late": 1}, "command")
    assert (second.status, second.summary) == (DONE, {"test.always_late": 0})
    assert first.started_at <= first.finished_at <= second.started_at


@pytest.mark.django_db
def test_default_is_yesterday_in_shanghai(lateness_check):
    call_command("run_nightly_checks")
    assert Flag.objects.get().date == timezone.localdate() - timedelta(days=1)


@pytest.mark.django_db
def test_a_range_runs_every_date_with_progress(lateness_check, capsys):
    call_command("run_nightly_checks", "--from", "2026-11-01", "--to", "2026-11-05")
    assert Flag.objects.count() == 5
    assert "5/5" in capsys.readouterr().out
    assert NightlyRun.objects.filter(status=DONE).count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("args,message", [
    (["--date", "2026-02-30"], "not a date"),
    (["--date", "yesterday"], "not a date"),
    (["--from", "2026-11-05"], "both"),
    (["--from", "2026-11-05", "--to", "2026-11-01"], "before"),
    (["--date", "2026-11-01", "--from", "2026-11-01", "--to", "2026-11-02"], "either"),
    (["--date", "2099-01-01"], "not over yet"),
])
def test_bad_dates_fail_clearly_and_write_nothing(lateness_check, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_nightly_checks", *args)
    assert not Flag.objects.exists() and not NightlyRun.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_today_and_writes_nothing(lateness_check):
    with local_time(2026, 11, 27, 16, 8):
        with pytest.raises(CommandError, match="2026-11-27 is not over yet"):
            call_command("run_nightly_checks", "--date", "2026-11-27")
        with pytest.raises(CommandError, match="not over yet"):
            call_command("run_nightly_checks", "--from", "2026-11-20", "--to", "2026-11-27")
    assert not Flag.objects.exists() and not NightlyRun.objects.exists()


@pytest.mark.django_db
def test_the_task_and_the_service_refuse_today_and_the_future(lateness_check):
    from opsdept.tasks import run_nightly_checks_for

    with local_time(2026, 11, 27, 16, 8):
        for day in ("2026-11-27", "2026-11-28"):
            with pytest.raises(nightly.NightlyError, match=f"{day} 尚未结束"):
                run_nightly_checks_for.delay(day)
        with pytest.raises(nightly.NightlyError):
            nightly.run_for_date(date(2026, 11, 27))
    assert not Flag.objects.exists() and not NightlyRun.objects.exists()


# ---------------------------------------------------------------- which nights the catch-up runs

@pytest.mark.django_db
def test_catch_up_covers_the_nights_missed_since_the_last_done_one():
    today = date(2026, 11, 27)
    assert nightly.dates_to_catch_up(today) == [date(2026, 11, 26)]
    NightlyRun.objects.create(date=date(2026, 11, 22), status=DONE, finished_at=timezone.now())
    assert nightly.dates_to_catch_up(today) == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)]
    NightlyRun.objects.create(date=date(2026, 11, 26), status=DONE, finished_at=timezone.now())
    NightlyRun.objects.create(date=date(2026, 11, 24), status=FAILED, finished_at=timezone.now())
    assert nightly.dates_to_catch_up(today) == [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)]


@pytest.mark.django_db
def test_the_catch_up_leaves_yesterday_alone_until_01_30(lateness_check):
    from opsdept.tasks import run_nightly_checks

    NightlyRun.objects.create(date=date(2026, 11, 24), status=DONE)
    with local_time(2026, 11, 27, 0, 5):
        assert run_nightly_checks.delay().get() == {"2026-11-25": DONE}
    with local_time(2026, 11, 27, 1, 29):
        assert run_nightly_checks.delay().get() == {}
    with local_time(2026, 11, 27, 1, 30):
        assert run_nightly_checks.delay().get() == {"2026-11-26": DONE}
    assert sorted(Flag.objects.values_list("date", flat=True)) == [date(2026, 11, 25), date(2026, 11, 26)]


@pytest.mark.django_db
def test_the_beat_task_runs_missed_nights(lateness_check):
    from opsdept.tasks import run_nightly_checks

    NightlyRun.objects.create(date=timezone.localdate() - timedelta(days=4), status=DONE, finished_at=timezone.now())
    with local_time(*(timezone.localdate().timetuple()[:3]), 2, 0):
        result = run_nightly_checks.delay()
        assert len(result.get()) == 3
        assert Flag.objects.count() == 3
        assert run_nightly_checks.delay().get() == {}


def test_the_beat_schedule_runs_at_01_30_and_hourly_with_expiring_messages():
    from opsdept.celery import app

    schedule = app.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} >= {
        "opsdept.tasks.run_nightly_checks", "opsdept.tasks.warn_overdue_night", "opsdept.tasks.warn_unknown_calendar"}
    night = schedule["nightly-checks"]["schedule"]
    assert (night.hour, night.minute) == ({1}, {30})
    assert all(0 < entry["options"]["expires"] <= 3600 for name, entry in schedule.items() if name.startswith("nightly-checks"))


def test_celery_acknowledges_late_and_gives_a_lost_task_back():
    from django.conf import settings

    from opsdept.celery import app

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_connection_max_retries is None and app.conf.broker_connection_retry_on_startup
    assert settings.CELERY_VISIBILITY_TIMEOUT >= 60 * 60 * 2
    assert app.conf.task_publish_retry_policy["max_retries"] <= 5


def test_the_redis_transport_has_socket_timeouts(monkeypatch):
    import importlib

    from opsdept import settings as project_settings

    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6399/0")
    try:
        fresh = importlib.reload(project_settings)
        options = fresh.CELERY_BROKER_TRANSPORT_OPTIONS
        assert options["socket_timeout"] == options["socket_connect_timeout"] == 5
        assert options["visibility_timeout"] > 60 * 60
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


# ---------------------------------------------------------------- failures, the run log, resuming

@pytest.mark.django_db
def test_a_failing_check_is_recorded_the_others_run_and_the_next_attempt_resumes_only_it(cast, only_checks):
    calls: list[str] = []
    broken = {"yes": True}

    def good(day: date) -> int:
        calls.append("good")
        return int(raise_flag(cast.employee, day=day, rule_code="late")[1])

    def flaky(day: date) -> int:
        calls.append("flaky")
        if broken["yes"]:
            raise RuntimeError("the report table is locked")
        return 0

    only_checks(a__good=good, b__flaky=flaky)
    with local_time(2026, 11, 27, 1, 30):
        outcome = nightly.run_night(date(2026, 11, 26), trigger="beat")
    assert outcome.state == PARTIAL
    run = NightlyRun.objects.get()
    assert run.checks["a.good"]["status"] == "done" and run.checks["a.good"]["flags"] == 1
    assert run.checks["b.flaky"]["status"] == "failed" and "the report table is locked" in run.error
    assert run.finished_at is not None
    assert len(hr_notices(cast)) == 1 and "2026-11-26" in hr_notices(cast)[0]
    assert nightly.dates_to_catch_up(date(2026, 11, 27)) == [date(2026, 11, 26)]

    broken["yes"] = False
    calls.clear()
    with local_time(2026, 11, 27, 2, 5):
        assert nightly.run_night(date(2026, 11, 26), trigger="catch-up").state == DONE
    assert calls == ["flaky"]                   # resumed: the check that finished is not run again
    assert list(NightlyRun.objects.order_by("id").values_list("status", flat=True)) == [PARTIAL, DONE]
    assert nightly.done_dates(date(2026, 11, 26), date(2026, 11, 26)) == {date(2026, 11, 26)}
    with local_time(2026, 11, 27, 3, 5):
        assert nightly.run_night(date(2026, 11, 26), trigger="catch-up").state == "already-done"
    assert NightlyRun.objects.count() == 2 and len(hr_notices(cast)) == 1


@pytest.mark.django_db
def test_one_failing_date_is_recorded_and_the_catch_up_goes_on(cast, only_checks):
    def check(day: date) -> int:
        if day == date(2026, 11, 24):
            raise ValueError("bad data on the 24th")
        return int(raise_flag(cast.employee, day=day, rule_code="late")[1])

    only_checks(test__check=check)
    NightlyRun.objects.create(date=date(2026, 11, 22), status=DONE)
    with local_time(2026, 11, 27, 1, 30):
        outcomes = nightly.catch_up()
    assert {day: outcome.state for day, outcome in outcomes.items()} == {
        "2026-11-23": DONE, "2026-11-24": FAILED, "2026-11-25": DONE, "2026-11-26": DONE}
    assert "bad data on the 24th" in NightlyRun.objects.get(date=date(2026, 11, 24)).error


@pytest.mark.django_db
def test_an_attempt_whose_process_died_is_closed_and_the_night_resumed(cast, only_checks):
    """SQLite's path: the claim asks whether the process that marked the night running still lives."""
    ran: list[date] = []
    only_checks(a__first=lambda day: 0, b__second=lambda day: ran.append(day) or 0)
    dead = NightlyRun.objects.create(date=date(2026, 11, 26), status=RUNNING, holder=f"{socket.gethostname()}:999999999",
                                     started_at=timezone.now(), summary={"a.first": 0},
                                     checks={"a.first": {"status": "done", "flags": 0}})
    with local_time(2026, 11, 27, 2, 0):
        outcome = nightly.run_night(date(2026, 11, 26), trigger="catch-up")
    dead.refresh_from_db()
    assert dead.status == PARTIAL and dead.finished_at and dead.error == "运行本次检查的进程在完成前中止（后台进程被终止或重启）。"
    assert outcome.state == DONE and ran == [date(2026, 11, 26)]


@contextmanager
def held_elsewhere(day: date) -> Iterator[None]:
    """Another living process holds the night: on PostgreSQL its advisory lock (from another
    connection), on SQLite its running attempt whose process (our parent) is alive."""
    if connection.vendor != "postgresql":
        NightlyRun.objects.create(date=day, status=RUNNING, holder=f"{socket.gethostname()}:{os.getppid()}",
                                  started_at=timezone.now())
        yield
        return
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        from django.db import connection as own

        with own.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [nightly.LOCK_NAMESPACE, day.toordinal()])
            holding.set()
            release.wait(60)
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [nightly.LOCK_NAMESPACE, day.toordinal()])
        own.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(60)
    try:
        yield
    finally:
        release.set()
        thread.join(60)


@pytest.mark.django_db
def test_a_night_held_by_a_living_process_is_left_to_it_and_no_entry_is_written(cast, lateness_check):
    entries = NightlyRun.objects.count
    with held_elsewhere(date(2026, 11, 26)):
        before = entries()
        with local_time(2026, 11, 27, 2, 0):
            outcome = nightly.run_night(date(2026, 11, 26), trigger="catch-up")
        assert outcome.state == "held" and "2026-11-26" in outcome.message
        assert entries() == before and not Flag.objects.exists()


@pytest.mark.django_db
def test_a_night_is_done_only_when_every_registered_check_finished(cast, only_checks):
    only_checks(a__one=lambda day: 0)
    with local_time(2026, 11, 27, 2, 0):
        assert nightly.run_night(date(2026, 11, 26), trigger="beat").state == DONE
        # A chapter deployed later adds a check: the night is run again for it alone.
        only_checks(a__one=lambda day: 1 / 0, b__two=lambda day: 2)
        outcome = nightly.run_night(date(2026, 11, 26), trigger="beat")
    assert outcome.state == DONE and outcome.summary == {"b.two": 2}


# ---------------------------------------------------------------- unknown calendar years

@pytest.mark.django_db
def test_a_night_in_an_unknown_year_waits_for_hr_and_runs_once_the_year_is_confirmed(cast, lateness_check,
                                                                                      django_capture_on_commit_callbacks):
    new_year = date(2027, 1, 1)
    with local_time(2027, 1, 2, 1, 30):
        assert nightly.catch_up() and NightlyRun.objects.get().status == WAITING
        assert nightly.catch_up()["2027-01-01"].state == WAITING          # held again, no second entry
        assert NightlyRun.objects.count() == 1 and not Flag.objects.exists()
        assert len(hr_notices(cast)) == 1 and "2027" in hr_notices(cast)[0]
        services.set_calendar_override(new_year, actor=cast.hr.user, kind="holiday", note="元旦")
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_calendar_year(2027, actor=cast.hr.user)
    run = NightlyRun.objects.get()
    assert run.status == DONE and run.date == new_year
    assert Flag.objects.filter(date=new_year).count() == 1         # the stand-in check flags every date
    assert AuditEvent.objects.filter(action="calendar.year_confirmed").count() == 1


@pytest.mark.django_db
def test_only_hr_confirms_a_year_and_only_one_the_package_does_not_know(cast):
    from django.core.exceptions import PermissionDenied

    with local_time(2026, 12, 1):
        with pytest.raises(PermissionDenied):
            services.confirm_calendar_year(2027, actor=cast.manager.user)
        with pytest.raises(services.PeopleError, match="官方安排已知"):
            services.confirm_calendar_year(2026, actor=cast.hr.user)
        with pytest.raises(services.PeopleError):
            services.confirm_calendar_year(2099, actor=cast.hr.user)
        services.confirm_calendar_year(2027, actor=cast.hr.user)
        with pytest.raises(services.PeopleError, match="已经确认过了"):
            services.confirm_calendar_year(2027, actor=cast.hr.user)
    assert CalendarYear.objects.count() == 1


@pytest.mark.django_db
def test_hr_hears_of_an_unknown_year_sixty_days_ahead_once(cast):
    assert nightly.warn_unknown_calendar(date(2026, 10, 1)) is None
    assert nightly.warn_unknown_calendar(date(2026, 11, 5)) == date(2027, 1, 1)
    assert nightly.warn_unknown_calendar(date(2026, 11, 6)) == date(2027, 1, 1)
    assert len(hr_notices(cast)) == 1
    CalendarYear.objects.create(year=2027)
    assert nightly.warn_unknown_calendar(date(2026, 12, 1)) is None


@pytest.mark.django_db
def test_a_night_not_done_by_six_tells_hr_once(cast, lateness_check):
    six = datetime(2026, 11, 27, 6, 0, tzinfo=SHANGHAI)
    assert nightly.warn_overdue_night(six) == date(2026, 11, 26)
    assert nightly.warn_overdue_night(six) == date(2026, 11, 26)
    assert len(hr_notices(cast)) == 1 and AlertSent.objects.count() == 1
    with local_time(2026, 11, 27, 6, 1):
        nightly.run_night(date(2026, 11, 26), trigger="command")
    assert nightly.warn_overdue_night(six) is None


# ---------------------------------------------------------------- reading the log

@pytest.mark.django_db
def test_nightly_status_shows_each_night_and_every_attempt(cast, only_checks):
    only_checks(a__one=lambda day: 3)
    yesterday = timezone.localdate() - timedelta(days=1)
    NightlyRun.objects.create(date=yesterday, status=FAILED, error="database went away", trigger="beat")
    nightly.run_for_date(yesterday)
    out = io.StringIO()
    call_command("nightly_status", "--days", "2", stdout=out)
    text = out.getvalue()
    assert f"{yesterday}  done" in text and "failed" in text and "database went away" in text
    assert "a.one" in text and "3 flag(s)" in text
    assert f"{yesterday - timedelta(days=1)}  pending" in text


@pytest.mark.django_db
def test_the_run_log_page_shows_hr_and_the_manager_each_attempt(client, cast, only_checks):
    only_checks(a__one=lambda day: registries.CheckResult(2, findings=5), b__two=lambda day: 1)
    yesterday = timezone.localdate() - timedelta(days=1)
    NightlyRun.objects.create(date=yesterday, status=FAILED, error="disk full", trigger="beat")
    nightly.run_for_date(yesterday)
    for who in (cast.hr, cast.manager):
        client.force_login(who.user)
        page = client.get("/nightly/").content.decode()
        assert f'data-date="{yesterday:%Y-%m-%d}" data-status="done"' in page
        assert 'data-run-status="failed"' in page and "disk full" in page and 'data-run-status="done"' in page
        assert "发现 5 项，新生成 2 条" in page and "1 条待处理事项" in page
    client.force_login(cast.supervisor.user)
    assert client.get("/nightly/").status_code == 403


@pytest.mark.django_db
def test_the_page_queries_stay_flat_as_nights_grow(client, cast, django_assert_max_num_queries, only_checks):
    only_checks(a__one=lambda day: 0)
    client.force_login(cast.hr.user)
    for back in range(1, 20):
        NightlyRun.objects.create(date=timezone.localdate() - timedelta(days=back), status=DONE, summary={"a.one": back})
    # session, user, employee (×2 for the context and the page), the runs, the confirmed years, notifications …
    with django_assert_max_num_queries(12):
        assert client.get("/nightly/").status_code == 200


@pytest.mark.django_db
def test_hr_confirms_a_year_from_the_calendar_page(client, cast, django_capture_on_commit_callbacks):
    with local_time(2026, 12, 1):
        client.force_login(cast.hr.user)
        assert 'data-testid="confirm-year-2027"' in client.get("/calendar/").content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/calendar/confirm-year/", {"year": "2027"})
        assert response.status_code == 302
        assert 'data-testid="confirm-year-2027"' not in client.get("/calendar/").content.decode()
        response = client.post("/calendar/confirm-year/", {"year": "２０２６"}, follow=True)
    assert "全角数字" in response.content.decode()   # refused as typed, not read as 2026 (issue 12)
    assert CalendarYear.objects.get().year == 2027


# ---------------------------------------------------------------- e-mail links

@pytest.mark.django_db
def test_notification_mail_carries_an_absolute_link(cast, settings, django_capture_on_commit_callbacks):
    from opsdept.notify import Verbatim, notify

    settings.SITE_URL = "https://ops.example.com"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.hr.email = "hr@example.com"
    cast.hr.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(cast.hr, subject=Verbatim("请查看"), body="有新申请", url="/leave/5/")
    assert notification.url == "/leave/5/"                       # in the app a path is enough
    assert "https://ops.example.com/leave/5/" in mail.outbox[0].body


def test_the_readme_shows_supervised_processes_and_the_site_url():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    production = readme[readme.index("## Production"):readme.index("## Layout")]
    assert "`SITE_URL`" in production
    units = production.split("```ini")[1:]
    for command in ("gunicorn opsdept.wsgi", "celery -A opsdept worker", "celery -A opsdept beat"):
        [unit] = [unit for unit in units if command in unit]      # a whole systemd unit for each process
        assert "[Service]" in unit and "Restart=always" in unit and "EnvironmentFile=" in unit


@pytest.mark.django_db
def test_a_rerun_shows_what_it_found_though_it_raises_nothing_new(cast, client):
    from tests.attendance.factories import punch_day

    day = date(2026, 10, 12)
    punch_day(cast.employee, "2026-10-12", "09:20", "18:00")
    first = nightly.run_night(day, trigger="command", force=True).run
    second = nightly.run_night(day, trigger="command", force=True).run
    found = first.checks["attendance.lateness"]["findings"]
    assert found >= 6 and first.checks["attendance.lateness"]["flags"] == found     # everyone else is absent
    assert {key: value for key, value in second.checks["attendance.lateness"].items() if key != "chunks"} | {
        "started": 0, "finished": 0} == {
        "status": "done", "flags": 0, "findings": found, "started": 0, "finished": 0}
    assert first.summary["attendance.lateness"] == found                          # the first entry keeps its count
    out = io.StringIO()
    call_command("nightly_status", "--days", "60", stdout=out)
    assert f"0 flag(s) of {found} finding(s)" in out.getvalue()
