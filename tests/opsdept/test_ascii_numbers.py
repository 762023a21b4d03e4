"""Every number (and time) field of the HR settings pages refuses full-width digits: a Chinese error, nothing written."""

import pytest
from django.urls import reverse

from opsdept.models import AuditEvent

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# (route, a valid submission unlike the defaults (so saving it is audited), the number/time fields to break one at a time)
PAGES = [
    ("attendance:settings", {"office_networks": "", "correction_monthly_limit": "13", "overtime_late_days": "13",
                             "comp_time_expiry_months": "13"},
     ["correction_monthly_limit", "overtime_late_days", "comp_time_expiry_months"]),
    ("discipline:settings_edit", {"appeal_window_days": "13", "flag_review_workdays": "13"},
     ["appeal_window_days", "flag_review_workdays"]),
    ("leave:settings", {"emergency_slip_workdays": "13", "max_attachment_mb": "13"},
     ["emergency_slip_workdays", "max_attachment_mb"]),
    ("meetings:settings", {"weekly_time": "10:13", "duration_minutes": "13", "checkin_opens_minutes": "13",
                           "checkin_closes_minutes": "13"},
     ["weekly_time", "duration_minutes", "checkin_opens_minutes", "checkin_closes_minutes"]),
    ("approval_settings", {"top_approver": "", "escalate_after_workdays": "13"}, ["escalate_after_workdays"]),
    ("schedule_edit", {"start_time": "09:13", "end_time": "18:13", "lunch_start": "12:13", "lunch_end": "13:13",
                       "grace_minutes": "13", "go_live_date": ""},
     ["start_time", "end_time", "lunch_start", "lunch_end", "grace_minutes"]),
]


@pytest.mark.parametrize(("route", "valid", "numbers"), PAGES, ids=[page[0] for page in PAGES])
def test_full_width_digits_are_refused_in_chinese_and_nothing_is_written(client, cast, route, valid, numbers):
    client.force_login(cast.hr.user)
    url = reverse(route)
    for name in numbers:
        before = AuditEvent.objects.count()
        data = {**valid, name: valid[name].translate(FULL_WIDTH)}
        assert data[name] != valid[name]
        page = client.post(url, data, follow=True)  # the leave settings show their error on the page they return to
        assert page.status_code == 200, (name, page.status_code)
        assert "全角数字" in page.content.decode(), name
        assert AuditEvent.objects.count() == before, name
    # The same submission with ordinary digits is accepted: the refusal above is the digits, nothing else.
    before = AuditEvent.objects.count()
    saved = client.post(url, valid)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert AuditEvent.objects.count() > before


def test_rule_amounts_refuse_full_width_digits(client, cast):
    from discipline.models import Rule

    rule = Rule.objects.filter(number__isnull=True).first()  # lateness and the like: HR sets their range
    assert rule is not None
    client.force_login(cast.hr.user)
    before = AuditEvent.objects.count()
    page = client.post(reverse("discipline:rule_edit", args=[rule.pk]),
                       {"allowed_kinds": ["fine"], "min_amount": "１０", "max_amount": "50", "is_active": "on"})
    assert page.status_code == 200 and "全角数字" in page.content.decode()
    assert AuditEvent.objects.count() == before


def test_full_width_year_is_refused_when_hr_confirms_a_calendar_year(client, cast):
    client.force_login(cast.hr.user)
    before = AuditEvent.objects.count()
    page = client.post(reverse("calendar_year_confirm"), {"year": "２０２７"}, follow=True)
    assert "全角数字" in page.content.decode() and AuditEvent.objects.count() == before


@pytest.mark.parametrize(("text", "digits", "typed"), [
    ("2026", True, True), ("", False, True), ("12a", False, True), ("１２", False, False), ("٣", False, False),
    ("²", False, False), (" 12", False, True),
])
def test_the_one_ascii_rule_behind_every_number_field_filter_and_url(text, digits, typed):
    from opsdept import bounds

    assert bounds.ascii_digits(text) is digits
    assert bounds.typed_ascii(text) is typed
