"""meetings: pages for the weekly meeting. Thin: look up, validate, one service, redirect."""

from collections.abc import Callable
from datetime import datetime, timedelta, timezone as dt_timezone

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsdept import permissions, pickers, registries
from opsdept.errors import DomainError
from opsdept.models import Employee
from opsdept.web import apply_domain_error, require_action, requires

from . import selectors, services, tokens
from .forms import (
    ActionItemForm, CallForm, CancelForm, ExplanationForm, MarkForm, MinutesForm, MoveForm, SettingsForm, TokenForm,
)
from .models import AttendanceStatus, CalendarFeed, Meeting, MeetingAttendance, MeetingSettings, Minutes

# The personal feed lists meetings from this many days back to this many ahead.
FEED_DAYS_BACK, FEED_DAYS_AHEAD = 60, 180


def _meeting(request: HttpRequest, pk: int, action: str | None = None) -> Meeting:
    """The meeting if the user may see it (else 404), and may do `action` to it (else 403)."""
    meeting = get_object_or_404(Meeting.objects.select_related("department"), pk=pk)
    if not permissions.can(request.user, "meetings.view", meeting):
        raise Http404
    if action is not None:
        require_action(request, action, meeting)
    return meeting


def _attendance(request: HttpRequest, pk: int, action: str) -> MeetingAttendance:
    attendance = get_object_or_404(MeetingAttendance.objects.select_related("meeting", "employee"), pk=pk)
    _meeting(request, attendance.meeting_id)
    me = permissions.employee_of(request.user)
    if not (attendance.employee_id == me.pk or permissions.can(request.user, "meetings.mark", attendance.meeting)
            or permissions.sees_everyone(request.user)):
        raise Http404
    require_action(request, action, attendance)
    return attendance


