"""Pages for deputies (代理审批人), the approval settings, and reminder choices: thin, through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import approvals, permissions, reminders
from .errors import DomainError
from .forms import ApprovalSettingsForm, DeputyForm, ReminderChoiceForm
from .models import ApprovalSettings, Deputy
from .web import apply_domain_error, require_action, requires


@requires("deputy.name")
def deputy_list(request: HttpRequest) -> HttpResponse:
    me = permissions.employee_of(request.user)
    may_choose = me.is_hr
    form = DeputyForm(request.POST or None, may_choose_principal=may_choose, me=me)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        principal = data.get("principal") or me
        try:
            approvals.name_deputy(principal.pk, actor=request.user, deputy_id=data["deputy"].pk,
                                  start_date=data["start_date"], end_date=data["end_date"], note=data["note"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The deputy was named."))
            return redirect("deputy_list")
    named = Deputy.objects.select_related("principal", "deputy").filter(end_date__gte=timezone.localdate())
    if not me.is_hr:
        named = named.filter(principal=me) | named.filter(deputy=me)
    return render(request, "opsdept/deputy_list.html", {"form": form, "named": named.order_by("start_date", "id")})


@require_POST
def deputy_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    me = permissions.employee_of(request.user)
    found = get_object_or_404(Deputy, pk=pk)
    if me is None or not (me.is_hr or me.pk in (found.principal_id, found.deputy_id)):
        raise Http404  # outside one's reach: as if it did not exist
    require_action(request, "deputy.cancel", found)
    try:
        approvals.cancel_deputy(found.pk, actor=request.user)
        messages.success(request, _("The deputy was cancelled."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("deputy_list")


@requires("approval.configure")
def approval_settings(request: HttpRequest) -> HttpResponse:
    current = ApprovalSettings.current()
    form = ApprovalSettingsForm(request.POST or None, initial={
        "top_approver": current.top_approver, "escalate_after_workdays": current.escalate_after_workdays})
    if request.method == "POST" and form.is_valid():
        try:
            approvals.update_approval_settings(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Approval settings saved."))
            return redirect("approval_settings")
    return render(request, "opsdept/approval_settings.html", {"form": form})


@requires("reminders.choose")
def reminder_choices(request: HttpRequest) -> HttpResponse:
    me = permissions.employee_of(request.user)
    if request.method == "POST":
        form = ReminderChoiceForm(request.POST)
        if form.is_valid():
            try:
                reminders.set_reminder_preference(form.cleaned_data["kind"], actor=request.user,
                                                  enabled=form.cleaned_data["enabled"])
                messages.success(request, _("Your reminder choice was saved."))
            except DomainError as error:
                messages.error(request, error.message)
        return redirect("reminder_choices")
    return render(request, "opsdept/reminder_choices.html", {"choices": reminders.choices_for(me), "defaults": False})


@requires("reminders.defaults")
def reminder_defaults(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReminderChoiceForm(request.POST)
        if form.is_valid():
            try:
                reminders.set_reminder_default(form.cleaned_data["kind"], actor=request.user,
                                               enabled=form.cleaned_data["enabled"])
                messages.success(request, _("The default was saved."))
            except DomainError as error:
                messages.error(request, error.message)
        return redirect("reminder_defaults")
    choices = [(kind, reminder.label, reminders.default_for(kind)) for kind, reminder in reminders.registries.reminders.items()]
    return render(request, "opsdept/reminder_choices.html", {"choices": choices, "defaults": True})


# ---------------------------------------------------------------- e-mail: language and unsubscribing

@requires("reminders.choose")
def mail_preferences(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    from . import mail

    me = permissions.employee_of(request.user)
    current = mail.preference_of(me)
    if request.method == "POST":
        try:
            mail.set_mail_preference(me, actor=request.user, language=request.POST.get("language", ""),
                                     unsubscribed=request.POST.getlist("unsubscribed"))
            messages.success(request, _("Your e-mail settings were saved."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("mail_preferences")
    return render(request, "opsdept/mail_preferences.html", {
        "languages": settings.LANGUAGES, "kinds": mail.all_kinds(),
        "language": current.language if current else settings.LANGUAGE_CODE,
        "unsubscribed": set(current.unsubscribed) if current else set(),
    })


@login_not_required
def mail_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every mail: a confirmation page (GET never changes anything), then POST unsubscribes."""
    from . import mail

    found = mail.read_token(token)
    if found is None:
        raise Http404
    done = None
    if request.method == "POST":
        done = mail.unsubscribe(token)
        if done is None:
            raise Http404
    return render(request, "opsdept/mail_unsubscribe.html", {"kind_label": mail.kind_label(found[1]), "done": done})


def set_language(request: HttpRequest) -> HttpResponse:
    """The language switch: Django's cookie, and for someone signed in also their saved language (their
    e-mails and notifications then come in it; the mail settings page shows and changes it too)."""
    from django.conf import settings
    from django.views import i18n

    from . import mail

    response = i18n.set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    me = permissions.employee_of(request.user) if request.user.is_authenticated else None
    if me is not None and language in dict(settings.LANGUAGES):
        mail.remember_language(me, actor=request.user, language=language)
    return response
