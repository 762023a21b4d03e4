"""The worklog demo: a week of reports with gaps, tasks in every state; a second run changes nothing."""

from io import StringIO

from django.core.management.base import OutputWrapper

from discipline.models import Flag
from opsdept import demo as people_demo
from opsdept import nightly
from worklog import demo
from worklog.models import DailyReport, Task, TaskFeedback


def test_demo_is_idempotent_and_gives_the_nightly_checks_findings(db, clock):
    out = OutputWrapper(StringIO())
    people_demo.seed(out)
    demo.seed(out)
    counts = (DailyReport.objects.count(), Task.objects.count(), TaskFeedback.objects.count())
    assert counts[0] > 40 and counts[1] == 8 and counts[2] == 1
    assert DailyReport.objects.exclude(comment="").exists()
    assert set(Task.objects.values_list("status", flat=True)) == {"open", "done"}
    demo.seed(out)
    assert (DailyReport.objects.count(), Task.objects.count(), TaskFeedback.objects.count()) == counts
    last_workday = DailyReport.objects.order_by("-date").values_list("date", flat=True).first()
    nightly.run_for_date(last_workday)
    # Only worklog's findings: attendance's check also runs and flags the demo people who did not punch.
    rules = set(Flag.objects.filter(date=last_workday).exclude(source="attendance.lateness").values_list("rule__code", flat=True))
    assert rules == {"missing-report", "same-day-unfinished"}
