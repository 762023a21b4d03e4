"""The home page's duty card lists my next published shifts (duty.selectors.next_duties, issue 16)."""

from datetime import date
import re

from django.conf import settings
from django.urls import reverse

from duty import selectors

from .test_permissions import published

BEFORE = date(2026, 9, 28)


def test_the_card_lists_my_next_shifts_as_the_roster_has_them(client, cast, monkeypatch):
    published(cast)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: BEFORE)
    client.force_login(cast.employee.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    lines = re.findall(r'<li data-testid="duty-next">(.*?)</li>', client.get("/").content.decode(), re.S)
    expected = selectors.upcoming_duties(cast.employee, BEFORE, limit=5)
    assert len(lines) == len(expected) >= 1
    for line, assignment in zip(lines, expected):
        day = assignment.shift.day
        assert f"{day.date:%Y-%m-%d}" in line and day.roster.period.name in line
        assert f"{assignment.shift.start_time:%H:%M}–{assignment.shift.end_time:%H:%M}" in line
        assert ("in charge" in line) == (day.responsible_id == cast.employee.pk)
        assert reverse("duty:swap_request", args=[assignment.pk]) in line
    assert "in charge" in lines[0]  # the employee is in charge of 10-01
