"""The night in chunks of the department (issue 16): each chunk its own transaction and run-log line,
a failed chunk retried alone, the night done only when every chunk of every check finished."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo
import io

from django.core.management import call_command
from django.urls import reverse

from discipline.models import Flag
from discipline.services import Finding, raise_flags
from opsdept import nightly, registries
from opsdept.models import Employee, NightlyRun
from opsdept.registries import CheckResult

DAY = date(2026, 11, 20)  # a Friday workday
NEXT_MORNING = datetime(2026, 11, 21, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def at_next_morning():
    return mock.patch("django.utils.timezone.now", return_value=NEXT_MORNING)


def test_a_chunked_check_runs_per_chunk_and_a_failed_chunk_is_retried_alone(cast, settings, monkeypatch):
    settings.NIGHTLY_CHUNK_SIZE = 2
    calls: list[list[int]] = []
    broken = {"employee": cast.clerk.pk}

    def flag_everyone(day: date, employee_ids: list[int] | None = None) -> int:
        calls.append(list(employee_ids))
        if broken["employee"] in employee_ids:
            raise RuntimeError("the punch machine's import is half written")
        people = Employee.objects.filter(pk__in=employee_ids)
        raised = raise_flags(Finding(person, day, "late", "09:12", "test") for person in people)
        return CheckResult(len(raised.created), findings=raised.findings)

    monkeypatch.setattr(registries.nightly_checks, "_entries", {})
    nightly.register("test.everyone")(flag_everyone)
    everyone = sorted(Employee.objects.values_list("pk", flat=True))
    with at_next_morning():
        first = nightly.run_night(DAY, trigger="test")
    assert first.state == NightlyRun.Status.PARTIAL
    assert calls == [everyone[i:i + 2] for i in range(0, len(everyone), 2)]
    chunks = first.run.checks["test.everyone"]["chunks"]
    assert len(chunks) == 4
    failed = [chunk for chunk in chunks.values() if chunk["status"] == "failed"]
    assert len(failed) == 1 and "half written" in failed[0]["error"]
    assert Flag.objects.count() == len(everyone) - failed[0]["employees"]

    broken["employee"] = None
    calls.clear()
    with at_next_morning():
        second = nightly.run_night(DAY, trigger="test")
    assert second.state == NightlyRun.Status.DONE
    assert calls == [[pk for pk in everyone if failed[0]["first"] <= pk <= failed[0]["last"]]]
    assert Flag.objects.count() == len(everyone)
    with at_next_morning():
        assert nightly.run_night(DAY, trigger="test").state == "already-done"

    out = io.StringIO()
    with at_next_morning():
        call_command("nightly_status", "--days", "8", stdout=out)
    assert f"chunk #{failed[0]['first']}–#{failed[0]['last']}" in out.getvalue()
    assert "half written" in out.getvalue()


def test_the_run_log_page_shows_each_chunk(client, cast, settings, monkeypatch):
    settings.NIGHTLY_CHUNK_SIZE = 3

    def nothing(day: date, employee_ids: list[int] | None = None) -> int:
        return 0

    monkeypatch.setattr(registries.nightly_checks, "_entries", {})
    nightly.register("test.nothing")(nothing)
    with at_next_morning():
        run = nightly.run_night(DAY, trigger="test").run
        client.force_login(cast.hr.user)
        page = client.get(reverse("nightly_runs")).content.decode()
    assert len(run.checks["test.nothing"]["chunks"]) == 3
    for chunk in run.checks["test.nothing"]["chunks"].values():
        assert f"#{chunk['first']}–#{chunk['last']}" in page


def test_every_registered_check_gives_the_same_flags_in_chunks_as_whole(cast, settings):
    """The real checks on two like days (nobody punched or reported): whole on one, in chunks of 2 on the other."""
    other_day = date(2026, 11, 19)
    with at_next_morning():
        settings.NIGHTLY_CHUNK_SIZE = 0
        nightly.run_night(other_day, trigger="test", force=True)
        settings.NIGHTLY_CHUNK_SIZE = 2
        outcome = nightly.run_night(DAY, trigger="test", force=True)
    assert outcome.state == NightlyRun.Status.DONE
    whole = set(Flag.objects.filter(date=other_day).values_list("employee_id", "rule__code"))
    assert len(whole) > len(cast.__dict__)
    assert set(Flag.objects.filter(date=DAY).values_list("employee_id", "rule__code")) == whole
    chunked = [name for name, result in outcome.run.checks.items() if "chunks" in result]
    assert {"attendance.lateness", "worklog.missing_report", "worklog.unfinished_task"} <= set(chunked)
    assert len(outcome.run.checks["attendance.lateness"]["chunks"]) == 4


def test_the_missing_report_digest_is_one_message_for_the_whole_department_once_a_night(cast, settings, monkeypatch):
    from worklog import checks as worklog_checks

    posted = []
    monkeypatch.setattr(worklog_checks, "post_event", lambda key, **texts: posted.append((key, texts)))
    settings.NIGHTLY_CHUNK_SIZE = 2
    with at_next_morning():
        nightly.run_night(DAY, trigger="test", force=True)
        nightly.run_night(DAY, trigger="test", force=True)
    flagged = Flag.objects.filter(date=DAY, rule__code="missing-report").count()
    assert flagged >= 4
    assert len(posted) == 1
    key, texts = posted[0]
    assert key == "worklog.missing_reports" and f"{flagged}" in texts["text"]
    assert cast.employee.name in texts["personal_text"] and cast.outsider.name in texts["personal_text"]
