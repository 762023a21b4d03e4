"""HR manages the leave types and the chapter's settings; every change is audited."""

from leave.models import LeaveSettings, LeaveType
from opsdept.models import AuditEvent

from .factories import leave_type


def test_hr_adds_a_leave_type_that_staff_can_then_choose(client, cast):
    client.force_login(cast.hr.user)
    response = client.post("/leave/types/new/", {
        "code": "nursing", "name": "哺乳假", "name_en": "Nursing leave", "is_paid": "on", "sort_order": 9,
    })
    assert response.status_code == 302
    created = LeaveType.objects.get(code="nursing")
    assert (created.name, created.is_paid, created.is_active) == ("哺乳假", True, False)
    assert AuditEvent.objects.filter(action="leave.type_created", target_id=str(created.pk)).exists()


def test_hr_deactivates_a_type_and_it_disappears_from_the_request_form(client, cast):
    sick = leave_type("sick")
    client.force_login(cast.hr.user)
    client.post(f"/leave/types/{sick.pk}/edit/", {
        "name": sick.name, "name_en": sick.name_en, "is_paid": "on", "requires_attachment": "on", "sort_order": 2,
        "code": "changed",   # the code is fixed once created: ignored
    })
    sick.refresh_from_db()
    assert sick.is_active is False and sick.code == "sick"
    event = AuditEvent.objects.get(action="leave.type_changed")
    assert event.changes == {"is_active": [True, False]}
    client.force_login(cast.employee.user)
    choices = client.get("/leave/new/").context["form"].fields["leave_type"].queryset
    assert sick not in choices


def test_hr_sets_the_written_request_deadline_and_bad_numbers_change_nothing(client, cast):
    client.force_login(cast.hr.user)
    client.post("/leave/settings/", {"emergency_slip_workdays": 3, "max_attachment_mb": 8})
    assert (LeaveSettings.current().emergency_slip_workdays, LeaveSettings.current().max_attachment_mb) == (3, 8)
    client.post("/leave/settings/", {"emergency_slip_workdays": -1, "max_attachment_mb": "many"})
    assert LeaveSettings.current().emergency_slip_workdays == 3
    assert AuditEvent.objects.filter(action="leave.settings_changed").count() == 1
