"""Text stored to be read later (notifications, flag details and notes) is in the department's language,
whatever language the request that caused it was in."""

from datetime import date

from django.utils import translation

from attendance.models import AttendanceDay, Correction
from discipline.models import Flag
from opsdept import nightly
from opsdept.models import Notification
from tests.attendance.factories import punch_day

DAY = date(2026, 10, 12)


def english(client) -> None:
    client.cookies["django_language"] = "en"


def test_a_correction_asked_and_approved_in_english_stores_chinese_notifications_and_notes(client, cast):
    punch_day(cast.employee, "2026-10-12", "08:55")
    with translation.override("en"):
        nightly.run_for_date(DAY)
    flag = Flag.objects.get(employee=cast.employee, date=DAY, rule__code="missing-punch")
    assert flag.details == "该工作日只有一次打卡。"

    english(client)
    client.force_login(cast.employee.user)
    page = client.post("/attendance/corrections/", {"date": "2026-10-12", "time": "18:05", "reason": "忘记打卡"}, follow=True)
    assert page.headers["Content-Language"] == "en"
    asked = Notification.objects.filter(recipient=cast.supervisor).exclude(subject__startswith="异常通知").get()
    assert asked.subject == f"{cast.employee.name} 申请补卡（2026-10-12）"

    client.force_login(cast.supervisor.user)
    correction = Correction.objects.get(employee=cast.employee)
    client.post(f"/attendance/corrections/{correction.pk}/decide/", {"decision": "approve", "comment": "同意"})
    decided = Notification.objects.filter(recipient=cast.employee).exclude(subject__startswith="异常通知").get()
    assert decided.subject == "你 2026-10-12 的补卡申请已批准"
    # the nightly run's anomaly notices (issue 12) are in Chinese too
    assert Notification.objects.filter(recipient=cast.employee, subject__startswith="异常通知（2026-10-12）").exists()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.RESOLVED and flag.decision_note == "已由批准的补卡消除。"


def test_a_days_findings_are_chinese_under_an_english_request(cast):
    day = AttendanceDay(employee=cast.employee, date=DAY, status="late", late_minutes=7)
    with translation.override("en"):
        assert day.findings() == {"late": "迟到 7 分钟。"}
