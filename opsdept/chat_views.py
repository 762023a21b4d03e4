"""HR's pages for the group robots (WeCom, DingTalk): thin, through opsdept.chat."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import chat
from .errors import DomainError
from .forms import ChatWebhookEditForm, ChatWebhookForm
from .models import ChatWebhook, WebhookDelivery
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
