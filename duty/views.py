"""duty: pages for holiday periods, rosters, swaps and the duty log. Thin: look up, validate, one service, redirect."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opsdept import permissions
from opsdept.errors import DomainError
from opsdept.web import apply_domain_error, require_action, requires, year_from_request

from . import selectors, services
from .filters import SwapFilter
from .forms import CompensationForm, DayForm, DeclarePeriodForm, DutyLogForm, NoteForm, PeriodDatesForm, SwapRequestForm
from .models import DutyAssignment, DutyDay, DutyRoster, DutySwap


def _roster_or_404(request: HttpRequest, pk: int) -> DutyRoster:
    roster = selectors.visible_rosters(request.user).filter(pk=pk).first()
    if roster is None:
        raise Http404
    return roster


# ---------------------------------------------------------------- periods and rosters

@requires("duty.view")
def index(request: HttpRequest) -> HttpResponse:
    """The year's holiday periods with their rosters, my next duty days and the swaps that wait for me."""
    today = timezone.localdate()
    year = year_from_request(request, today.year)
    me = permissions.employee_of(request.user)
    rosters = list(selectors.visible_rosters(request.user).filter(period__start_date__year=year))
    periods = []
    for holiday, stored in selectors.periods_for_year(year):
        mine = [r for r in rosters if stored is not None and r.period_id == stored.pk]
        periods.append({"holiday": holiday, "stored": stored, "rosters": mine,
                        "has_own": any(r.owner_id == me.pk for r in mine)})
    return render(request, "duty/index.html", {
        "year": year, "periods": periods, "today": today,
        "upcoming": selectors.upcoming_duties(me, today),
        "swaps": selectors.swaps_for(me).filter(status="pending"),
        "to_decide": selectors.swaps_to_decide(request.user),
        "may_arrange": permissions.can(request.user, "duty.arrange"),
        "may_manage": permissions.can(request.user, "duty.manage_periods"),
        "compensation_choices": CompensationForm.base_fields["compensation"].choices,
    })