def _done(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


# ---------------------------------------------------------------- the schedule

def meeting_list(request: HttpRequest) -> HttpResponse:
    require_action(request, "meetings.view")
    now = timezone.now()
    meetings = selectors.visible_meetings(request.user)
    today = timezone.localdate()
    return render(request, "meetings/list.html", {
        "upcoming": meetings.filter(date__gte=today).order_by("starts_at")[:12],
        "recent": meetings.filter(date__lt=today, date__gte=today - timedelta(days=selectors.RECENT_DAYS)).order_by("-starts_at"),
        "now": now,
        "may_schedule": permissions.can(request.user, "meetings.schedule"),
        "may_configure": permissions.can(request.user, "meetings.settings"),
    })


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    me = permissions.employee_of(request.user)
    rows = selectors.roll(meeting)
    mine = next((row for row in rows if row.employee.pk == me.pk), None)
    may_mark = permissions.can(request.user, "meetings.mark", meeting)
    sees_roll = may_mark or permissions.sees_everyone(request.user) or permissions.is_supervisor(request.user)
    opens, closes = selectors.checkin_window(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return render(request, "meetings/detail.html", {
        "meeting": meeting, "rows": rows if sees_roll else [], "mine": mine, "may_mark": may_mark,
        "window_open": selectors.window_is_open(meeting), "opens": opens, "closes": closes,
        "not_started": timezone.now() < opens,
        "explain_form": ExplanationForm(), "explain_open": services.explanation_open(meeting), "mark_statuses": [s for s in AttendanceStatus if s in services.MARKABLE],
        "minutes": minutes,
        "may_read_minutes": minutes is not None and permissions.can(request.user, "meetings.read_minutes", minutes),
        "may_write_minutes": permissions.can(request.user, "meetings.minutes", meeting),
        "may_schedule": permissions.can(request.user, "meetings.schedule", meeting) and not meeting.is_cancelled
        and meeting.starts_at > timezone.now(),
        "cancel_form": CancelForm(),
        "counts": {status: sum(1 for row in rows if row.status == status) for status in AttendanceStatus.values},
    })


def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "meetings.schedule")
    local = timezone.localtime(meeting.starts_at)
    form = MoveForm(request.POST or None, initial={"date": local.date(), "time": local.time()})
    if request.method == "POST" and form.is_valid():
        try:
            services.move_meeting(meeting.pk, actor=request.user, starts_at=form.cleaned_data["starts_at"],
                                  reason=form.cleaned_data["reason"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The meeting is moved; everyone expected has been notified."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/move.html", {"meeting": meeting, "form": form})


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "meetings.schedule")
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the meeting is cancelled."))
    else:
        _done(request, lambda: services.cancel_meeting(meeting.pk, actor=request.user, reason=form.cleaned_data["reason"]),
              _("The meeting is cancelled; everyone expected has been notified."))
    return redirect("meetings:detail", pk=meeting.pk)


@requires("meetings.schedule")
def meeting_call(request: HttpRequest) -> HttpResponse:
    people = pickers.people_for("meetings-people", request.user)
    form = CallForm(request.POST or None, people=people, initial={"time": "10:00", "duration_minutes": 60})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.call_meeting(
                actor=request.user, title=data["title"], starts_at=data["starts_at"], duration_minutes=data["duration_minutes"],
                invitee_ids=[e.pk for e in data["invitees"]], reason=data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The meeting is called; everyone expected has been notified."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/call.html", {"form": form})


# ---------------------------------------------------------------- check-in and attendance

@require_POST
def meeting_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "meetings.checkin")
    _done(request, lambda: services.check_in(meeting.pk, actor=request.user), _("You are checked in."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("meetings:detail", pk=meeting.pk)


def meeting_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk's screen in the room: a QR code that changes every 30 seconds (htmx reloads it)."""
    meeting = _meeting(request, pk, "meetings.mark")
    url = request.build_absolute_uri(reverse("meetings:qr_checkin", kwargs={"pk": meeting.pk}))
    code = segno.make(f"{url}?t={tokens.current_token(meeting.pk)}", error="m")
    context = {"meeting": meeting, "qr_svg": mark_safe(code.svg_inline(scale=6, dark="#000", light="#fff")),  # noqa: S308 (segno's own SVG, no user text)
               "seconds_left": tokens.seconds_left(), "window_open": selectors.window_is_open(meeting)}
    template = "meetings/_qr.html" if request.headers.get("HX-Request") else "meetings/qr.html"
    return render(request, template, context)


def meeting_qr_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """What the phone opens after scanning: a button that checks in with the scanned token (GET never writes)."""
    meeting = _meeting(request, pk, "meetings.checkin")
    form = TokenForm(request.POST or request.GET or None)
    if request.method == "POST":
        if form.is_valid():
            if _done(request, lambda: services.check_in(meeting.pk, actor=request.user, token=form.cleaned_data["t"]),
                     _("You are checked in.")):
                return redirect("meetings:detail", pk=meeting.pk)
        else:
            messages.error(request, _("This QR code has expired or is not valid. Scan the code shown in the room again."))
    return render(request, "meetings/qr_checkin.html", {"meeting": meeting, "form": form})


@require_POST
def meeting_mark(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "meetings.mark")
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose present, late or absent."))
    else:
        data = form.cleaned_data
        _done(request, lambda: services.mark_attendance(meeting.pk, data["employee"], actor=request.user,
                                                        status=data["status"], note=data["note"]),
              _("Attendance recorded."))
    return redirect("meetings:detail", pk=meeting.pk)


@require_POST
def attendance_explain(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _attendance(request, pk, "meetings.explain")
    form = ExplanationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what made you late."))
    else:
        _done(request, lambda: services.explain_lateness(attendance.pk, actor=request.user,
                                                         explanation=form.cleaned_data["explanation"]),
              _("Your explanation is sent to the meeting clerk."))
    return redirect("meetings:detail", pk=attendance.meeting_id)


@require_POST
def attendance_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = _attendance(request, pk, "meetings.acknowledge")
    _done(request, lambda: services.acknowledge_explanation(attendance.pk, actor=request.user), _("Explanation acknowledged."))
    return redirect("meetings:detail", pk=attendance.meeting_id)


# ---------------------------------------------------------------- minutes

def _minutes_context(minutes: Minutes) -> dict:
    items = list(minutes.action_items.select_related("owner"))
    assigner = registries.task_assigners.get("worklog")
    done = assigner.done_ids([i.task_id for i in items if i.task_id]) if assigner and items else set()
    for item in items:
        item.is_done = item.task_id in done
    return {"minutes": minutes, "meeting": minutes.meeting, "items": items,
            "reports": list(minutes.reports.select_related("employee")),
            "versions": list(minutes.versions.select_related("saved_by"))}


def minutes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as the department reads them (and prints them)."""
    meeting = _meeting(request, pk)
    minutes = get_object_or_404(Minutes.objects.select_related("meeting", "published_by", "updated_by"), meeting=meeting)
    if not permissions.can(request.user, "meetings.read_minutes", minutes):
        raise Http404
    context = _minutes_context(minutes)
    context["rows"] = selectors.roll(meeting)
    context["may_write"] = permissions.can(request.user, "meetings.minutes", meeting)
    return render(request, "meetings/minutes.html", context)


def minutes_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    minutes = get_object_or_404(Minutes, meeting=meeting)
    if not permissions.can(request.user, "meetings.read_minutes", minutes):
        raise Http404
    version = get_object_or_404(minutes.versions.select_related("saved_by"), number=number)
    return render(request, "meetings/minutes_version.html", {"meeting": meeting, "minutes": minutes, "version": version,
                                                             "changes": _readable_changes(version.changes)})


def _readable_changes(changes: dict) -> list[tuple[str, str, str]]:
    """(what, before, after) for a version's recorded changes, in words."""
    labels = {"topics": _("Topics"), "decisions": _("Decisions"), "status": _("Status"), "action_item": _("Action items")}
    statuses = dict(Minutes.Status.choices)

    def words(value: object) -> str:
        if isinstance(value, list):
            return " / ".join(words(part) for part in value if part)
        return str(statuses.get(value, value)) if value is not None else "—"

    rows = []
    for field, (before, after) in changes.items():
        if field.startswith("report:"):
            label = _("Report of %(name)s") % {"name": field.removeprefix("report:")}
        else:
            label = str(labels.get(field, field))
        rows.append((label, words(before), words(after)))
    return rows


def minutes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "meetings.minutes")
    try:
        services.check_minutes_writable(meeting, request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("meetings:detail", pk=meeting.pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    # Before the first save the form is prefilled from the previous workday's daily reports; nothing is written.
    members = list(minutes.reports.select_related("employee")) if minutes else selectors.draft_reports(meeting)
    form = MinutesForm(request.POST or None, members=members,
                       initial={"topics": minutes.topics, "decisions": minutes.decisions} if minutes else {})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_minutes(meeting.pk, actor=request.user, topics=form.cleaned_data["topics"],
                                  decisions=form.cleaned_data["decisions"], reports=form.reports())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("meetings:minutes_edit", pk=meeting.pk)
    owners = Employee.objects.filter(pk__in=[row.employee.pk for row in selectors.roll(meeting)]).order_by("employee_no")
    context = _minutes_context(minutes) if minutes else {"minutes": None, "meeting": meeting, "items": [], "versions": []}
    context.update({"form": form, "item_form": ActionItemForm(owners=owners), "rows": selectors.roll(meeting)})
    return render(request, "meetings/minutes_edit.html", context)


@require_POST
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "meetings.minutes")
    form = ActionItemForm(request.POST, owners=pickers.people_for("meetings-people", request.user))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        data = form.cleaned_data
        _done(request, lambda: services.add_action_item(meeting.pk, actor=request.user, owner_id=data["owner"].pk,
                                                        title=data["title"], due_date=data["due_date"]),
              _("Action item added."))
    return redirect("meetings:minutes_edit", pk=meeting.pk)


@require_POST
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, "meetings.minutes")
    if _done(request, lambda: services.publish_minutes(meeting.pk, actor=request.user),
             _("Minutes published; the action items are now tasks of their owners.")):
        return redirect("meetings:minutes", pk=meeting.pk)
    return redirect("meetings:detail", pk=meeting.pk)


# ---------------------------------------------------------------- settings and the calendar feed

@requires("meetings.settings")
def meeting_settings(request: HttpRequest) -> HttpResponse:
    config = MeetingSettings.current()
    form = SettingsForm(request.POST or None, instance=MeetingSettings.objects.get(pk=config.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting_settings(actor=request.user, **{name: form.cleaned_data[name] for name in SettingsForm.Meta.fields})
        except DomainError as error:
            apply_domain_error(form, error)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Meeting settings saved."))
            return redirect("meetings:list")
    return render(request, "meetings/settings.html", {"form": form})


def calendar_feed(request: HttpRequest) -> HttpResponse:
    me = permissions.employee_of(request.user)
    if me is None:
        raise Http404
    feed = services.feed_for(me)
    return render(request, "meetings/feed.html", {
        "feed_url": request.build_absolute_uri(reverse("meetings:ics", kwargs={"token": feed.token})),
    })


@require_POST
def calendar_feed_reset(request: HttpRequest) -> HttpResponse:
    if permissions.employee_of(request.user) is None:
        raise Http404
    _done(request, lambda: services.reset_feed_token(actor=request.user),
          _("Your calendar link is reset: the old link no longer works."))
    return redirect("meetings:feed")


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> list[str]:
    """RFC 5545 3.1: lines longer than 75 octets continue on the next line after a space."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > 74:
            parts.append(current)
            current = " "
        current += char
    parts.append(current)
    return parts


@login_not_required
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The person's meetings (and what other chapters add) as iCalendar; the secret token is the only key."""
    feed = CalendarFeed.objects.select_related("employee__department").filter(token=token, employee__is_active=True).first()
    if feed is None:
        raise Http404
    today = timezone.localdate()
    start, end = today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)
    stamp = _ics_time(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//opsdept//meetings//ZH", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(feed.employee.name)}"]
    for items in registries.calendar_feed_items:
        for uid, begins, ends, summary, description in items(feed.employee, start, end):
            lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"DTSTART:{_ics_time(begins)}",
                      f"DTEND:{_ics_time(ends)}", f"SUMMARY:{_ics_text(summary)}"]
            if description:
                lines.append(f"DESCRIPTION:{_ics_text(description)}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    body = "\r\n".join(part for line in lines for part in _fold(line)) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
