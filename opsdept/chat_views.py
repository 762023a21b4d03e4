"""HR's pages for the group robots (WeCom, DingTalk): thin, through opsdept.chat."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import chat, outbox
from .errors import DomainError
from .filters import OutboxFilter
from .forms import ChatWebhookEditForm, ChatWebhookForm
from .models import ChatWebhook, OutboxMessage, WebhookDelivery
from .web import apply_domain_error, requires

LAST_DELIVERIES = 20


@requires("chat.manage")
def chat_list(request: HttpRequest) -> HttpResponse:
    form = ChatWebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhook = chat.add_webhook(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The group robot was added. Send a test message to check it."))
            return redirect("chat_detail", pk=webhook.pk)
    failing = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED).values_list("webhook_id", flat=True)
    return render(request, "opsdept/chat_list.html", {"form": form, "webhooks": ChatWebhook.objects.all(),
                                                      "failing": set(failing)})


@requires("chat.manage")
def chat_detail(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = get_object_or_404(ChatWebhook, pk=pk)
    form = ChatWebhookEditForm(request.POST or None, initial={
        "events": webhook.events, "include_personal_data": webhook.include_personal_data, "is_active": webhook.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            chat.update_webhook(webhook.pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("chat_detail", pk=webhook.pk)
    return render(request, "opsdept/chat_detail.html", {
        "webhook": webhook, "form": form, "deliveries": webhook.deliveries.all()[:LAST_DELIVERIES]})


@require_POST
@requires("chat.manage")
def chat_test(request: HttpRequest, pk: int) -> HttpResponse:
    webhook = get_object_or_404(ChatWebhook, pk=pk)
    delivery = chat.send_test_message(webhook.pk, actor=request.user)
    if delivery.status == WebhookDelivery.Status.SENT:
        messages.success(request, _("The test message was delivered."))
    else:
        messages.error(request, _("The test message failed: %(answer)s") % {"answer": delivery.response})
    return redirect("chat_detail", pk=webhook.pk)


# ---------------------------------------------------------------- the outbox: what waits or failed

OUTBOX_PAGE = 50


@requires("outbox.view")
def outbox_list(request: HttpRequest) -> HttpResponse:
    """HR: the e-mails, group-robot messages and tasks still waiting or failed (read-only, 50 a page)."""
    found = OutboxFilter(request.GET or None, queryset=OutboxMessage.objects.order_by("-id"))
    page = Paginator(found.qs, OUTBOX_PAGE).get_page(request.GET.get("page"))
    rows = list(page)
    recipients = outbox.recipients(rows)
    return render(request, "opsdept/outbox_list.html", {
        "filter": found, "page": page, "query": found.query, "failed": OutboxMessage.Status.FAILED,
        "rows": [(message, recipients[message.pk]) for message in rows],
    })


@require_POST
@requires("outbox.retry")
def outbox_retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        outbox.retry_message(message.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The message will be sent again now."))
    back = QueryDict(request.POST.get("back", "")[:1000]).urlencode()  # the list's filter, re-encoded
    return redirect(f"{reverse('outbox_list')}?{back}")
