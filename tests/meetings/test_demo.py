"""The meetings demo: last week's and this week's meetings with check-ins, a late member with an
acknowledged explanation, an absent member the nightly check flags, published minutes with two action items."""

from datetime import date, timedelta
from io import StringIO

from django.core.management.base import OutputWrapper

from discipline.models import Flag
from meetings.models import ActionItem, AttendanceStatus, Meeting, MeetingAttendance, Minutes
from opsdept import demo as people_demo
from opsdept import nightly, registries
from worklog.models import Task

from .conftest import at

WEDNESDAY = date(2026, 11, 25)


def test_demo_is_idempotent_and_the_night_flags_the_absent_member(db, clock):
    clock(at(15, 0, day=WEDNESDAY))
    out = OutputWrapper(StringIO())
    people_demo.seed(out)
    seed = registries.demo_seeders.get("meetings").seed
    seed(out)
    last_week = Meeting.objects.get(week_of=date(2026, 11, 16))
    this_week = Meeting.objects.get(week_of=date(2026, 11, 23))
    late = MeetingAttendance.objects.get(meeting=last_week, status=AttendanceStatus.LATE)
    assert late.employee.name == "周婷" and late.is_acknowledged
    assert not MeetingAttendance.objects.filter(meeting=last_week, employee__name="何丽").exists()
    assert MeetingAttendance.objects.filter(meeting=this_week).exists()
    minutes = Minutes.objects.get(meeting=last_week)
    assert minutes.is_published
    tasks = Task.objects.filter(pk__in=ActionItem.objects.filter(minutes=minutes).values("task_id"))
    assert sorted(tasks.values_list("status", flat=True)) == ["done", "open"]
    counts = (Meeting.objects.count(), MeetingAttendance.objects.count(), ActionItem.objects.count(), Task.objects.count())
    seed(out)
    assert (Meeting.objects.count(), MeetingAttendance.objects.count(), ActionItem.objects.count(), Task.objects.count()) == counts
    nightly.run_for_date(last_week.date)
    flagged = set(Flag.objects.filter(date=last_week.date, rule__code="meeting-absent").values_list("employee__name", flat=True))
    assert flagged == {"何丽"}
    assert not Flag.objects.filter(rule__code="minutes-missing").exists()
    assert Meeting.objects.filter(date__gt=WEDNESDAY).count() == 3 and last_week.date == WEDNESDAY - timedelta(days=9)
