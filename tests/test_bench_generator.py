"""The benchmarks' generator stays runnable and means what it says (a small department)."""

from django.db.models import Count
import pytest

from attendance.models import Correction, Overtime, Punch
from leave.models import LeaveRequest
from opsdept.models import Employee, RequestStatus
from tests.bench.generator import generate
from worklog.models import DailyReport


@pytest.mark.django_db
def test_generated_department_has_teams_of_fifty_and_a_month_of_facts():
    made = generate(160, history=5, night_punch_rate=0.0, night_report_rate=0.0)
    people = Employee.objects.filter(pk__in=made.employee_ids)
    assert people.count() == 160
    assert people.filter(role=Employee.Role.MANAGER).count() == 1
    assert made.supervisor.reports.count() == 50
    assert max(people.values("supervisor").annotate(n=Count("pk")).values_list("n", flat=True)) <= 50
    assert len(made.workdays) == 5 and made.workdays[-1] == made.night
    punched_days = set(Punch.objects.values_list("local_date", flat=True).distinct())
    assert punched_days == set(made.workdays[:-1])          # nobody punched on the bad night
    assert not DailyReport.objects.filter(date=made.night).exists()
    assert DailyReport.objects.filter(date=made.workdays[0]).count() > 120


@pytest.mark.django_db
def test_generated_department_has_requests_waiting_in_the_approval_queues(client):
    made = generate(400, history=3, pending_rate=0.05)
    for model, name in ((LeaveRequest, "pending leave"), (Overtime, "pending overtime"), (Correction, "pending corrections")):
        waiting = model.objects.filter(status=RequestStatus.PENDING, employee_id__in=made.employee_ids)
        assert waiting.count() == made.counts[name] > 5, name
    # They reach the queue of the supervisor whose team filed them.
    client.force_login(made.supervisor.user)
    team = set(made.supervisor.reports.values_list("pk", flat=True))
    expected = Overtime.objects.filter(status=RequestStatus.PENDING, employee_id__in=team).count()
    assert expected > 0
    assert client.get("/attendance/approvals/").content.decode().count('data-testid="overtime-row"') == expected


@pytest.mark.django_db
def test_generator_is_reproducible():
    first = generate(40, history=3, prefix="a")
    second = generate(40, history=3, prefix="b")
    assert first.counts == second.counts
