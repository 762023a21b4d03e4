"""Demo data for the meetings chapter, loaded by `manage.py seed_demo` (idempotent).

The weekly meetings from last week to four weeks ahead (moved off holidays like the real
schedule). Last week's meeting: everyone checked in, 周婷 late with an explanation the
clerk acknowledged, 何丽 absent (seed_demo's nightly run flags her), published minutes
with two action items that became work-log tasks (one done, one open). This week's
meeting, once it has begun: check-ins, 孙悦 late with an explanation still to acknowledge.
Past check-ins are written directly: the services only accept the present moment.
"""

from datetime import datetime, timedelta

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from opsdept import registries, workcalendar
from opsdept.models import Employee

from . import selectors, services
from .models import ActionItem, AttendanceStatus, Meeting, MeetingAttendance, Minutes, MinutesVersion

LATE_LAST_WEEK, ABSENT_LAST_WEEK, LATE_THIS_WEEK = "zhouting", "heli", "sunyue"
TOPICS = "1. 各组汇报上周工作进展与问题\n2. 双十二活动准备情况\n3. 客服工单积压的处理"
DECISIONS = "1. 双十二活动海报本周三前定稿\n2. 客服组每日下班前清零当日工单，无法清零的当天反馈主管"


def _at(moment: datetime, minutes: int) -> datetime:
    return moment + timedelta(minutes=minutes)


def _check_everyone_in(meeting: Meeting, clerk: Employee, late: str, absent: str | None, acknowledged: bool) -> int:
    if MeetingAttendance.objects.filter(meeting=meeting).exists():
        return 0
    members = selectors.expected_members(meeting)
    excused = selectors.excused_ids(meeting, [e.pk for e in members])
    rows = []
    for number, employee in enumerate(members):
        username = employee.user.username
        if employee.pk in excused or username == absent:
            continue
        if username == late:
            rows.append(MeetingAttendance(
                meeting=meeting, employee=employee, status=AttendanceStatus.LATE, source=MeetingAttendance.Source.PAGE,
                checked_in_at=_at(meeting.starts_at, 7), explanation="地铁故障，临时改乘公交，已提前在群里告知。",
                explained_at=_at(meeting.starts_at, 70),
                acknowledged_by=clerk if acknowledged else None,
                acknowledged_at=_at(meeting.starts_at, 90) if acknowledged else None,
            ))
        else:
            rows.append(MeetingAttendance(
                meeting=meeting, employee=employee, status=AttendanceStatus.PRESENT,
                source=MeetingAttendance.Source.QR if number % 3 else MeetingAttendance.Source.PAGE,
                checked_in_at=_at(meeting.starts_at, -5 + number % 5),
            ))
    MeetingAttendance.objects.bulk_create(rows)
    return len(rows)


def _publish_last_week(meeting: Meeting, clerk: Employee, people: dict[str, Employee]) -> int:
    minutes = services.minutes_for(meeting)
    if minutes.is_published:
        return 0
    Minutes.objects.filter(pk=minutes.pk).update(topics=TOPICS, decisions=DECISIONS, updated_by=clerk)
    minutes.refresh_from_db()
    assigner = registries.task_assigners.get("worklog")
    today = timezone.localdate()
    first_due = today if workcalendar.is_workday(today) else workcalendar.add_workdays(today, 1)
    plan = [("sunyue", "双十二活动海报定稿", first_due, True), ("liuyang", "整理积压工单并给出清零计划", workcalendar.add_workdays(first_due, 2), False)]
    for owner, title, due, done in plan:
        if owner not in people:
            continue
        item = ActionItem.objects.create(minutes=minutes, owner=people[owner], title=title, due_date=due)
        if assigner is not None:
            task = assigner.assign(item.owner, title, due, actor=clerk.user, source=services._source(meeting))
            ActionItem.objects.filter(pk=item.pk).update(task_id=task.pk)
            if done:
                assigner.complete(task.pk, actor=item.owner.user)
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.PUBLISHED, published_by=clerk, published_at=_at(meeting.starts_at, 120), version=1,
    )
    minutes.refresh_from_db()
    MinutesVersion.objects.create(minutes=minutes, number=1, content=services._minutes_content(minutes),
                                  changes={"status": ["draft", "published"]}, saved_by=clerk)
    return 1


@transaction.atomic
def seed(stdout: OutputWrapper) -> None:
    people = {e.user.username: e for e in Employee.objects.select_related("user").filter(is_active=True)}
    clerk = next((e for e in people.values() if e.is_meeting_clerk), None)
    if clerk is None:
        stdout.write("  meetings: no demo clerk; skipped")
        return
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    planned = services.plan_weekly_meetings(this_monday - timedelta(weeks=1), weeks=services.PLAN_WEEKS_AHEAD + 1,
                                            include_past=True)
    now = timezone.now()
    checked = published = 0
    last_week = Meeting.objects.filter(kind=Meeting.Kind.WEEKLY, week_of=this_monday - timedelta(weeks=1)).first()
    if last_week is not None and last_week.starts_at < now:
        checked += _check_everyone_in(last_week, clerk, LATE_LAST_WEEK, ABSENT_LAST_WEEK, acknowledged=True)
        published += _publish_last_week(last_week, clerk, people)
    this_week = Meeting.objects.filter(kind=Meeting.Kind.WEEKLY, week_of=this_monday).first()
    if this_week is not None and this_week.starts_at < now:
        checked += _check_everyone_in(this_week, clerk, LATE_THIS_WEEK, None, acknowledged=False)
        if this_week.date < today:
            minutes = services.minutes_for(this_week)
            if not minutes.is_published:
                Minutes.objects.filter(pk=minutes.pk).update(
                    topics="1. 各组汇报本周工作计划", decisions="1. 按计划推进", status=Minutes.Status.PUBLISHED,
                    published_by=clerk, published_at=_at(this_week.starts_at, 90), version=1, updated_by=clerk)
                minutes.refresh_from_db()
                MinutesVersion.objects.create(minutes=minutes, number=1, content=services._minutes_content(minutes),
                                              changes={"status": ["draft", "published"]}, saved_by=clerk)
                published += 1
    stdout.write(f"  meetings: {planned} meetings planned, {checked} check-ins, {published} minutes published")

