from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from opsdept import audit
from opsdept.models import AuditEvent, CalendarOverride, WorkSchedule


@pytest.mark.django_db
def test_audit_events_are_never_edited_or_deleted(cast):
    event = audit.record(cast.hr.user, audit.Action.EMPLOYEE_UPDATED, cast.employee, changes={"a": [1, 2]})
    event.note = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.django_db
def test_hr_filters_the_audit_trail(client, cast):
    audit.record(cast.hr.user, audit.Action.LEAVE_APPROVED, cast.employee)
    audit.record(cast.supervisor.user, audit.Action.FLAG_DISMISSED, cast.employee)
    client.force_login(cast.hr.user)
    page = client.get("/audit/", {"action": "flag.dismissed"}).context["page"]
    assert [event.action for event in page] == ["flag.dismissed"]
    response = client.get("/audit/", {"start": "2026-12-01", "end": "2026-11-01"})
    assert response.status_code == 200 and response.context["filter"].form.errors


@pytest.mark.django_db
def test_audit_record_refuses_a_free_string(cast):
    with pytest.raises(TypeError):
        audit.record(cast.hr.user, "leave.approved", cast.employee)


def test_every_action_has_a_chinese_label():
    from django.utils import translation

    with translation.override("en"):
        english = {action.value: str(action.label) for action in audit.Action}
    with translation.override("zh-hans"):
        untranslated = [action.value for action in audit.Action if str(action.label) == english[action.value]]
    assert untranslated == []


@pytest.mark.django_db
def test_the_audit_page_reads_as_sentences_in_the_readers_language(client, cast):
    audit.record(cast.supervisor.user, audit.Action.LEAVE_APPROVED, cast.employee)
    AuditEvent.objects.create(action="retired.code", target_repr="x")
    client.force_login(cast.hr.user)
    page = client.get("/audit/").content.decode()
    assert "批准了请假" in page and "retired.code" in page
    assert '<option value="leave.approved">批准了请假</option>' in page
    client.cookies["django_language"] = "en"
    page = client.get("/audit/").content.decode()
    assert "approved leave" in page


@pytest.mark.django_db
def test_update_audited_saves_and_records_only_what_changed(cast):
    schedule = WorkSchedule.current()
    changes = audit.update_audited(schedule, actor=cast.hr.user, action=audit.Action.SCHEDULE_UPDATED,
                                   fields=["grace_minutes"], values={"grace_minutes": schedule.grace_minutes + 5})
    assert changes == {"grace_minutes": [schedule.grace_minutes - 5, schedule.grace_minutes]}
    assert WorkSchedule.current().grace_minutes == schedule.grace_minutes
    event = AuditEvent.objects.get(action="schedule.updated")
    assert event.changes == changes and event.actor == cast.hr.user

    unchanged = audit.update_audited(schedule, actor=cast.hr.user, action=audit.Action.SCHEDULE_UPDATED,
                                     fields=["grace_minutes"], values={"grace_minutes": schedule.grace_minutes})
    assert unchanged == {} and AuditEvent.objects.filter(action="schedule.updated").count() == 1


@pytest.mark.django_db
def test_update_audited_validates_before_it_saves(cast):
    schedule = WorkSchedule.current()
    with pytest.raises(ValidationError):
        audit.update_audited(schedule, actor=cast.hr.user, action=audit.Action.SCHEDULE_UPDATED,
                             fields=["start_time"], values={"start_time": time(23, 0)})
    assert not AuditEvent.objects.filter(action="schedule.updated").exists()


@pytest.mark.django_db
def test_update_audited_records_a_new_object_as_it_is(cast):
    override = CalendarOverride(date=date(2026, 12, 31), created_by=cast.hr)
    changes = audit.update_audited(override, actor=cast.hr.user, action=audit.Action.CALENDAR_OVERRIDE_SET,
                                   fields=["kind", "note"], values={"kind": "holiday", "note": "年终"})
    assert changes == {"kind": "holiday", "note": "年终"}
    assert CalendarOverride.objects.get(date=date(2026, 12, 31)).kind == "holiday"
    assert AuditEvent.objects.get(action="calendar.override_set").target_id == str(override.pk)
