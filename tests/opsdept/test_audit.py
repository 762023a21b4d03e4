import pytest
from django.core.exceptions import ValidationError

from opsdept import audit


@pytest.mark.django_db
def test_audit_events_are_never_edited_or_deleted(cast):
    event = audit.record(cast.hr.user, "test.thing", cast.employee, changes={"a": [1, 2]})
    event.note = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.django_db
def test_hr_filters_the_audit_trail(client, cast):
    audit.record(cast.hr.user, "leave.approved", cast.employee)
    audit.record(cast.supervisor.user, "flag.dismissed", cast.employee)
    client.force_login(cast.hr.user)
    page = client.get("/audit/", {"action": "flag"}).context["page"]
    assert [event.action for event in page] == ["flag.dismissed"]
    response = client.get("/audit/", {"start": "2026-12-01", "end": "2026-11-01"})
    assert response.status_code == 200 and response.context["form"].errors
