"""The worklog card on the home page and the navigation menu."""

from datetime import date

from django.urls import reverse

from tests.worklog.factories import DailyReportFactory, TaskFactory

THURSDAY = date(2026, 11, 26)


def test_staff_card_asks_for_todays_report_until_it_is_written(client, cast, clock):
    client.force_login(cast.employee.user)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="worklog-card"' in page and reverse("worklog:report_today") in page
    assert "worklog:team_reports" not in page and reverse("worklog:team_reports") not in page
    DailyReportFactory(employee=cast.employee, date=THURSDAY)
    card = client.get(reverse("home")).context["card"]
    assert card.today_report is not None


def test_supervisor_card_lists_missing_reports_and_open_tasks(client, cast, clock, only_registered):
    from opsdept import registries

    only_registered(registries.day_providers)
    DailyReportFactory(employee=cast.employee, date=THURSDAY)
    TaskFactory(assignee=cast.clerk, assigned_by=cast.supervisor)
    TaskFactory(assignee=cast.outsider, assigned_by=cast.other_supervisor)
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("home"))
    card = response.context["card"]
    assert [person.name for person in card.team_missing] == ["林记录"]
    assert card.team_open_tasks.count == 1 and card.team_open_tasks.oldest is not None
    assert reverse("worklog:team_reports") in response.content.decode()


def test_hr_card_has_no_report_prompt(client, cast, clock):
    client.force_login(cast.hr.user)
    card = client.get(reverse("home")).context["card"]
    assert card.writes_reports is False and card.leads_team is False
