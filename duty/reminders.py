"""duty: the reminder of one's duty days (opsdept.registries.reminders, from DutyConfig.ready()).

    duty.tomorrow   17:00  on a workday, your published duty shifts from tomorrow up to the next
                           workday (a holiday's duty days are told on the last workday before it),
                           once per person and workday.
"""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import registries, workcalendar
from opsdept.notify import Message

from .models import DutyAssignment, DutyRoster
from .services import MAX_PERIOD_DAYS

TOMORROW = "duty.tomorrow"


def tomorrow_due(day: date) -> list[registries.Due]:
    """Everyone on duty after `day` up to the next workday (inclusive), one message each listing the dates."""
    infos = workcalendar.days_between(day + timedelta(days=1), day + timedelta(days=MAX_PERIOD_DAYS + 15))
    following = next((info.date for info in infos if info.is_workday), infos[-1].date)
    mine: dict[int, list[DutyAssignment]] = {}
    for assignment in (DutyAssignment.objects.filter(
            is_active=True, shift__day__roster__status=DutyRoster.Status.PUBLISHED,
            shift__day__date__gt=day, shift__day__date__lte=following)
            .select_related("employee", "employee__user", "shift__day").order_by("shift__day__date", "shift__start_time")):
        mine.setdefault(assignment.employee_id, []).append(assignment)
    found = []
    for assignments in mine.values():
        first = assignments[0]
        shifts = "、".join(f"{a.shift.day.date:%m-%d} {a.shift.start_time:%H:%M}–{a.shift.end_time:%H:%M}" for a in assignments)
        found.append(registries.Due(
            employee=first.employee, key=f"{TOMORROW}:{first.employee_id}:{day.isoformat()}",
            subject=Message(gettext_lazy("Reminder: you are on holiday duty on %(days)s"), **{"days": shifts}),
            url=reverse("duty:roster_detail", args=[first.shift.day.roster_id])))
    return found


def register() -> None:
    registries.reminders.register(TOMORROW, registries.Reminder(
        label=gettext_lazy("17:00 · your duty day tomorrow (a holiday's duty days on the workday before it)"),
        at="17:00", due=tomorrow_due), order=60)
