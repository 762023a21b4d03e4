"""Business-date bounds (opsdept/bounds.py): far-off dates get a clear Chinese reason, never a 500,
and nothing is written — in forms, in services and in the commands."""

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from attendance import services as attendance_services
from attendance.models import Correction, Overtime, Punch
from leave.models import LeaveRequest
from opsdept import bounds
from opsdept.bounds import DateOutOfBounds, Kind
from worklog.models import Task

TODAY = date(2026, 11, 27)


def test_the_windows_by_kind(cast):
    cast.employee.hire_date = date(2020, 3, 1)
    assert bounds.window(Kind.PAST, employee=cast.employee, today=TODAY) == (date(2019, 3, 1), TODAY)
    assert bounds.window(Kind.EMPLOYMENT, employee=cast.employee, today=TODAY) == (date(2019, 3, 1), date(2028, 11, 27))
    assert bounds.window(Kind.FUTURE, today=TODAY) == (TODAY, date(2028, 11, 27))
    assert bounds.window(Kind.VIEW, today=TODAY) == (date(2000, 1, 1), date(2028, 11, 27))
    with pytest.raises(DateOutOfBounds) as refused, translation.override("zh-hans"):
        bounds.check_date(date(1990, 1, 1), kind=Kind.EMPLOYMENT, employee=cast.employee, today=TODAY)
    assert "入职" in refused.value.message


def test_months_run_from_2000_to_this_month():
    assert bounds.parse_month("2026-11", today=TODAY) == (2026, 11)
    for bad in ["0000-01", "9999-12", "2026-12", "1999-12", "2026-13", "２０２６-01", "2026-1", "x"]:
        with pytest.raises(DateOutOfBounds):
            bounds.parse_month(bad, today=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["0000-01", "9999-12"])
def test_the_export_page_refuses_far_months(cast, client, month):
    client.force_login(cast.hr.user)
    response = client.get(reverse("attendance:export"), {"month": month, "format": "csv"})
    assert response.status_code == 200
    assert "月份" in response.content.decode()


@pytest.mark.django_db
def test_the_export_command_refuses_far_months(cast, tmp_path):
    for month in ["0000-01", "9999-12", "٢٠٢٦-01"]:
        with pytest.raises(CommandError):
            call_command("export_attendance", "--month", month, "--format", "csv", "--output", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.django_db
def test_team_reports_for_9999_12_31_answer_with_a_reason(cast, client):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("worklog:team_reports"), {"date": "9999-12-31"})
    assert response.status_code == 200
    assert "请输入" in response.content.decode()


@pytest.mark.django_db
def test_a_task_due_9999_12_31_is_refused(cast, client):
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("worklog:task_create"), {
        "assignee": cast.employee.employee_no, "title": "远期任务", "detail": "", "due_date": "9999-12-31"})
    assert response.status_code == 200
    assert not Task.objects.exists()
    from worklog.services import assign_task
    with pytest.raises(DateOutOfBounds):
        assign_task(cast.employee.pk, actor=cast.supervisor.user, title="远期", due_date=date(9999, 12, 31))


@pytest.mark.django_db
def test_a_correction_dated_0001_01_01_is_refused(cast, client):
    client.force_login(cast.employee.user)
    response = client.post(reverse("attendance:corrections"), {"date": "0001-01-01", "time": "09:00", "reason": "忘了"})
    assert response.status_code == 200
    assert not Correction.objects.exists()
    with pytest.raises(DateOutOfBounds):
        attendance_services.request_correction(actor=cast.employee.user, day=date(1, 1, 1), clock=time(9), reason="忘了")
    assert not Correction.objects.exists()


@pytest.mark.django_db
def test_an_imported_punch_in_year_1_is_a_clean_error_with_its_line(cast, tmp_path):
    path = tmp_path / "punches.csv"
    path.write_text(f"employee_no,timestamp\n{cast.employee.employee_no},0001-01-01T09:00:00\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_punches", str(path), stdout=StringIO())
    assert "line 2" in str(refused.value)
    assert not Punch.objects.exists()


@pytest.mark.django_db
def test_an_imported_punch_decades_before_hire_is_refused(cast):
    content = f"employee_no,timestamp\n{cast.employee.employee_no},1990-05-02T09:00:00\n".encode()
    with pytest.raises(attendance_services.ImportRejected) as refused:
        attendance_services.import_punches(content, actor=None)
    assert refused.value.problems[0][0] == 2
    assert not Punch.objects.exists()


@pytest.mark.django_db
def test_overtime_decades_before_hire_is_refused(cast, client):
    client.force_login(cast.employee.user)
    response = client.post(reverse("attendance:overtime"), {
        "date": "1980-06-02", "start_time": "18:00", "end_time": "20:00", "reason": "赶工"})
    assert response.status_code == 200
    with pytest.raises(DateOutOfBounds):
        attendance_services.request_overtime(actor=cast.employee.user, day=date(1980, 6, 2), start=time(18), end=time(20), reason="赶工")
    assert not Overtime.objects.exists()


@pytest.mark.django_db
def test_emergency_leave_decades_before_hire_is_refused(cast):
    from leave import services as leave_services
    from tests.leave.factories import leave_type

    hire = cast.employee.hire_date
    far = date(hire.year - 20, 3, 2)
    with pytest.raises(DateOutOfBounds):
        leave_services.record_emergency_leave(
            cast.employee.pk, actor=cast.supervisor.user, leave_type=leave_type("personal"), start_date=far,
            start_half="am", end_date=far, end_half="pm", granted_via="phone", note="电话")
    assert not LeaveRequest.objects.exists()
