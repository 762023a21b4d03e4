"""Group robots: HR adds a WeCom / DingTalk webhook, chooses events, tests it; messages go through a
local fake of the vendor that checks DingTalk's signature (not a mock of our code)."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
import pytest

from discipline import services as discipline_services
from discipline.models import Kind
from opsdept import chat
from opsdept.models import ChatWebhook, WebhookDelivery
from tests.discipline.factories import rule

from .fake_robot import FakeRobot

SECRET = "SEC0123456789abcdef"


@pytest.fixture
def robot(settings):
    with FakeRobot(secret=SECRET) as fake:
        settings.CHAT_WEBHOOK_TEST_PREFIXES = [fake.base]
        yield fake


def add(cast, url, *, vendor="dingtalk", secret=SECRET, events=("discipline.notice",), names=False):
    return chat.add_webhook(actor=cast.hr.user, name="客服部群", vendor=vendor, url=url, secret=secret,
                            events=list(events), include_personal_data=names)


def test_the_test_message_reaches_the_fake_dingtalk_correctly_signed(cast, robot, client):
    webhook = add(cast, robot.dingtalk_url)
    client.force_login(cast.hr.user)
    response = client.post(reverse("chat_test", kwargs={"pk": webhook.pk}), follow=True)
    assert "测试消息已送达" in response.content.decode()
    assert robot.received[0]["msgtype"] == "text" and "opsdept" in robot.received[0]["text"]["content"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response) == ("sent", 1, "0 ok")


def test_a_wrong_signing_secret_is_reported_with_the_vendors_error(cast, robot, client):
    webhook = add(cast, robot.dingtalk_url, secret="SECwrong")
    client.force_login(cast.hr.user)
    page = client.post(reverse("chat_test", kwargs={"pk": webhook.pk}), follow=True).content.decode()
    assert "310000 sign not match" in page
    assert not robot.received and robot.refused
    assert WebhookDelivery.objects.get().status == "failed"


def test_wecom_needs_no_signature(cast, robot):
    webhook = add(cast, robot.wecom_url, vendor="wecom", secret="")
    assert chat.send_test_message(webhook.pk, actor=cast.hr.user).status == "sent"


def test_a_public_notice_is_queued_for_the_robots_that_want_it_without_names_unless_allowed(cast, robot,
                                                                                          django_capture_on_commit_callbacks):
    anonymous = add(cast, robot.dingtalk_url)
    named = add(cast, robot.wecom_url, vendor="wecom", secret="", names=True)
    add(cast, robot.wecom_url, vendor="wecom", secret="", events=["worklog.missing_reports"])
    import uuid

    with django_capture_on_commit_callbacks(execute=True):
        discipline_services.issue_record(cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk,
                                         kind=Kind.PUBLIC_CRITICISM, evidence="连续三天未交日报", token=uuid.uuid4())
    by_robot = {delivery.webhook_id: delivery for delivery in WebhookDelivery.objects.all()}
    assert set(by_robot) == {anonymous.pk, named.pk}
    assert "张员工" not in by_robot[anonymous.pk].text and "张员工" in by_robot[named.pk].text
    assert all(delivery.status == "sent" for delivery in by_robot.values())   # eager task, real HTTP to the fake
    assert len(robot.received) == 2


def test_a_failing_robot_never_blocks_the_request(cast, settings, django_capture_on_commit_callbacks):
    settings.CHAT_WEBHOOK_TEST_PREFIXES = ["http://127.0.0.1:9/"]   # nothing listens on the discard port
    add(cast, "http://127.0.0.1:9/robot/send?access_token=x")
    import uuid

    from opsdept.celery import app

    app.conf.task_always_eager = False  # as in production: queued, not run inline
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            record, _ = discipline_services.issue_record(
                cast.employee.pk, actor=cast.supervisor.user, rule_id=rule("same-day-unfinished").pk,
                kind=Kind.PUBLIC_CRITICISM, evidence="未交日报", token=uuid.uuid4())
    finally:
        app.conf.task_always_eager = True
    assert record.pk and callbacks   # the record is written; sending waits for the commit
    delivery = WebhookDelivery.objects.get()
    assert chat.attempt_delivery(delivery.pk, final=True) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.response   # HR sees it failed (retries: the worker test)


@pytest.mark.parametrize("vendor,url", [
    ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=x"),          # not https
    ("dingtalk", "https://oapi.dingtalk.com.evil.cn/robot/send?access_token=x"),  # not the vendor's host
    ("dingtalk", "https://evil.cn/robot/send?access_token=x"),
    ("wecom", "https://oapi.dingtalk.com/robot/send?access_token=x"),           # the other vendor
    ("wecom", "https://qyapi.weixin.qq.com/cgi-bin/other?key=x"),
    ("wecom", "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"),
    ("wecom", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=x"),
    ("wecom", "javascript:alert(1)"),
])
def test_a_webhook_address_off_the_vendors_https_host_is_refused_and_nothing_is_written(cast, vendor, url):
    with pytest.raises(chat.ChatError) as error:
        add(cast, url, vendor=vendor, secret="")
    assert error.value.field == "url" and error.value.message
    assert not ChatWebhook.objects.exists()


def test_the_vendors_real_addresses_are_accepted(cast):
    add(cast, "https://oapi.dingtalk.com/robot/send?access_token=abc")
    add(cast, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", vendor="wecom", secret="")
    assert ChatWebhook.objects.count() == 2


def test_only_hr_manages_robots_and_events_must_be_known(cast):
    with pytest.raises(PermissionDenied):
        chat.add_webhook(actor=cast.manager.user, name="群", vendor="wecom",
                         url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", events=[])
    with pytest.raises(chat.ChatError):
        add(cast, "https://oapi.dingtalk.com/robot/send?access_token=abc", events=["nope"])
    assert not ChatWebhook.objects.exists()


def test_dingtalk_signature_matches_the_documented_example():
    # The algorithm as DingTalk documents it, computed independently here.
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()).decode()
    assert chat.dingtalk_sign("SECabc", 1700000000000) == expected
    webhook = ChatWebhook(vendor="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=t", secret="SECabc")
    assert chat.signed_url(webhook, 1700000000000).endswith("&timestamp=1700000000000&sign=" +
                                                           expected.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"))
