"""HR's outbox page: waiting and failed messages, filtered and paged; "retry now" for a failed one (audited)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from opsdept.models import AuditEvent, ChatWebhook, OutboxMessage, WebhookDelivery

Status = OutboxMessage.Status


def _message(kind=OutboxMessage.Kind.MAIL, status=Status.FAILED, **payload):
    payload = payload or {"notification": 0, "address": "zhang@example.com"}
    return OutboxMessage.objects.create(kind=kind, payload=payload, status=status, attempts=6 if status == Status.FAILED else 1,
                                        last_error="ConnectionRefusedError: [Errno 111]" if status == Status.FAILED else "",
                                        available_at=timezone.now() + timedelta(minutes=5))


def test_the_page_lists_waiting_and_failed_with_recipient_attempts_error_and_next_try(client, cast):
    failed = _message()
    waiting = _message(status=Status.PENDING, notification=0, address="li@example.com")
    delivered = _message(status=Status.DELIVERED, notification=0, address="wang@example.com")
    robot = ChatWebhook.objects.create(name="客服部群", vendor="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x",
                                       created_by=cast.hr)
    delivery = WebhookDelivery.objects.create(webhook=robot, event="notice", text="t", status=WebhookDelivery.Status.FAILED)
    robot_message = _message(kind=OutboxMessage.Kind.WEBHOOK, delivery=delivery.pk)
    client.force_login(cast.hr.user)
    page = client.get(reverse("outbox_list"))
    assert page.status_code == 200
    shown = {message.pk: recipient for message, recipient in page.context["rows"]}
    assert set(shown) == {failed.pk, waiting.pk, robot_message.pk}          # delivered ones only on request
    assert shown[failed.pk] == "zhang@example.com" and shown[robot_message.pk] == "客服部群"
    text = page.content.decode()
    assert "ConnectionRefusedError" in text and "失败" in text
    assert delivered.pk not in {message.pk for message, _r in client.get(reverse("outbox_list"), {"status": "failed"}).context["rows"]}
    only_failed = client.get(reverse("outbox_list"), {"status": "failed", "kind": "mail"}).context["rows"]
    assert [message.pk for message, _r in only_failed] == [failed.pk]
    assert [message.pk for message, _r in client.get(reverse("outbox_list"), {"status": "delivered"}).context["rows"]] == [delivered.pk]


def test_the_page_is_paged_fifty_at_a_time(client, cast):
    OutboxMessage.objects.bulk_create([OutboxMessage(kind="mail", payload={"notification": 0, "address": f"p{n}@example.com"},
                                                     status=Status.FAILED) for n in range(51)])
    client.force_login(cast.hr.user)
    assert len(client.get(reverse("outbox_list")).context["rows"]) == 50
    assert len(client.get(reverse("outbox_list"), {"page": 2}).context["rows"]) == 1


def test_a_bad_filter_is_a_chinese_error_not_a_500(client, cast):
    client.force_login(cast.hr.user)
    page = client.get(reverse("outbox_list"), {"start": "９９９９-01-01", "status": "nonsense"})
    assert page.status_code == 200


def test_retry_now_puts_a_failed_message_back_and_is_audited(client, cast, django_capture_on_commit_callbacks):
    robot = ChatWebhook.objects.create(name="市场部群", vendor="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=y",
                                       created_by=cast.hr)
    delivery = WebhookDelivery.objects.create(webhook=robot, event="notice", text="t", status=WebhookDelivery.Status.FAILED)
    failed = _message(kind=OutboxMessage.Kind.WEBHOOK, delivery=delivery.pk)
    client.force_login(cast.hr.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("outbox_retry", args=[failed.pk]), {"back": "status=failed"})
    assert response.status_code == 302 and response.url.endswith("?status=failed")
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.PENDING, 0) and failed.available_at <= timezone.now()
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.PENDING
    assert callbacks  # a worker is nudged after the commit
    event = AuditEvent.objects.get(action="outbox.retried")
    assert event.actor == cast.hr.user and event.changes["status"] == [Status.FAILED, Status.PENDING]


def test_only_a_failed_message_can_be_retried(client, cast):
    waiting = _message(status=Status.PENDING)
    client.force_login(cast.hr.user)
    page = client.post(reverse("outbox_retry", args=[waiting.pk]), follow=True)
    assert "只有发送失败的消息才能重新发送" in page.content.decode()
    waiting.refresh_from_db()
    assert waiting.attempts == 1 and not AuditEvent.objects.filter(action="outbox.retried").exists()

