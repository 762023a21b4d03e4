"""The duty pages: bad input gets a clear message and writes nothing; the roster page's queries stay flat."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duty.models import DutyAssignment, DutyLog, DutyRoster, DutySwap
from tests.factories import EmployeeFactory

from .conftest import national_day_roster

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("start,end", [("2026-13-01", "2026-10-07"), ("２０２６-10-01", "2026-10-07"),
                                       ("1800-10-01", "1800-10-07"), ("2026-10-08", "2026-10-10")])
def test_a_roster_for_bad_or_working_dates_is_refused_without_a_500(client, cast, clock, start, end):
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("duty:roster_create"), {"start_date": start, "end_date": end}, follow=True)
    assert response.status_code == 200
    assert not DutyRoster.objects.exists()
    assert list(response.context["messages"])


def test_a_day_without_a_person_in_charge_is_refused_on_the_form(client, cast, clock):
    roster = national_day_roster(cast, publish=False)
    day = roster.days.first()
    before = list(DutyAssignment.objects.filter(shift__day=day).values_list("employee_id", flat=True))
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("duty:roster_day", args=[day.pk]), {
        "responsible": "", "shift0_start": "09:00", "shift0_end": "18:00", "shift0_people": [str(cast.employee.pk)]})
    assert response.status_code == 200 and "值班负责人" in response.content.decode()
    assert list(DutyAssignment.objects.filter(shift__day=day).values_list("employee_id", flat=True)) == before


def test_a_log_for_a_future_day_is_refused_on_the_form(client, cast, clock):
    roster = national_day_roster(cast)
    day = roster.days.order_by("date").first()
    client.force_login(day.responsible.user)
    response = client.post(reverse("duty:log_write", args=[day.pk]), {"checked": "巡检正常"})
    assert response.status_code == 200 and "之后" in response.content.decode()
    assert not DutyLog.objects.exists()


def test_a_swap_with_oneself_is_refused_on_the_form(client, cast, clock):
    roster = national_day_roster(cast)
    held = DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee).first()
    client.force_login(cast.employee.user)
    response = client.post(reverse("duty:swap_request", args=[held.pk]), {"colleague": cast.outsider.pk, "reason": "有事"})
    assert response.status_code == 200 and not DutySwap.objects.exists()


def test_the_roster_page_prints_and_its_queries_stay_flat(client, cast, clock):
    roster = national_day_roster(cast)
    client.force_login(cast.employee.user)
    url = reverse("duty:roster_detail", args=[roster.pk])
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert "@page" not in response.content.decode()  # print rules live in static/css/duty.css
    assert 'duty.css' in response.content.decode()
    for _n in range(5):
        EmployeeFactory(supervisor=cast.supervisor)
    other = national_day_roster(cast, owner=cast.manager)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("duty:roster_detail", args=[other.pk]))
    assert len(large) <= len(small) + 2


def test_the_comp_time_page_refuses_garbage_and_hides_strangers(client, cast):
    client.force_login(cast.supervisor.user)
    assert client.get(reverse("attendance:comp_time") + "?employee=１").status_code == 404
    assert client.get(reverse("attendance:comp_time") + f"?employee={cast.outsider.pk}").status_code == 404
    assert client.get(reverse("attendance:comp_time") + f"?employee={cast.employee.pk}").status_code == 200


def test_the_dashboard_shows_my_next_duty_day(client, cast, clock):
    roster = national_day_roster(cast)
    first = DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee).order_by("shift__day__date").first()
    client.force_login(cast.employee.user)
    content = client.get("/").content.decode()
    assert 'data-testid="duty-card"' in content and first.shift.day.date.isoformat() in content


def test_a_worked_duty_day_shows_in_the_attendance_month(client, cast, clock):
    from .conftest import punch

    roster = national_day_roster(cast)
    held = DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee).select_related("shift__day").first()
    punch(cast.employee, held.shift.day.date)
    client.force_login(cast.employee.user)
    content = client.get(reverse("attendance:my_month") + "?month=2026-10").content.decode()
    assert content.count('data-testid="duty-day"') == DutyAssignment.objects.filter(shift__day__roster=roster, employee=cast.employee).count()
    assert "值班（已出勤）" in content


def test_the_personal_icalendar_feed_lists_duty_shifts(client, cast, clock):
    from meetings.models import CalendarFeed

    national_day_roster(cast)
    feed = CalendarFeed.objects.create(employee=cast.employee)
    body = client.get(reverse("meetings:ics", args=[feed.token])).content.decode()
    held = DutyAssignment.objects.filter(employee=cast.employee, is_active=True).count()
    assert body.count("UID:duty-assignment-") == held > 0
    assert "节假日值班" in body
