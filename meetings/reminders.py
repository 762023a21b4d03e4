"""meetings: the 9:50 reminder of the day's meeting (opsdept.registries.reminders, from MeetingsConfig.ready()).

    meetings.upcoming   09:50  the meeting at 10:00 today (the Monday meeting, or the day it moved to):
                               each expected member not yet checked in or excused, once per meeting.
"""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import registries
from opsdept.notify import Message

from . import selectors
from .models import Meeting, MeetingAttendance

UPCOMING = "meetings.upcoming"


def upcoming_due(day: date) -> list[registries.Due]:
    """Who to remind at 9:50 of a meeting starting later on `day`: expected, not checked in, not excused
    (approved leave: the sender also leaves out anyone on leave that day)."""
    found = []
    for meeting in Meeting.objects.filter(date=day, status=Meeting.Status.SCHEDULED).order_by("starts_at"):
        members = selectors.expected_members(meeting)
        ids = [member.pk for member in members]
        done = set(MeetingAttendance.objects.filter(meeting=meeting, employee_id__in=ids).values_list("employee_id", flat=True))
        done |= selectors.excused_ids(meeting, ids)
        opens = timezone.localtime(selectors.checkin_window(meeting)[0])
        starts = timezone.localtime(meeting.starts_at)
        url = reverse("meetings:detail", kwargs={"pk": meeting.pk})
        for member in members:
            if member.pk in done:
                continue
            found.append(registries.Due(
                employee=member, key=f"{UPCOMING}:{meeting.pk}:{member.pk}", url=url,
                subject=Message(gettext_lazy("%(title)s starts at %(start)s; check in from %(opens)s"), **{
                    "title": meeting.title, "start": f"{starts:%H:%M}", "opens": f"{opens:%H:%M}"})))
    return found


def register() -> None:
    registries.reminders.register(UPCOMING, registries.Reminder(
        label=gettext_lazy("09:50 · the Monday meeting at 10:00 (check-in opens at 9:55)"), at="09:50", due=upcoming_due),
        order=40)
