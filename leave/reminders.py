"""leave: its reminders and what waits for a decision (opsdept.registries, from LeaveConfig.ready()).

    leave.written_slip   09:00  the written request of an emergency leave is due the next workday
    awaiting_decision "leave": pending requests and who decides them now (for the 9:00 digest)
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import permissions, registries, workcalendar

from .models import LeaveRequest

WRITTEN_SLIP = "leave.written_slip"


def written_slip_due(day: date) -> list[registries.Due]:
    """Emergency leave whose written request is due by the next workday and is not handed in."""
    tomorrow = workcalendar.add_workdays(day, 1)
    due = (LeaveRequest.objects.select_related("employee", "employee__user")
           .filter(is_emergency=True, status=LeaveRequest.Status.APPROVED, slip_submitted_at__isnull=True,
                   slip_due__gt=day, slip_due__lte=tomorrow))
    return [registries.Due(
        employee=leave.employee, key=f"{WRITTEN_SLIP}:{leave.pk}",
        subject=_("Hand in the written request for your emergency leave by %(day)s") % {"day": leave.slip_due.isoformat()},
        url=reverse("leave:detail", kwargs={"pk": leave.pk}),
    ) for leave in due]


def waiting(filed_before: date) -> list[registries.Waiting]:
    pending = (LeaveRequest.objects.select_related("employee", "employee__supervisor", "leave_type", "escalated_to")
               .filter(status=LeaveRequest.Status.PENDING, created_at__date__lt=filed_before).order_by("created_at"))
    found = []
    for leave in pending:
        decider = leave.escalated_to or permissions.routed_approver(leave.employee, leave.start_date)[0]
        if decider is not None:
            found.append(registries.Waiting(
                decider=decider, url=reverse("leave:detail", kwargs={"pk": leave.pk}),
                text=_("%(name)s · %(type)s from %(day)s") % {
                    "name": leave.employee.name, "type": leave.leave_type.display_name, "day": leave.start_date.isoformat()}))
    return found


def register() -> None:
    registries.reminders.register(WRITTEN_SLIP, registries.Reminder(
        label=gettext_lazy("09:00 · the written request for an emergency leave, due the next workday"),
        at="09:00", due=written_slip_due), order=20)
    registries.awaiting_decision.register("leave", waiting)
