"""Anomaly notices: the flagged employee is told, may explain (情况说明) within two workdays; the
supervisor dismisses with the explanation accepted in one click; unreviewed flags go one level up."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
import pytest

from discipline import services
from discipline.models import DisciplineSettings, Flag, FlagExplanation
from discipline.services import DisciplineError
from opsdept.models import AuditEvent, Notification
from tests.leave.helpers import local_time

THU = date(2026, 11, 26)


def raise_late(cast, employee=None) -> Flag:
    with local_time(2026, 11, 27, 1, 30):
        flag, created = services.raise_flag(employee or cast.employee, day=THU, rule_code="late", details="迟到 12 分钟")
    assert created
    return flag


def test_raising_a_flag_tells_the_employee_with_the_deadline(cast):
    flag = raise_late(cast)
    notice = Notification.objects.get(recipient=cast.employee)
    assert "2026-11-26" in notice.subject and "2026-12-01" in notice.body   # Fri + 2 workdays = Tue
    assert notice.url == reverse("discipline:flag_detail", kwargs={"pk": flag.pk})


def test_the_employee_explains_and_the_supervisor_accepts_in_one_click(cast, client):
    flag = raise_late(cast)
    with local_time(2026, 11, 30):
        services.write_flag_explanation(flag.pk, actor=cast.employee.user, text="地铁故障，附延误证明",
                                        attachment=SimpleUploadedFile("证明.png", b"\x89PNG\r\n\x1a\n0000"))
    assert Notification.objects.filter(recipient=cast.supervisor, key=f"flag:{flag.pk}", read_at__isnull=True).exists()
    client.force_login(cast.supervisor.user)
    page = client.get(reverse("discipline:flag_detail", kwargs={"pk": flag.pk})).content.decode()
    assert "地铁故障，附延误证明" in page and "证明.png" in page
    client.post(reverse("discipline:flag_accept", kwargs={"pk": flag.pk}))
    flag.refresh_from_db()
    assert flag.status == Flag.Status.DISMISSED and "地铁故障" in flag.decision_note
    assert not Notification.objects.filter(key=f"flag:{flag.pk}", read_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="flag.explained", target_id=str(flag.pk)).exists()


def test_an_explanation_after_the_window_is_refused_and_nothing_is_written(cast):
    flag = raise_late(cast)
    with local_time(2026, 12, 2):
        with pytest.raises(DisciplineError) as error:
            services.write_flag_explanation(flag.pk, actor=cast.employee.user, text="忘了")
    assert "2026-12-01" in error.value.message
    assert not FlagExplanation.objects.exists()


@pytest.mark.parametrize("upload,field", [
    (SimpleUploadedFile("x.exe", b"MZ\x90\x00"), "attachment"),
    (None, "text"),
])
def test_a_bad_explanation_is_refused(cast, upload, field):
    flag = raise_late(cast)
    with local_time(2026, 11, 27, 9):
        with pytest.raises(DisciplineError) as error:
            services.write_flag_explanation(flag.pk, actor=cast.employee.user, text="" if upload is None else "看附件",
                                            attachment=upload)
    assert error.value.field == field
    assert not FlagExplanation.objects.exists()


def test_only_the_flagged_employee_explains_once(cast):
    flag = raise_late(cast)
    with local_time(2026, 11, 27, 9):
        with pytest.raises(PermissionDenied):
            services.write_flag_explanation(flag.pk, actor=cast.supervisor.user, text="替他说明")
        services.write_flag_explanation(flag.pk, actor=cast.employee.user, text="打卡机故障")
        with pytest.raises(DisciplineError):
            services.write_flag_explanation(flag.pk, actor=cast.employee.user, text="再说一次")


def test_an_unreviewed_flag_goes_to_the_supervisors_supervisor_after_hrs_workdays(cast):
    DisciplineSettings.objects.update_or_create(pk=DisciplineSettings.current().pk, defaults={"flag_review_workdays": 2})
    flag = raise_late(cast)
    with local_time(2026, 12, 1):   # raised Fri; two workdays later is Tue: not yet
        assert services.escalate_unreviewed_flags() == 0
    with local_time(2026, 12, 2):
        assert services.escalate_unreviewed_flags() == 1
        assert services.escalate_unreviewed_flags() == 0
    flag.refresh_from_db()
    assert flag.escalated_to == cast.manager
    assert Notification.objects.filter(recipient=cast.manager, key=f"flag:{flag.pk}").exists()
    assert Notification.objects.filter(recipient=cast.supervisor, subject__contains="王经理").exists()


def test_a_reviewed_flag_never_escalates(cast):
    flag = raise_late(cast)
    services.dismiss_flag(flag.pk, actor=cast.supervisor.user, reason="出差")
    with local_time(2026, 12, 10):
        assert services.escalate_unreviewed_flags() == 0


def test_an_explanation_files_name_cannot_add_a_header_to_its_download(cast, client):
    flag = raise_late(cast)
    with local_time(2026, 11, 30):
        services.write_flag_explanation(flag.pk, actor=cast.employee.user, text="附证明",
                                        attachment=SimpleUploadedFile('证明\r\nSet-Cookie: x=1.png', b"\x89PNG\r\n\x1a\n0000"))
    assert FlagExplanation.objects.get().original_name == "证明 Set-Cookie: x=1.png"
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("discipline:flag_explanation_file", kwargs={"pk": flag.pk}))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "\n" not in response["Content-Disposition"]
