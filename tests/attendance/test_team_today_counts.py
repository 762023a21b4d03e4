"""The team-today summary counts each person as their row states them (selectors.team_today_counts writes
`_today_state` out for 10,000 people, issue 16), at the minute boundaries of lateness too."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
import pytest

from attendance import selectors
from attendance.days import LOCAL_ZONE
from leave.models import Half, LeaveRequest
from opsdept.models import Employee, WorkSchedule
from tests.attendance.factories import PunchFactory
from tests.factories import EmployeeFactory
from tests.leave.factories import LeaveRequestFactory

DAY = date(2026, 10, 12)


@pytest.mark.parametrize("grace", [0, 5])
def test_the_summary_counts_what_the_rows_state(cast, grace):
    schedule = WorkSchedule.current()
    schedule.grace_minutes = grace
    schedule.save()
    threshold = datetime.combine(DAY, time(9, 0), tzinfo=LOCAL_ZONE) + timedelta(minutes=grace)
    firsts = [threshold - timedelta(minutes=1), threshold, threshold + timedelta(seconds=59),
              threshold + timedelta(seconds=60), threshold + timedelta(minutes=1, microseconds=1), threshold + timedelta(hours=2)]
    people = []
    for moment in firsts:
        member = EmployeeFactory(supervisor=cast.supervisor, department=cast.employee.department)
        PunchFactory(employee=member, at=moment)
        PunchFactory(employee=member, at=moment.replace(hour=18))
        people.append(member)
    half_day = EmployeeFactory(supervisor=cast.supervisor, department=cast.employee.department)
    PunchFactory(employee=half_day, at=threshold + timedelta(hours=4))
    LeaveRequestFactory(employee=half_day, start_date=DAY, end_half=Half.MORNING, days=Decimal("0.5"),
                        status=LeaveRequest.Status.APPROVED)
    user = get_user_model().objects.get(pk=cast.supervisor.user_id)
    team = selectors.team_today_queryset(user)
    overall, departments = selectors.team_today_counts(team, DAY)
    rows = selectors.team_today(user, DAY, list(team))
    stated = {state: sum(row["state"] == state for row in rows) for state in ("in", "late", "leave", "waiting")}
    assert overall.states == stated and overall.people == len(rows) == sum(item.people for item in departments)
    late = {row["employee"].pk for row in rows if row["state"] == "late"}
    assert late == {people[3].pk, people[4].pk, people[5].pk}   # from the minute after the threshold on
    assert half_day.pk not in late and cast.employee.pk not in late
    assert Employee.objects.filter(pk__in=[row["employee"].pk for row in rows]).count() == len(rows)
