"""attendance: corrections and overtime escalate when stuck (opsdept.registries.escalations, from AttendanceConfig.ready()).

opsdept.approvals escalates them and lists them in the 9:00 digest of what waits on whom.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from opsdept import registries

from .models import Correction, Overtime


def describe_correction(correction: Correction) -> str:
    return _("%(name)s · punch correction for %(day)s") % {"name": correction.employee.name, "day": correction.date.isoformat()}


def describe_overtime(overtime: Overtime) -> str:
    return _("%(name)s · overtime on %(day)s") % {"name": overtime.employee.name, "day": overtime.date.isoformat()}


def _approvals_url(_request: object) -> str:
    return reverse("attendance:approvals")


def register() -> None:
    registries.escalations.register("attendance.correction", registries.Escalation(
        model=Correction, describe=describe_correction, url=_approvals_url, starts=None), order=10)
    registries.escalations.register("attendance.overtime", registries.Escalation(
        model=Overtime, describe=describe_overtime, url=_approvals_url, starts="date"), order=11)
