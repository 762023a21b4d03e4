"""attendance: what waits for a decision (opsdept.registries.awaiting_decision, from AttendanceConfig.ready())."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from opsdept import permissions, registries
from opsdept.models import RequestStatus

from .models import Correction, Overtime


def waiting(filed_before: date) -> list[registries.Waiting]:
    """Pending corrections and overtime filed before `filed_before`, with who decides them now."""
    found = []
    url = reverse("attendance:approvals")
    for model, text in ((Correction, _("%(name)s · punch correction for %(day)s")),
                        (Overtime, _("%(name)s · overtime on %(day)s"))):
        pending = (model.objects.select_related("employee", "employee__supervisor")
                   .filter(status=RequestStatus.PENDING, created_at__date__lt=filed_before).order_by("created_at"))
        for request in pending:
            decider = permissions.routed_approver(request.employee)[0]
            if decider is not None:
                found.append(registries.Waiting(decider=decider, url=url,
                                                text=text % {"name": request.employee.name, "day": request.date.isoformat()}))
    return found


def register() -> None:
    registries.awaiting_decision.register("attendance", waiting)
