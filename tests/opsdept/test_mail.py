"""E-mail: a plain-text and an HTML part, the recipient's language, unsubscribe per kind."""

from django.core import mail as outbox_module
from django.urls import reverse

from opsdept import mail
from opsdept.models import AuditEvent, MailPreference
from opsdept.notify import Verbatim, notify


def send(cast, django_capture_on_commit_callbacks, **kwargs):
    cast.supervisor.email = "li@example.com"
    cast.supervisor.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(cast.supervisor, subject=Verbatim("张员工 申请事假，1 天"), body="家中有事", url="/leave/1/", **kwargs)
    return outbox_module.outbox


def test_a_notification_mail_has_a_plain_and_an_html_part_and_an_unsubscribe_link(cast, django_capture_on_commit_callbacks):
    [message] = send(cast, django_capture_on_commit_callbacks, key="leaverequest:1")
    assert message.subject == "张员工 申请事假，1 天" and message.to == ["li@example.com"]
    assert "家中有事" in message.body and "/mail/unsubscribe/" in message.body and "你好" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "<strong>张员工 申请事假，1 天</strong>" in html and "请假申请与审批" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<")


def test_the_mail_frame_is_in_the_recipients_language(cast, django_capture_on_commit_callbacks):
    MailPreference.objects.create(employee=cast.supervisor, language="en")
    [message] = send(cast, django_capture_on_commit_callbacks, key="leaverequest:1")
    assert message.body.startswith("Hello 李主管,") and "Stop these e-mails" in message.alternatives[0][0]


def test_an_unsubscribed_kind_is_not_mailed_but_still_notified_in_the_app(cast, django_capture_on_commit_callbacks):
    MailPreference.objects.create(employee=cast.supervisor, unsubscribed=["leaverequest"])
    assert send(cast, django_capture_on_commit_callbacks, key="leaverequest:1") == []
    assert cast.supervisor.notifications.count() == 1
    assert len(send(cast, django_capture_on_commit_callbacks, key="appeal:3")) == 1   # other kinds still come


def test_the_unsubscribe_link_works_without_signing_in_and_only_on_post(client, cast):
    url = reverse("mail_unsubscribe", kwargs={"token": mail.unsubscribe_token(cast.supervisor.pk, "worklog.daily_report")})
    page = client.get(url)
    assert page.status_code == 200 and not MailPreference.objects.exists()
    client.post(url)
    assert MailPreference.objects.get(employee=cast.supervisor).unsubscribed == ["worklog.daily_report"]
    assert AuditEvent.objects.filter(action="mail.preference_set").count() == 1
    assert client.get(url[:-3] + "xx/").status_code == 404   # a tampered token


def test_the_employee_chooses_language_and_kinds(client, cast):
    client.force_login(cast.employee.user)
    client.post(reverse("mail_preferences"), {"language": "en", "unsubscribed": ["flag", "worklog.daily_report"]})
    found = MailPreference.objects.get(employee=cast.employee)
    assert (found.language, found.unsubscribed) == ("en", ["flag", "worklog.daily_report"])
    client.post(reverse("mail_preferences"), {"language": "xx"})
    assert MailPreference.objects.get(employee=cast.employee).language == "en"   # refused, nothing written
