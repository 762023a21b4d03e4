"""The chat apps people already use: WeCom (企业微信) and DingTalk (钉钉) group robots.

HR adds a robot's webhook (https on the vendor's host only), chooses which events go
there (`registries.chat_events`), sends a test message and sees the last deliveries.
A chapter posts an event with `post_event(key, text=..., personal_text=...)`: one
`WebhookDelivery` per robot that wants it (HR's log), and an outbox row in the same
transaction that a worker delivers after the commit (`opsdept.outbox`), with retries and
backoff — a failing robot or a dead broker never blocks the request that caused it, nothing
is lost, and HR sees a delivery that failed for good. Names stay out of group messages (`text`) unless HR allows them on that
robot (`personal_text`).

DingTalk signing (加签): sign = urlencode(base64(HMAC-SHA256(key=secret,
msg=f"{timestamp}\\n{secret}"))), sent as the `timestamp` and `sign` query parameters.
"""

import base64
import hashlib
import hmac
import json
import time
from urllib.parse import quote_plus, urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import httpx

from . import audit, outbox, permissions, registries
from .errors import DomainError
from .models import ChatWebhook, WebhookDelivery

VENDOR_ENDPOINTS = {
    ChatWebhook.Vendor.WECOM: ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send"),
    ChatWebhook.Vendor.DINGTALK: ("oapi.dingtalk.com", "/robot/send"),
}
TIMEOUT_SECONDS = 10
WEBHOOK_FIELDS = ["name", "vendor", "url", "events", "include_personal_data", "is_active"]


class ChatError(DomainError):
    pass


class DeliveryFailed(Exception):
    """The vendor did not take the message (network error, HTTP error or a non-zero errcode)."""


# ---------------------------------------------------------------- checking and signing

def check_url(vendor: str, url: str) -> str:
    """The webhook address if it is https on the vendor's host and path (or a test server the settings allow)."""
    url = (url or "").strip()
    for prefix in getattr(settings, "CHAT_WEBHOOK_TEST_PREFIXES", []):
        if prefix and url.startswith(prefix):
            return url
    if vendor not in VENDOR_ENDPOINTS:
        raise ChatError(_("Choose WeCom or DingTalk."), field="vendor")
    host, path = VENDOR_ENDPOINTS[vendor]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ChatError(_("Paste the robot's webhook address."), field="url") from error
    if parts.scheme != "https":
        raise ChatError(_("The webhook address must start with https://."), field="url")
    if parts.hostname != host or port not in (None, 443) or parts.username or parts.password or parts.path != path:
        raise ChatError(_("A %(vendor)s webhook address looks like https://%(host)s%(path)s?…") % {
            "vendor": ChatWebhook.Vendor(vendor).label, "host": host, "path": path}, field="url")
    if "\n" in url or "\r" in url or " " in url:
        raise ChatError(_("Paste the robot's webhook address."), field="url")
    return url


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature of a request: base64 HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(webhook: ChatWebhook, now_ms: int | None = None) -> str:
    if webhook.vendor != ChatWebhook.Vendor.DINGTALK or not webhook.secret:
        return webhook.url
    timestamp = now_ms if now_ms is not None else int(time.time() * 1000)
    joiner = "&" if "?" in webhook.url else "?"
    return f"{webhook.url}{joiner}timestamp={timestamp}&sign={quote_plus(dingtalk_sign(webhook.secret, timestamp))}"


def _payload(text: str) -> dict:
    return {"msgtype": "text", "text": {"content": text}}


