from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdept import permissions
from opsdept.errors import DomainError

from . import selectors, services
from .forms import DismissFlagForm
from .models import Flag


def flag_list(request: HttpRequest) -> HttpResponse:
    """The review queue for supervisors; everyone else sees their own flags."""
    review = permissions.can(request.user, "flag.review")
    if review:
        flags = selectors.open_flags_for_review(request.user)
    else:
        flags = selectors.flags_visible_to(request.user)
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    return render(request, "discipline/flag_list.html", {"page": page, "review": review, "form": DismissFlagForm()})


def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    flag = permissions.get_visible_or_404(request.user, Flag.objects.select_related("employee", "rule", "reviewed_by"), pk=pk)
    return render(request, "discipline/flag_detail.html", {
        "flag": flag,
        "can_review": permissions.can(request.user, "flag.review", flag),
        "form": DismissFlagForm(),
    })


@require_POST
def flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    flag = permissions.get_visible_or_404(request.user, Flag.objects.select_related("employee"), pk=pk)
    if not permissions.can(request.user, "flag.review", flag):
        raise PermissionDenied
    form = DismissFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for dismissing the flag."))
        return redirect("discipline:flag_detail", pk=flag.pk)
    try:
        services.dismiss_flag(flag.pk, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Flag dismissed."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("discipline:flag_list")
