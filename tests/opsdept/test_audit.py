import pytest
from django.core.exceptions import ValidationError

from opsdept import audit
from opsdept.models import AuditEvent


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
    assert response.status_code == 200 and response.context["form"].errors


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