def send_now(webhook: ChatWebhook, text: str) -> str:
    """POST one message; return the vendor's answer, or raise DeliveryFailed with it."""
    try:
        response = httpx.post(signed_url(webhook), json=_payload(text), timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}"[:300]) from error
    if response.status_code != 200:
        raise DeliveryFailed(f"HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError as error:
        raise DeliveryFailed(_("The answer was not JSON.")) from error
    code = answer.get("errcode", 0) if isinstance(answer, dict) else -1
    message = f"{code} {answer.get('errmsg', '') if isinstance(answer, dict) else ''}".strip()
    if code != 0:
        raise DeliveryFailed(message[:300])
    return message[:300]


# ---------------------------------------------------------------- posting events

def post_event(event: str, *, text: str, personal_text: str = "") -> list[WebhookDelivery]:
    """Queue `text` (or `personal_text`, where HR allows names) to every active robot that wants `event`."""
    deliveries = []
    for webhook in ChatWebhook.objects.filter(is_active=True):
        if event not in (webhook.events or []):
            continue
        body = personal_text if (personal_text and webhook.include_personal_data) else text
        delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, text=body[:4000])
        deliveries.append(delivery)
        outbox.add(outbox.Kind.WEBHOOK, {"delivery": delivery.pk})
    return deliveries


def attempt_delivery(delivery_id: int, *, final: bool) -> bool:
    """One attempt (the task's body): True when sent; records the answer; marks failed on the final attempt."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.status == WebhookDelivery.Status.SENT:
        return True
    delivery.attempts += 1
    try:
        delivery.response = send_now(delivery.webhook, delivery.text)
    except DeliveryFailed as error:
        delivery.response = str(error)[:300]
        if final:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.finished_at = timezone.now()
        delivery.save(update_fields=["attempts", "response", "status", "finished_at"])
        return False
    delivery.status = WebhookDelivery.Status.SENT
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["attempts", "response", "status", "finished_at"])
    return True


# ---------------------------------------------------------------- HR's services

def _events_or_error(events: list[str]) -> list[str]:
    known = {key for key, _label in registries.chat_events.items()}
    unknown = [event for event in events if event not in known]
    if unknown:
        raise ChatError(_("Choose events from the list."), field="events")
    return sorted(set(events))


@transaction.atomic
def add_webhook(*, actor: AbstractBaseUser, name: str, vendor: str, url: str, secret: str = "", events: list[str],
                include_personal_data: bool = False) -> ChatWebhook:
    permissions.require(actor, "chat.manage")
    if not name.strip():
        raise ChatError(_("Name the robot (the group it posts to)."), field="name")
    url = check_url(vendor, url)
    if vendor == ChatWebhook.Vendor.DINGTALK and secret and not secret.strip().startswith("SEC"):
        raise ChatError(_("A DingTalk signing secret starts with SEC."), field="secret")
    webhook = ChatWebhook(
        name=name.strip()[:60], vendor=vendor, url=url, secret=secret.strip(), events=_events_or_error(events),
        include_personal_data=include_personal_data, created_by=permissions.employee_of(actor))
    audit.update_audited(webhook, actor=actor, action=audit.Action.CHAT_WEBHOOK_ADDED, fields=WEBHOOK_FIELDS, validate=False)
    return webhook


@transaction.atomic
def update_webhook(webhook_id: int, *, actor: AbstractBaseUser, events: list[str], include_personal_data: bool,
                   is_active: bool) -> ChatWebhook:
    permissions.require(actor, "chat.manage")
    webhook = ChatWebhook.objects.select_for_update().get(pk=webhook_id)
    audit.update_audited(webhook, actor=actor, action=audit.Action.CHAT_WEBHOOK_CHANGED, fields=WEBHOOK_FIELDS,
                         values={"events": _events_or_error(events), "include_personal_data": include_personal_data,
                                 "is_active": is_active},
                         validate=False)
    return webhook


def send_test_message(webhook_id: int, *, actor: AbstractBaseUser) -> WebhookDelivery:
    """HR's test: sent at once (HR waits for the vendor's answer, e.g. a wrong signing secret), recorded."""
    permissions.require(actor, "chat.manage")
    webhook = ChatWebhook.objects.get(pk=webhook_id)
    with translation.override(settings.LANGUAGE_CODE):  # the group reads the department's language
        text = _("opsdept test message: this group will get the events HR chose.")
    delivery = WebhookDelivery.objects.create(webhook=webhook, event="test", text=text)
    attempt_delivery(delivery.pk, final=True)
    delivery.refresh_from_db()
    audit.record(actor, audit.Action.CHAT_WEBHOOK_TESTED, webhook, changes={"status": delivery.status},
                 note=delivery.response)
    return delivery
