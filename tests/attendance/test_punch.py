"""Clocking in from the browser: the server's time, office networks, double taps, punches that never change."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
import pytest

from attendance import services
from attendance.models import AttendanceSettings, Punch


def test_staff_clocks_in_and_sees_the_punch(client, cast):
    client.force_login(cast.employee.user)
    response = client.post("/attendance/", {"at": "2020-01-01T08:00:00"}, follow=True)
    punch = Punch.objects.get(employee=cast.employee)
    assert abs(punch.at - timezone.now()) < timedelta(seconds=30)   # the client's time is ignored
    assert punch.source == Punch.Source.WEB and punch.ip_address == "127.0.0.1"
    assert timezone.localtime(punch.at).strftime("%H:%M:%S") in response.content.decode()
    assert 'data-testid="today-punches"' in response.content.decode()


def test_a_double_tap_records_one_punch(client, cast):
    client.force_login(cast.employee.user)
    client.post("/attendance/")
    client.post("/attendance/")
    assert Punch.objects.filter(employee=cast.employee).count() == 1


def test_a_tap_after_the_double_tap_window_is_a_new_punch(cast, monkeypatch):
    first, created = services.record_punch(actor=cast.employee.user, ip_address="10.0.0.5")
    later = first.at + timedelta(seconds=services.DOUBLE_TAP_SECONDS + 1)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    second, created_again = services.record_punch(actor=cast.employee.user, ip_address="10.0.0.5")
    assert created and created_again and second.pk != first.pk


def test_punching_outside_the_office_network_is_refused(client, cast):
    AttendanceSettings.objects.create(office_networks="10.1.0.0/16\n192.168.8.0/24")
    client.force_login(cast.employee.user)
    response = client.post("/attendance/", follow=True)
    assert not Punch.objects.exists()
    assert "127.0.0.1" in response.content.decode()
    client.post("/attendance/", REMOTE_ADDR="10.1.2.3")
    assert Punch.objects.filter(ip_address="10.1.2.3").count() == 1


def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, cast, settings):
    AttendanceSettings.objects.create(office_networks="10.1.0.0/16")
    client.force_login(cast.employee.user)
    client.post("/attendance/", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert not Punch.objects.exists()
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.post("/attendance/", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert Punch.objects.get().ip_address == "10.1.2.3"


def test_punches_are_never_edited_or_deleted(cast):
    punch, _created = services.record_punch(actor=cast.employee.user, ip_address="127.0.0.1")
    punch.at = punch.at - timedelta(hours=1)
    with pytest.raises(ValidationError):
        punch.save()
    with pytest.raises(ValidationError):
        punch.delete()


def test_hr_sets_office_networks_and_a_bad_network_is_a_form_error(client, cast):
    client.force_login(cast.hr.user)
    response = client.post("/attendance/settings/", {"office_networks": "not-a-network", "correction_monthly_limit": 3})
    assert response.status_code == 200
    assert response.context["form"].errors["office_networks"]
    assert AttendanceSettings.current().office_networks == ""
    client.post("/attendance/settings/", {"office_networks": "10.1.0.0/16", "correction_monthly_limit": 5})
    current = AttendanceSettings.current()
    assert (current.office_networks, current.correction_monthly_limit) == ("10.1.0.0/16", 5)
