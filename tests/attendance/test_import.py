"""Importing an attendance machine's CSV: all or nothing, line numbers, idempotent."""

from datetime import date
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
import pytest

from attendance.models import AttendanceDay, DayStatus, Punch
from tests.attendance.factories import local


def machine_file(cast, *lines: str) -> bytes:
    return ("employee_no,timestamp\n" + "".join(line + "\n" for line in lines)).encode()


def test_import_adds_punches_and_recomputes_and_a_second_run_adds_nothing(cast, tmp_path):
    no = cast.employee.employee_no
    path = tmp_path / "machine.csv"
    path.write_bytes(machine_file(cast, f"{no},2026-10-12T09:03:00", f"{no},2026-10-12T18:00:00+08:00", f"{no},2026-10-12T10:30:00Z"))
    out = io.StringIO()
    call_command("import_punches", str(path), stdout=out)
    assert "3 punches added" in out.getvalue()
    assert sorted(Punch.objects.values_list("at", flat=True)) == [local("2026-10-12 09:03"), local("2026-10-12 18:00"), local("2026-10-12 18:30")]
    day = AttendanceDay.objects.get(employee=cast.employee, date=date(2026, 10, 12))
    assert (day.status, day.late_minutes) == (DayStatus.LATE, 3)
    out = io.StringIO()
    call_command("import_punches", str(path), stdout=out)
    assert "0 punches added, 3 already known" in out.getvalue()
    assert Punch.objects.count() == 3


def test_any_bad_row_rejects_the_whole_file_with_line_numbers(cast, tmp_path):
    no = cast.employee.employee_no
    path = tmp_path / "machine.csv"
    path.write_bytes(machine_file(cast, f"{no},2026-10-12T09:03:00", "NOPE,2026-10-12T09:00:00", f"{no},yesterday", f"{no},2026-10-12T18:00,extra"))
    with pytest.raises(CommandError) as error:
        call_command("import_punches", str(path))
    message = str(error.value)
    assert "line 3" in message and "NOPE" in message and "line 4" in message and "line 5" in message
    assert not Punch.objects.exists()


def test_wrong_header_and_non_utf8_are_rejected(cast, tmp_path):
    path = tmp_path / "machine.csv"
    path.write_bytes(b"no,time\nE1,2026-10-12T09:00\n")
    with pytest.raises(CommandError, match="line 1"):
        call_command("import_punches", str(path))
    path.write_bytes("employee_no,timestamp\n张,2026-10-12T09:00\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_punches", str(path))
    assert not Punch.objects.exists()


def test_hr_uploads_a_file_and_sees_the_problems(client, cast):
    client.force_login(cast.hr.user)
    bad = SimpleUploadedFile("m.csv", machine_file(cast, "GHOST,2026-10-12T09:00"))
    response = client.post("/attendance/import/", {"file": bad})
    assert response.status_code == 200 and "GHOST" in response.content.decode()
    good = SimpleUploadedFile("m.csv", machine_file(cast, f"{cast.employee.employee_no},2026-10-12T09:00"))
    response = client.post("/attendance/import/", {"file": good})
    assert response.status_code == 302
    assert Punch.objects.get().source == Punch.Source.IMPORT