@require_POST
@requires("duty.arrange")
def roster_create(request: HttpRequest) -> HttpResponse:
    form = PeriodDatesForm(request.POST)
    if form.is_valid():
        try:
            roster = services.start_duty_roster(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The draft roster is ready: fill it evenly or set each day, then publish."))
            return redirect("duty:roster_detail", pk=roster.pk)
    else:
        messages.error(request, _("Choose a period from the list."))
    return redirect("duty:index")


@requires("duty.manage_periods")
def period_declare(request: HttpRequest) -> HttpResponse:
    form = DeclarePeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.declare_duty_period(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The duty period is declared; supervisors can now arrange rosters for it."))
            return redirect(f"{_index_url()}?year={period.start_date.year}")
    return render(request, "duty/period_form.html", {"form": form})


def _index_url() -> str:
    return reverse("duty:index")


@require_POST
@requires("duty.manage_periods")
def period_compensation(request: HttpRequest) -> HttpResponse:
    form = CompensationForm(request.POST)
    if form.is_valid():
        try:
            period = services.set_duty_compensation(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved how %(period)s is compensated.") % {"period": period.name})
            return redirect(f"{_index_url()}?year={period.start_date.year}")
    else:
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("duty:index")


def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The roster: a table that prints on one A4 page, the logs, and (for a draft) the editing links."""
    roster = _roster_or_404(request, pk)
    require_action(request, "duty.view", roster)
    me = permissions.employee_of(request.user)
    return render(request, "duty/roster_detail.html", {
        "roster": roster, "days": selectors.roster_days(roster), "me": me, "today": timezone.localdate(),
        "may_arrange": permissions.can(request.user, "duty.arrange", roster),
    })


def roster_day(request: HttpRequest, pk: int) -> HttpResponse:
    """Set one draft day: shifts, people, phones, person in charge."""
    duty_day = get_object_or_404(DutyDay.objects.select_related("roster__owner", "roster__period"), pk=pk)
    roster = _roster_or_404(request, duty_day.roster_id)
    require_action(request, "duty.arrange", roster)
    team = list(selectors.roster_team(roster.owner))
    if request.method == "POST":
        form = DayForm(request.POST, team=team)
        if form.is_valid():
            try:
                services.set_duty_day(duty_day.pk, actor=request.user, responsible_id=form.responsible_id(), shifts=form.plans())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("%(day)s is arranged.") % {"day": duty_day.date})
                return redirect("duty:roster_detail", pk=roster.pk)
    else:
        form = DayForm(initial=_day_initial(duty_day, team), team=team)
    return render(request, "duty/day_form.html", {"form": form, "day": duty_day, "roster": roster})


def _day_initial(duty_day: DutyDay, team: list) -> dict:
    initial = {"responsible": str(duty_day.responsible_id or "")}
    phones = {person.pk: person.phone for person in team}
    for row, shift in enumerate(duty_day.shifts.order_by("start_time")[:DayForm.SHIFT_ROWS]):
        current = list(shift.assignments.filter(is_active=True))
        initial[f"shift{row}_start"] = shift.start_time
        initial[f"shift{row}_end"] = shift.end_time
        initial[f"shift{row}_people"] = [str(a.employee_id) for a in current]
        phones.update({a.employee_id: a.phone for a in current if a.phone})
    initial.update({f"phone_{pk}": phone for pk, phone in phones.items()})
    return initial


def roster_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the fair rotation proposed, beside each person's duty days of the last 12 months. POST: apply it."""
    roster = _roster_or_404(request, pk)
    require_action(request, "duty.arrange", roster)
    if request.method == "POST":
        try:
            filled = services.fill_roster_evenly(roster.pk, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(count)s day(s) filled. Adjust any day, then publish.") % {"count": filled})
        return redirect("duty:roster_detail", pk=roster.pk)
    proposal = selectors.propose_rotation(roster)
    rows = [{"person": person, "past": proposal.past_counts.get(person.pk, 0),
             "proposed": proposal.proposed_counts.get(person.pk, 0),
             "away": sorted(day for pk, day in proposal.on_leave if pk == person.pk)} for person in proposal.team]
    return render(request, "duty/roster_fill.html", {"roster": roster, "proposal": proposal, "rows": rows})


@require_POST
def roster_publish(request: HttpRequest, pk: int) -> HttpResponse:
    roster = _roster_or_404(request, pk)
    require_action(request, "duty.arrange", roster)
    try:
        services.publish_duty_roster(roster.pk, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The roster is published; everyone on it has been told."))
    return redirect("duty:roster_detail", pk=roster.pk)


@requires("duty.view")
def my_duty(request: HttpRequest) -> HttpResponse:
    """The phone view: my next shifts, who is in charge and how to reach them."""
    me = permissions.employee_of(request.user)
    today = timezone.localdate()
    upcoming = selectors.upcoming_duties(me, today)
    colleagues = {a.pk: list(DutyAssignment.objects.filter(shift__day=a.shift.day, is_active=True)
                             .exclude(pk=a.pk).select_related("employee")) for a in upcoming}
    items = [{"assignment": a, "colleagues": colleagues[a.pk]} for a in upcoming]
    found = SwapFilter(request.GET or None, queryset=selectors.swaps_for(me))
    return render(request, "duty/mine.html", {"items": items, "today": today, "me": me, "filter": found,
                                              "swaps": found.qs[:50]})


# ---------------------------------------------------------------- swaps

def swap_request(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(DutyAssignment.objects.select_related("shift__day__roster__owner", "employee"), pk=pk)
    me = permissions.employee_of(request.user)
    if me is None or assignment.employee_id != me.pk:
        raise Http404
    require_action(request, "duty.swap_request", assignment)
    team = selectors.roster_team(assignment.shift.day.roster.owner).exclude(pk=me.pk)
    form = SwapRequestForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            swap = services.request_duty_swap(assignment.pk, actor=request.user, colleague_id=form.cleaned_data["colleague"].pk,
                                              reason=form.cleaned_data["reason"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Asked %(name)s; the swap takes effect once they accept and the supervisor approves.")
                             % {"name": swap.colleague.name})
            return redirect("duty:swap_detail", pk=swap.pk)
    return render(request, "duty/swap_form.html", {"form": form, "assignment": assignment})


def _swap_or_404(request: HttpRequest, pk: int) -> DutySwap:
    swap = get_object_or_404(DutySwap.objects.select_related(
        "assignment__shift__day__roster__owner", "assignment__shift__day__roster__period", "requester", "colleague", "decided_by"), pk=pk)
    if not permissions.can(request.user, "duty.swap_view", swap):
        raise Http404
    return swap


def swap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    swap = _swap_or_404(request, pk)
    return render(request, "duty/swap_detail.html", {"swap": swap, "form": NoteForm()})


def _swap_action(action: str, service, success: str, *, with_note: bool = False):
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        swap = _swap_or_404(request, pk)
        require_action(request, action, swap)
        form = NoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        error_message = ""
        try:
            if with_note:
                service(swap.pk, actor=request.user, note=note)
            else:
                service(swap.pk, actor=request.user)
        except DomainError as error:
            error_message = error.message
        if request.htmx:  # the row of the list of swaps to decide answers in place
            return render(request, "duty/_swap_row.html", {
                "swap": _swap_or_404(request, pk), "error": error_message, "note": note,
                "done": "" if error_message else str(success)})
        if error_message:
            messages.error(request, error_message)
        else:
            messages.success(request, str(success))
        return redirect("duty:swap_detail", pk=swap.pk)

    return view


swap_accept = _swap_action("duty.swap_respond", services.accept_duty_swap, gettext_lazy("You accepted; the supervisor decides next."))
swap_decline = _swap_action("duty.swap_respond", services.decline_duty_swap, gettext_lazy("You declined the swap."), with_note=True)
swap_withdraw = _swap_action("duty.swap_withdraw", services.withdraw_duty_swap, gettext_lazy("The swap is withdrawn."))
swap_approve = _swap_action("duty.swap_decide", services.approve_duty_swap, gettext_lazy("Approved: the roster now shows the new person."), with_note=True)
swap_reject = _swap_action("duty.swap_decide", services.reject_duty_swap, gettext_lazy("The swap is rejected."), with_note=True)


# ---------------------------------------------------------------- the duty log

def log_write(request: HttpRequest, pk: int) -> HttpResponse:
    duty_day = get_object_or_404(DutyDay.objects.select_related("roster__owner", "roster__period", "responsible"), pk=pk)
    _roster_or_404(request, duty_day.roster_id)
    require_action(request, "duty.log_write", duty_day)
    try:
        existing = duty_day.log
    except DutyDay.log.RelatedObjectDoesNotExist:
        existing = None
    initial = {"checked": existing.checked, "incidents": existing.incidents, "contacts": existing.contacts} if existing else None
    form = DutyLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_duty_log(duty_day.pk, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The duty log for %(day)s is saved.") % {"day": duty_day.date})
            return redirect("duty:roster_detail", pk=duty_day.roster_id)
    return render(request, "duty/log_form.html", {"form": form, "day": duty_day})
