"""Rewards and penalties filter through the one list panel (opsdept.filters), bad input included."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from discipline.models import Kind, Record, Rule
from tests.discipline.factories import RecordFactory

pytestmark = pytest.mark.django_db
URL = "/discipline/records/"


def _records(cast):
    fine = RecordFactory(employee=cast.employee, issued_by=cast.supervisor, kind=Kind.FINE)
    criticism = RecordFactory(employee=cast.clerk, issued_by=cast.supervisor, kind=Kind.PUBLIC_CRITICISM, amount=None)
    october = datetime(2026, 10, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    Record.objects.filter(pk=criticism.pk).update(issued_at=october)
    return fine, criticism


def test_the_record_list_filters_by_person_kind_rule_and_date(client, cast):
    fine, criticism = _records(cast)
    client.force_login(cast.supervisor.user)
    assert reverse("discipline:record_list") == URL
    assert list(client.get(URL, {"who": cast.clerk.employee_no}).context["page"]) == [criticism]
    assert list(client.get(URL, {"kind": "fine"}).context["page"]) == [fine]
    assert list(client.get(URL, {"rule": fine.rule_id}).context["page"]) == [
        record for record in (fine, criticism) if record.rule_id == fine.rule_id]
    assert list(client.get(URL, {"start": "2026-10-01", "end": "2026-10-31"}).context["page"]) == [criticism]
    assert Rule.objects.filter(pk=fine.rule_id).exists()


@pytest.mark.parametrize("bad", [{"start": "1900-01-01"}, {"end": "9999-12-31"}, {"start": "２０２６-１０-０１"},
                                 {"end": "٢٠٢٦-١٠-٠١"}, {"start": "2026-11-30", "end": "2026-10-01"}, {"kind": "bribe"},
                                 {"rule": "１"}])
def test_bad_record_filter_input_shows_an_error_not_a_500(client, cast, bad):
    _records(cast)
    client.force_login(cast.supervisor.user)
    response = client.get(URL, bad)
    assert response.status_code == 200
    assert response.context["filter"].form.errors and len(response.context["page"]) == 2
    assert 'class="text-danger small"' in response.content.decode()
