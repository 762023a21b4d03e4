"""leave: nightly checks."""

from datetime import date

from django.utils.translation import gettext as _

from discipline.services import Finding, raise_flags
from opsdept import nightly
from opsdept.notify import department_language
from opsdept.registries import CheckResult

from .selectors import overdue_slips


@nightly.register("leave.late_slip")
def check_late_slips(day: date) -> int:
    """Flag emergency leave whose written request (补交假条) was not handed in by its due date.

    The flag is dated on the due date, so re-running any later night finds it and adds nothing.
    """
    with department_language():
        findings = [
            Finding(leave.employee, leave.slip_due, "late-leave-slip",
                    _("Emergency leave from %(start)s: the written request was due by %(due)s.")
                    % {"start": leave.start_date, "due": leave.slip_due}, "leave.late_slip")
            for leave in overdue_slips(day)
        ]
    raised = raise_flags(findings)
    return CheckResult(len(raised), findings=len(findings))
