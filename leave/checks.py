"""leave: nightly checks."""

from datetime import date

from django.utils.translation import gettext as _

from discipline.services import raise_flag
from opsdept import nightly
from opsdept.registries import CheckResult

from .selectors import overdue_slips


@nightly.register("leave.late_slip")
def check_late_slips(day: date) -> int:
    """Flag emergency leave whose written request (补交假条) was not handed in by its due date.

    The flag is dated on the due date, so re-running any later night finds it and adds nothing.
    """
    raised = found = 0
    for leave in overdue_slips(day):
        found += 1
        _flag, created = raise_flag(
            leave.employee, day=leave.slip_due, rule_code="late-leave-slip", source="leave.late_slip",
            details=_("Emergency leave from %(start)s: the written request was due by %(due)s.")
            % {"start": leave.start_date, "due": leave.slip_due},
        )
        raised += int(created)
    return CheckResult(raised, findings=found)
