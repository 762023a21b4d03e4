"""Daily reports: written for today's workday only, editable until the local day ends, reviewed by the supervisor."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from opsdept.models import AuditEvent, Notification
from tests.worklog.conftest import SHANGHAI
from tests.worklog.factories import DailyReportFactory
from worklog import services
from worklog.models import DailyReport

THURSDAY = date(2026, 11, 26)
FIELDS = {"done": "处理客户咨询 20 条", "completion": 80, "problems": "物流延迟", "solutions": "联系物流", "plan": "跟进工单"}


def post_report(client, day: date = THURSDAY, **overrides):
    data = {"date": day.isoformat(), **FIELDS, **overrides}
    return client.post(reverse("worklog:report_today"), data)


def test_employee_writes_todays_report(client, cast, clock):
    client.force_login(cast.employee.user)
    response = post_report(client)
    assert response.status_code == 302
    report = DailyReport.objects.get(employee=cast.employee, date=THURSDAY)
    assert (report.done, report.completion, report.plan) == (FIELDS["done"], 80, FIELDS["plan"])
    assert AuditEvent.objects.filter(action="worklog.report_written", target_id=str(report.pk)).exists()


def test_report_for_another_day_is_a_field_error_and_nothing_is_written(client, cast, clock):
    client.force_login(cast.employee.user)
    response = post_report(client, day=date(2026, 11, 25))
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not DailyReport.objects.exists()


def test_no_report_on_a_non_workday(cast, clock):
    clock(datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI))  # a Saturday
    with pytest.raises(services.WorklogError) as error:
        services.save_daily_report(date(2026, 11, 28), actor=cast.employee.user, **FIELDS)
    assert error.value.field == "date"
    assert not DailyReport.objects.exists()


@pytest.mark.parametrize("bad", [
    {"completion": "101"}, {"completion": "-1"}, {"completion": "half"}, {"done": ""}, {"plan": "   "}, {"date": "not-a-date"},
])
def test_bad_input_is_a_form_error_and_nothing_is_written(client, cast, clock, bad):
    client.force_login(cast.employee.user)
    response = post_report(client, **bad)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DailyReport.objects.exists()


def test_service_refuses_out_of_range_completion(cast, clock):
    with pytest.raises(services.WorklogError) as error:
        services.save_daily_report(THURSDAY, actor=cast.employee.user, **{**FIELDS, "completion": 150})
    assert error.value.field == "completion"


def test_an_edit_is_audited_with_before_and_after(cast, clock):
    report = services.save_daily_report(THURSDAY, actor=cast.employee.user, **FIELDS)
    services.save_daily_report(THURSDAY, actor=cast.employee.user, **{**FIELDS, "completion": 100, "plan": "写周报"})
    report.refresh_from_db()
    assert (report.completion, report.plan) == (100, "写周报")
    event = AuditEvent.objects.get(action="worklog.report_edited", target_id=str(report.pk))
    assert event.changes == {"completion": [80, 100], "plan": [FIELDS["plan"], "写周报"]}
    assert DailyReport.objects.count() == 1


def test_an_unchanged_save_writes_no_audit_event(cast, clock):
    services.save_daily_report(THURSDAY, actor=cast.employee.user, **FIELDS)
    services.save_daily_report(THURSDAY, actor=cast.employee.user, **FIELDS)
    assert not AuditEvent.objects.filter(action="worklog.report_edited").exists()


def test_report_is_editable_at_2359_local_time(cast, clock):
    services.save_daily_report(THURSDAY, actor=cast.employee.user, **FIELDS)
    # 23:59:59 in Shanghai is 15:59:59 UTC: still the report's day.
    clock(datetime(2026, 11, 26, 23, 59, 59, tzinfo=SHANGHAI))
    services.save_daily_report(THURSDAY, actor=cast.employee.user, **{**FIELDS, "plan": "最后一刻"})
    assert DailyReport.objects.get().plan == "最后一刻"


def test_report_locks_at_local_midnight_although_utc_is_still_the_same_day(client, cast, clock):
    services.save_daily_report(THURSDAY, actor=cast.employee.user, **FIELDS)
    # 00:00 in Shanghai on Friday is 16:00 UTC on Thursday: the local day has ended.
    clock(datetime(2026, 11, 27, 0, 0, tzinfo=SHANGHAI))
    with pytest.raises(services.WorklogError) as error:
        services.save_daily_report(THURSDAY, actor=cast.employee.user, **{**FIELDS, "plan": "改"})
    assert error.value.field == "date"
    client.force_login(cast.employee.user)
    response = post_report(client, plan="改")
    assert response.status_code == 200 and "date" in response.context["form"].errors
    report = DailyReport.objects.get()
    assert report.plan == FIELDS["plan"]
    assert not permissions_can_edit(cast, report)


def permissions_can_edit(cast, report) -> bool:
    from opsdept import permissions

    return permissions.can(cast.employee.user, "report.edit", report)


def test_the_form_for_today_starts_from_the_existing_report(client, cast, clock):
    services.save_daily_report(THURSDAY, actor=cast.employee.user, **FIELDS)
    client.force_login(cast.employee.user)
    response = client.get(reverse("worklog:report_today"))
    assert response.context["form"].initial["plan"] == FIELDS["plan"]


@pytest.mark.parametrize("role", ["hr", "manager"])
def test_hr_and_the_manager_write_no_reports(cast, clock, role):
    with pytest.raises(PermissionDenied):
        services.save_daily_report(THURSDAY, actor=getattr(cast, role).user, **FIELDS)


def test_supervisor_comments_and_rates_and_the_author_is_notified(client, cast, clock):
    report = DailyReportFactory(employee=cast.employee, date=THURSDAY)
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("worklog:report_review", args=[report.pk]), {"rating": "good", "comment": "数据清楚"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.rating, report.comment, report.reviewed_by) == ("good", "数据清楚", cast.supervisor)
    assert Notification.objects.filter(recipient=cast.employee, url=reverse("worklog:report_detail", args=[report.pk])).exists()
    event = AuditEvent.objects.get(action="worklog.report_reviewed")
    assert event.changes == {"rating": ["", "good"], "comment": ["", "数据清楚"]}
    client.force_login(cast.employee.user)
    page = client.get(reverse("worklog:my_reports")).content.decode()
    assert "数据清楚" in page


def test_review_from_the_team_page_returns_there(client, cast, clock):
    report = DailyReportFactory(employee=cast.employee, date=THURSDAY)
    client.force_login(cast.supervisor.user)
    back = reverse("worklog:team_reports") + "?date=2026-11-26"
    response = client.post(reverse("worklog:report_review", args=[report.pk]), {"rating": "excellent", "comment": "好", "next": back})
    assert response.url == back
    evil = client.post(reverse("worklog:report_review", args=[report.pk]), {"rating": "good", "comment": "好", "next": "https://evil.example/"})
    assert evil.url == reverse("worklog:report_detail", args=[report.pk])


@pytest.mark.parametrize("bad", [{"rating": "superb", "comment": "好"}, {"rating": "good", "comment": ""}])
def test_bad_review_is_a_field_error_and_nothing_is_written(client, cast, clock, bad):
    report = DailyReportFactory(employee=cast.employee, date=THURSDAY)
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("worklog:report_review", args=[report.pk]), bad)
    assert response.status_code == 200 and response.context["form"].errors
    report.refresh_from_db()
    assert report.rating == "" and report.comment == ""
    assert not Notification.objects.exists()


def test_another_teams_supervisor_cannot_review(cast, clock):
    report = DailyReportFactory(employee=cast.employee, date=THURSDAY)
    with pytest.raises(PermissionDenied):
        services.review_daily_report(report.pk, actor=cast.other_supervisor.user, rating="poor", comment="差")
    with pytest.raises(PermissionDenied):
        services.review_daily_report(report.pk, actor=cast.employee.user, rating="excellent", comment="自评")


def test_supervisor_reads_the_team_day_page(client, cast, clock):
    DailyReportFactory(employee=cast.employee, date=THURSDAY, done="完成客服周报")
    DailyReportFactory(employee=cast.outsider, date=THURSDAY, done="别的团队")
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("worklog:team_reports"), {"date": "2026-11-26"})
    page = response.content.decode()
    assert "完成客服周报" in page and "别的团队" not in page
    names = [row.employee.name for row in response.context["rows"]]
    assert sorted(names) == sorted(["张员工", "林记录"])
    assert [row.report is not None for row in response.context["rows"] if row.employee == cast.clerk] == [False]


def test_team_day_page_with_a_bad_date_shows_today(client, cast, clock):
    client.force_login(cast.supervisor.user)
    response = client.get(reverse("worklog:team_reports"), {"date": "2026-13-45"})
    assert response.status_code == 200 and response.context["day"] == THURSDAY


def test_team_day_page_query_count_stays_flat(client, cast, clock, django_assert_max_num_queries):
    from tests.factories import EmployeeFactory

    client.force_login(cast.supervisor.user)
    url = reverse("worklog:team_reports") + "?date=2026-11-26"

    def grow(count: int) -> None:
        for _ in range(count):
            member = EmployeeFactory(department=cast.employee.department, supervisor=cast.supervisor)
            DailyReportFactory(employee=member, date=THURSDAY, comment="好", rating="good", reviewed_by=cast.supervisor)

    grow(2)
    client.get(url)  # warm the session and caches
    # session, user, employee, subordinate tree, team, reports, calendar override, unread count,
    # the policy banner (discipline), the leave chapter's approved leave (opsdept.registries),
    # and the session save (savepoint, update, release): 13, whatever the team's size.
    with django_assert_max_num_queries(13) as small:
        client.get(url)
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 24
