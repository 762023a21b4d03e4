"""A line break in anything that becomes a mail subject never answers 500."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from opsdept import workcalendar
from opsdept.models import Notification
from opsdept.notify import Verbatim, notify, one_line
from worklog.models import Task
from worklog.services import assign_task


def next_workday():
    day = timezone.localdate()
    while not workcalendar.is_workday(day):
        day += timedelta(days=1)
    return day


def test_one_line_collapses_every_kind_of_line_break():
    assert one_line("a\r\nb\n\nc\u2028d\x00e\tf  g") == "a b c d e f g"


@pytest.mark.django_db(transaction=True)
def test_notify_never_raises_on_a_line_break_and_mails_one_line(cast):
    cast.employee.email = "zhang@example.com"
    cast.employee.save()
    note = notify(cast.employee, subject=Verbatim("第一行\r\nBcc: evil@example.com\n第二行"), body="正文")
    assert "\n" not in note.subject and "\r" not in note.subject
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "第一行 Bcc: evil@example.com 第二行"
    assert mail.outbox[0].recipients() == ["zhang@example.com"]


@pytest.mark.django_db(transaction=True)
def test_a_task_title_with_a_line_break_saved_earlier_still_mails_and_takes_feedback(cast, client):
    cast.employee.email = "zhang@example.com"
    cast.employee.save()
    task = assign_task(cast.employee.pk, actor=cast.supervisor.user, title="整理\n报表", due_date=next_workday())
    assert mail.outbox and "\n" not in mail.outbox[-1].subject
    client.force_login(cast.employee.user)
    response = client.post(reverse("worklog:task_feedback", args=[task.pk]), {"reason": "忙", "new_plan": "明天"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_task_form_refuses_a_line_break_in_the_title(cast, client):
    client.force_login(cast.supervisor.user)
    response = client.post(reverse("worklog:task_create"), {
        "assignee": cast.employee.employee_no, "title": "整理\r\n报表", "detail": "", "due_date": next_workday().isoformat()})
    assert response.status_code == 200
    assert "只能填写一行" in response.content.decode()
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_the_leave_type_form_refuses_a_line_break_in_the_name(cast, client):
    from leave.models import LeaveType

    before = LeaveType.objects.count()
    client.force_login(cast.hr.user)
    page = client.get(reverse("leave:type_new"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: (field.initial if field.initial is not None else "") for name, field in form.fields.items()}
    data.update({"name": "特别\n假", "code": "special"})
    data = {key: value for key, value in data.items() if value is not None and value is not False}
    response = client.post(reverse("leave:type_new"), data)
    assert response.status_code == 200
    assert "只能填写一行" in response.content.decode()
    assert LeaveType.objects.count() == before
    assert not Notification.objects.exists()
