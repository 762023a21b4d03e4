"""What meetings adds elsewhere: export and year-summary columns, the dashboard card, the iCalendar feed."""

from datetime import date

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from meetings import checks, services
from meetings.models import CalendarFeed
from opsdept import registries

from .conftest import MONDAY, at


def _one_absence_one_late(meeting, cast, clock):
    clock(at(9, 57))
    services.check_in(meeting.pk, actor=cast.employee.user)
    clock(at(10, 5))
    services.check_in(meeting.pk, actor=cast.supervisor.user)
    clock(at(1, 30, day=date(2026, 11, 24)))
    checks.absence(MONDAY)


def test_the_export_gains_meeting_absences_and_late_arrivals(meeting, cast, clock):
    _one_absence_one_late(meeting, cast, clock)
    columns = registries.export_columns.get("meetings.attendance")
    assert columns.headers() == ["例会缺席次数", "例会迟到次数"]
    ids = [cast.employee.pk, cast.supervisor.pk, cast.outsider.pk, cast.hr.pk]
    values = columns.values(ids, date(2026, 11, 1), date(2026, 11, 30))
    assert values == {cast.employee.pk: [0, 0], cast.supervisor.pk: [0, 1], cast.outsider.pk: [1, 0], cast.hr.pk: [0, 0]}
    assert columns.values(ids, date(2026, 12, 1), date(2026, 12, 31))[cast.outsider.pk] == [0, 0]


def test_the_export_columns_take_one_query(meeting, cast, clock, django_assert_num_queries):
    _one_absence_one_late(meeting, cast, clock)
    columns = registries.export_columns.get("meetings.attendance")
    with django_assert_num_queries(1):
        columns.values([cast.employee.pk, cast.outsider.pk], date(2026, 11, 1), date(2026, 11, 30))


def test_the_year_summary_shows_them(meeting, cast, clock):
    _one_absence_one_late(meeting, cast, clock)
    entry = registries.year_summary_columns.get("meetings")
    values = entry.values([cast.outsider.pk, cast.supervisor.pk], 2026)
    assert values[cast.outsider.pk] == {"例会缺席次数": 1, "例会迟到次数": 0}
    assert values[cast.supervisor.pk] == {"例会缺席次数": 0, "例会迟到次数": 1}


def _card(user):
    request = RequestFactory().get("/")
    request.user = user
    card = registries.dashboard_cards.get("meetings")
    context = {"me": user.employee, "card_context": card.context(request)}
    return render_to_string(card.template, context, request=request)


def test_the_dashboard_card_shows_the_next_meeting_and_a_button_only_while_the_window_is_open(meeting, cast, clock):
    clock(at(9, 0))
    html = _card(cast.employee.user)
    assert "2026-11-23" in html and "dashboard-meeting-checkin" not in html
    clock(at(9, 56))
    assert "dashboard-meeting-checkin" in _card(cast.employee.user)
    services.check_in(meeting.pk, actor=cast.employee.user)
    html = _card(cast.employee.user)
    assert "dashboard-meeting-checkin" not in html and "dashboard-meeting-status" in html


def test_the_calendar_feed_lists_my_meetings_and_a_reset_kills_the_old_link(meeting, cast, clock, client):
    feed = services.feed_for(cast.employee)
    response = client.get(reverse("meetings:ics", kwargs={"token": feed.token}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and f"UID:meeting-{meeting.pk}@opsdept" in body and "DTSTART:20261123T020000Z" in body
    old = feed.token
    services.reset_feed_token(actor=cast.employee.user)
    assert client.get(reverse("meetings:ics", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("meetings:ics", kwargs={"token": CalendarFeed.objects.get().token})).status_code == 200


def test_hr_sees_no_weekly_meetings_in_their_feed(meeting, cast, clock, client):
    feed = services.feed_for(cast.hr)
    assert "BEGIN:VEVENT" not in client.get(reverse("meetings:ics", kwargs={"token": feed.token})).content.decode()


def test_the_monthly_export_carries_the_meeting_columns(meeting, cast, clock):
    from attendance import export

    _one_absence_one_late(meeting, cast, clock)
    month = export.build(2026, 11, today=date(2026, 11, 24))
    absences, lates = month.headers.index("例会缺席次数"), month.headers.index("例会迟到次数")
    rows = {row[1]: row for row in month.rows}
    assert (rows["孙员工"][absences], rows["孙员工"][lates]) == (1, 0)
    assert (rows["李主管"][absences], rows["李主管"][lates]) == (0, 1)


def test_the_year_end_page_shows_the_meeting_counts(meeting, cast, clock, client):
    _one_absence_one_late(meeting, cast, clock)
    client.force_login(cast.manager.user)
    page = client.get(reverse("discipline:year_end"), {"year": 2026}).content.decode()
    assert "例会缺席次数" in page and "例会迟到次数" in page
