"""An operator's forced rerun of a finished night (issue 16): a chunk whose facts did not change since the run
that finished it is left as it was; a chunk whose punches, tasks, leave … changed is recomputed, and so is every
chunk after a change to a setting, the calendar, a rule or the code (opsdept.facts)."""

from datetime import date, datetime, time, timedelta
import io
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import AttendanceDay, DayStatus, Punch
from discipline.models import Flag, Rule
from opsdept import facts, nightly, registries
from opsdept.models import CalendarOverride, Employee, NightlyRun, WorkSchedule
from opsdept.registries import CheckResult
from tests.attendance.factories import local, punch_day
from tests.worklog.factories import DailyReportFactory, TaskFactory
from worklog.models import DailyReport

DAY = date(2026, 11, 20)  # a Friday workday
NEXT_MORNING = datetime(2026, 11, 21, 2, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WITH_FACTS = ("attendance.lateness", "attendance.unrequested_overtime", "worklog.missing_report", "worklog.unfinished_task")


@pytest.fixture
def night(cast, settings):
    """Everyone punched on time and reported on DAY; the night ran once, in chunks of two people."""
    settings.NIGHTLY_CHUNK_SIZE = 2
    for employee in Employee.objects.all():
        punch_day(employee, DAY.isoformat(), "08:50", "18:05")
        DailyReportFactory(employee=employee, date=DAY)
    assert rerun().state == NightlyRun.Status.DONE
    return cast


def rerun(**kwargs) -> nightly.Outcome:
    with mock.patch("django.utils.timezone.now", return_value=NEXT_MORNING):
        return nightly.run_night(DAY, trigger="test", force=True, **kwargs)


def recomputed(outcome: nightly.Outcome, name: str) -> list[str]:
    """The chunks of `name` this attempt ran again (the others it left: their facts had not changed)."""
    chunks = outcome.run.checks[name]["chunks"]
    assert all(chunk["status"] == "done" for chunk in chunks.values())
    return sorted(key for key, chunk in chunks.items() if not chunk.get("unchanged"))


def move_morning_punch(employee: Employee, clock: str) -> None:
    morning = Punch.objects.filter(employee=employee, local_date=DAY).order_by("at").first()
    Punch.objects.filter(pk=morning.pk).update(at=local(f"{DAY} {clock}"))


def chunk_of(outcome: nightly.Outcome, name: str, employee: Employee) -> str:
    return next(key for key, chunk in outcome.run.checks[name]["chunks"].items()
                if chunk["first"] <= employee.pk <= chunk["last"])


def test_a_forced_rerun_of_an_unchanged_night_recomputes_no_chunk(night):
    flags, days = Flag.objects.count(), list(AttendanceDay.objects.values_list("pk", "computed_at"))
    outcome = rerun()
    assert outcome.state == NightlyRun.Status.DONE
    for name in WITH_FACTS:
        assert len(outcome.run.checks[name]["chunks"]) == 4
        assert recomputed(outcome, name) == []
    # The checks that declare no facts ran as ever.
    assert "chunks" not in outcome.run.checks["attendance.comp_time"]
    assert outcome.run.checks["attendance.comp_time"]["status"] == "done"
    assert Flag.objects.count() == flags
    assert list(AttendanceDay.objects.values_list("pk", "computed_at")) == days


def test_a_punch_added_in_one_chunk_is_judged_on_the_forced_rerun_and_the_others_are_left(night):
    first = rerun()
    # The punch machine's clock was fixed and its import corrected in the store (no reconcile): only the
    # forced rerun can see that the morning punch was 09:40.
    move_morning_punch(night.employee, "09:40")
    outcome = rerun()
    changed = chunk_of(outcome, "attendance.lateness", night.employee)
    assert recomputed(outcome, "attendance.lateness") == [changed]
    assert recomputed(outcome, "attendance.unrequested_overtime") == [changed]
    assert recomputed(outcome, "worklog.missing_report") == []
    day = AttendanceDay.objects.get(employee=night.employee, date=DAY)
    assert (day.status, day.late_minutes) == (DayStatus.LATE, 40)
    assert list(Flag.objects.filter(date=DAY).values_list("employee_id", "rule__code")) == [(night.employee.pk, "late")]
    assert outcome.run.checks["attendance.lateness"]["chunks"][changed]["flags"] == 1
    # The chunks left keep the findings the run that judged them found.
    assert outcome.run.checks["attendance.lateness"]["findings"] == 1
    assert first.run.checks["attendance.lateness"].get("findings", 0) == 0


def test_a_task_given_in_one_chunk_is_flagged_on_the_forced_rerun(night):
    TaskFactory(assignee=night.outsider, assigned_by=night.other_supervisor, due_date=DAY)
    outcome = rerun()
    assert recomputed(outcome, "worklog.unfinished_task") == [chunk_of(outcome, "worklog.unfinished_task", night.outsider)]
    assert recomputed(outcome, "attendance.lateness") == []
    assert list(Flag.objects.filter(date=DAY).values_list("employee_id", "rule__code")) == [
        (night.outsider.pk, "same-day-unfinished")]


def test_a_report_moved_to_another_date_is_seen_in_its_chunk_only(night):
    DailyReport.objects.filter(employee=night.clerk, date=DAY).update(date=DAY - timedelta(days=1))
    outcome = rerun()
    assert recomputed(outcome, "worklog.missing_report") == [chunk_of(outcome, "worklog.missing_report", night.clerk)]
    assert list(Flag.objects.filter(date=DAY).values_list("employee_id", "rule__code")) == [(night.clerk.pk, "missing-report")]


def test_a_changed_schedule_recomputes_every_chunk(night):
    schedule = WorkSchedule.current()
    schedule.start_time = time(8, 30)
    schedule.save()
    outcome = rerun()
    for name in WITH_FACTS:
        assert len(recomputed(outcome, name)) == 4
    assert Flag.objects.filter(date=DAY, rule__code="late").count() == Employee.objects.count()


def test_a_calendar_override_recomputes_every_chunk(night, cast):
    CalendarOverride.objects.create(date=DAY, kind=CalendarOverride.Kind.HOLIDAY, note="公司庆典")
    outcome = rerun()
    for name in WITH_FACTS:
        assert len(recomputed(outcome, name)) == 4
    assert not AttendanceDay.objects.filter(date=DAY).exists()


def test_a_changed_rule_or_code_recomputes_every_chunk(night, monkeypatch):
    Rule.objects.filter(code="late").update(title="迟到（修订）")
    changed, again = rerun(), rerun()
    monkeypatch.setattr(facts, "code_version", lambda: "a fixed bug")
    deployed = rerun()
    for name in WITH_FACTS:
        assert len(recomputed(changed, name)) == 4
        assert recomputed(again, name) == []
        assert len(recomputed(deployed, name)) == 4


def test_a_fact_changed_back_is_recomputed_against_the_latest_run(night):
    """The latest run that finished a chunk is the reference: facts that went A → B → A are judged again."""
    move_morning_punch(night.employee, "09:40")
    assert len(recomputed(rerun(), "attendance.lateness")) == 1
    move_morning_punch(night.employee, "08:50")
    assert len(recomputed(rerun(), "attendance.lateness")) == 1
    assert AttendanceDay.objects.get(employee=night.employee, date=DAY).status == DayStatus.NORMAL
    assert recomputed(rerun(), "attendance.lateness") == []


def test_a_chunked_check_without_facts_is_always_recomputed(night, monkeypatch):
    calls: list[list[int]] = []

    def count_calls(day: date, employee_ids: list[int] | None = None) -> int:
        calls.append(list(employee_ids))
        return CheckResult(0, findings=0)

    monkeypatch.setattr(registries.nightly_checks, "_entries", dict(registries.nightly_checks._entries))
    nightly.register("test.no_facts")(count_calls)
    rerun()
    calls.clear()
    outcome = rerun()
    assert len(calls) == 4
    assert recomputed(outcome, "test.no_facts") == sorted(outcome.run.checks["test.no_facts"]["chunks"])
    assert recomputed(outcome, "attendance.lateness") == []


def test_the_fingerprint_takes_every_querysets_rows_in_one_query(night):
    ids = list(Employee.objects.order_by("pk").values_list("pk", flat=True))
    checks = facts.declared(registries.nightly_checks.items())
    assert set(WITH_FACTS) <= set(checks)
    before = facts.fingerprints(checks, DAY, ids)  # warm: the calendar package, the code version
    with CaptureQueriesContext(connection) as captured:
        assert facts.fingerprints(checks, DAY, ids) == before
    sqls = [query["sql"] for query in captured]
    # The schedule, HR's attendance settings, the calendar's overrides and the providers' covers (leave, trips,
    # duty) as the checks read them; then the rows of the nine querysets, digested by PostgreSQL in one query.
    digests = 1 if connection.vendor == "postgresql" else 9
    assert len(sqls) == 6 + digests, "\n".join(sql[:200] for sql in sqls)
    assert facts.fingerprints(checks, DAY, ids[:-1]) != before


def test_the_command_recomputes_every_chunk_when_asked_for_everything(night):
    with mock.patch("django.utils.timezone.now", return_value=NEXT_MORNING):
        call_command("run_nightly_checks", "--date", DAY.isoformat(), "--everything", stdout=io.StringIO())
    outcome_run = NightlyRun.objects.filter(date=DAY).latest("pk")
    for name in WITH_FACTS:
        assert all(not chunk.get("unchanged") for chunk in outcome_run.checks[name]["chunks"].values())
