"""The work calendar: chinese-calendar's official days, HR's overrides, and an honest fallback."""

from datetime import date

import pytest
from django.urls import reverse

from opsdept import workcalendar
from opsdept.models import AuditEvent, CalendarOverride
from opsdept.services import set_calendar_override
from opsdept.workcalendar import Kind, Source


@pytest.mark.django_db
@pytest.mark.parametrize("day,workday,kind", [
    (date(2026, 10, 1), False, Kind.HOLIDAY),         # National Day
    (date(2026, 10, 10), True, Kind.MAKEUP_WORKDAY),  # a Saturday worked (调休上班)
    (date(2026, 9, 20), True, Kind.MAKEUP_WORKDAY),   # a Sunday worked
    (date(2026, 11, 27), True, Kind.WORKDAY),         # an ordinary Friday
    (date(2026, 11, 28), False, Kind.WEEKEND),
])
def test_official_days_come_from_chinese_calendar(day, workday, kind):
    info = workcalendar.day_info(day)
    assert (info.is_workday, info.kind, info.source) == (workday, kind, Source.PACKAGE)


@pytest.mark.django_db
def test_an_unknown_year_falls_back_to_weekdays_and_says_so():
    friday, saturday = workcalendar.day_info(date(2027, 1, 1)), workcalendar.day_info(date(2027, 1, 2))
    assert (friday.is_workday, friday.source) == (True, Source.FALLBACK)
    assert (saturday.is_workday, saturday.source) == (False, Source.FALLBACK)
    assert workcalendar.unknown_range_warning(date(2026, 12, 30), date(2027, 1, 3))
    assert not workcalendar.package_knows(date(2027, 6, 1))


@pytest.mark.django_db
def test_hr_override_wins_over_the_package_and_the_fallback(cast):
    set_calendar_override(date(2027, 1, 1), actor=cast.hr.user, kind="holiday", note="元旦")
    set_calendar_override(date(2026, 11, 28), actor=cast.hr.user, kind="workday", note="调休")
    new_year = workcalendar.day_info(date(2027, 1, 1))
    assert (new_year.is_workday, new_year.kind, new_year.name, new_year.source) == (False, Kind.HOLIDAY, "元旦", Source.OVERRIDE)
    saturday = workcalendar.day_info(date(2026, 11, 28))
    assert (saturday.is_workday, saturday.kind) == (True, Kind.MAKEUP_WORKDAY)
    assert AuditEvent.objects.filter(action="calendar.override_set").count() == 2


@pytest.mark.django_db
def test_workday_helpers_count_across_a_holiday_and_a_makeup_day():
    # 2026-09-28 (Mon) to 2026-10-11 (Sun): National Day week off, Sat 10-10 worked.
    days = workcalendar.workdays_between(date(2026, 9, 28), date(2026, 10, 11))
    assert days == [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30),
                    date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
    assert workcalendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert workcalendar.add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)


@pytest.mark.django_db
def test_month_page_shows_makeup_workdays_and_holidays(client, cast):
    client.force_login(cast.employee.user)
    response = client.get(reverse("calendar"), {"month": "2026-10"})
    html = response.content.decode()
    assert 'data-date="2026-10-10" data-kind="makeup"' in html
    assert 'data-date="2026-10-01" data-kind="holiday"' in html
    assert 'data-testid="calendar-fallback"' not in html


@pytest.mark.django_db
def test_month_page_warns_for_a_year_without_official_data(client, cast):
    client.force_login(cast.hr.user)
    html = client.get(reverse("calendar"), {"month": "2027-02"}).content.decode()
    assert 'data-testid="calendar-fallback"' in html


@pytest.mark.django_db
def test_a_malformed_month_falls_back_to_this_month(client, cast):
    client.force_login(cast.employee.user)
    assert client.get(reverse("calendar"), {"month": "2026-13"}).status_code == 200
    assert client.get(reverse("calendar"), {"month": "abc"}).status_code == 200


@pytest.mark.django_db
def test_hr_enters_the_2027_schedule_through_the_page(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(reverse("calendar_override_set"), {"date": "2027-02-20", "kind": "workday", "note": "春节调休"})
    assert response.status_code == 302
    assert CalendarOverride.objects.get(date=date(2027, 2, 20)).kind == "workday"


@pytest.mark.django_db
def test_a_bad_override_writes_nothing(client, cast):
    client.force_login(cast.hr.user)
    client.post(reverse("calendar_override_set"), {"date": "2027-02-30", "kind": "workday"})
    client.post(reverse("calendar_override_set"), {"date": "2027-02-20", "kind": "party"})
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_schedule_rejects_lunch_outside_working_hours(client, cast):
    client.force_login(cast.hr.user)
    response = client.post(reverse("schedule_edit"), {
        "start_time": "09:00", "end_time": "18:00", "lunch_start": "19:00", "lunch_end": "20:00", "grace_minutes": 0})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AuditEvent.objects.filter(action="schedule.updated").exists()
