"""leave: its reminders and what waits for a decision (opsdept.registries, from LeaveConfig.ready()).

    leave.written_slip   09:00  the written request of an emergency leave is due the next workday
    escalations "leave.request", "leave.trip": stuck requests go a level up; the 9:00 digest lists them
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from opsdept import audit, registries, workcalendar
from opsdept.notify import Message

from .models import BusinessTrip, LeaveRequest

WRITTEN_SLIP = "leave.written_slip"


def written_slip_due(day: date) -> list[registries.Due]:
    """Emergency leave whose written request is due by the next workday and is not handed in."""
    tomorrow = workcalendar.add_workdays(day, 1)
    due = (LeaveRequest.objects.select_related("employee", "employee__user")
           .filter(is_emergency=True, status=LeaveRequest.Status.APPROVED, slip_submitted_at__isnull=True,
                   slip_due__gt=day, slip_due__lte=tomorrow))
    return [registries.Due(
        employee=leave.employee, key=f"{WRITTEN_SLIP}:{leave.pk}",
        subject=Message(gettext_lazy("Hand in the written request for your emergency leave by %(day)s"), **{"day": leave.slip_due.isoformat()}),
        url=reverse("leave:detail", kwargs={"pk": leave.pk}),
    ) for leave in due]


def register() -> None:
    registries.reminders.register(WRITTEN_SLIP, registries.Reminder(
        label=gettext_lazy("09:00 · the written request for an emergency leave, due the next workday"),
        at="09:00", due=written_slip_due), order=20)
    # Leave requests and business trips escalate when stuck, and the 9:00 digest lists them (opsdept.approvals).
    from .services import describe_leave, describe_trip

    registries.escalations.register("leave.request", registries.Escalation(
        model=LeaveRequest, describe=describe_leave, url=lambda leave: reverse("leave:detail", kwargs={"pk": leave.pk}),
        related=("employee", "leave_type"), action=audit.Action.LEAVE_ESCALATED), order=20)
    registries.escalations.register("leave.trip", registries.Escalation(
        model=BusinessTrip, describe=describe_trip, url=lambda trip: reverse("leave:trips")), order=21)
