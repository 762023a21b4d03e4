"""My corrections and my overtime filter through the one panel (opsdept.filters) like every other list."""

from datetime import date, time

import pytest

from attendance.models import Correction, Overtime
from opsdept.models import RequestStatus

pytestmark = pytest.mark.django_db


def test_my_corrections_and_overtime_filter_by_status_and_dates(client, cast):
    Correction.objects.create(employee=cast.employee, date=date(2026, 10, 12), time=time(18, 5), reason="十月忘打卡",
                              status=RequestStatus.APPROVED)
    Correction.objects.create(employee=cast.employee, date=date(2026, 11, 16), time=time(9, 0), reason="十一月忘打卡")
    Overtime.objects.create(employee=cast.employee, date=date(2026, 10, 10), start_time=time(10), end_time=time(14),
                            reason="十月上线", status=RequestStatus.REJECTED)
    Overtime.objects.create(employee=cast.employee, date=date(2026, 11, 21), start_time=time(10), end_time=time(14),
                            reason="十一月上线")
    client.force_login(cast.employee.user)
    page = client.get("/attendance/corrections/", {"status": "pending"}).content.decode()
    assert "十一月忘打卡" in page and "十月忘打卡" not in page and 'data-testid="filters"' in page
    page = client.get("/attendance/corrections/", {"start": "2026-10-01", "end": "2026-10-31"}).content.decode()
    assert "十月忘打卡" in page and "十一月忘打卡" not in page
    page = client.get("/attendance/overtime/", {"status": "rejected"}).content.decode()
    assert "十月上线" in page and "十一月上线" not in page
    response = client.get("/attendance/overtime/", {"start": "2026-12-01", "end": "2026-11-01"})
    assert response.status_code == 200 and "开始日期不能晚于结束日期" in response.content.decode()
