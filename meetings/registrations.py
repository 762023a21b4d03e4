"""What meetings plugs into opsdept.registries (called from MeetingsConfig.ready())."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsdept import permissions, registries
from opsdept.models import Employee

from . import checks, selectors, services


class MeetingColumns:
    """例会缺席次数 and 例会迟到次数 in the monthly attendance export."""

    def headers(self) -> list[str]:
        return [_("Meeting absences"), _("Meeting late arrivals")]

    def values(self, employee_ids: list[int], start: date, end: date) -> dict[int, list[Any]]:
        found = selectors.counts(employee_ids, start, end)
        return {pk: [found[pk]["absent"], found[pk]["late"]] for pk in employee_ids}


def year_values(employee_ids: list[int], year: int) -> dict[int, dict[str, Any]]:
    found = selectors.counts(employee_ids, date(year, 1, 1), date(year, 12, 31))
    absent, late = _("Meeting absences"), _("Meeting late arrivals")
    return {pk: {absent: found[pk]["absent"], late: found[pk]["late"]} for pk in employee_ids}


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    me = permissions.employee_of(request.user)
    if me is None:
        return {}
    meeting = selectors.next_meeting_for(me)
    context: dict[str, Any] = {"next_meeting": meeting, "meeting_window_open": False, "my_meeting_record": None}
    if meeting is not None:
        context["meeting_window_open"] = selectors.window_is_open(meeting)
        context["my_meeting_record"] = meeting.attendance.filter(employee=me).first()
        context["meeting_opens_at"] = selectors.checkin_window(meeting)[0]
    context["may_schedule_meetings"] = permissions.can(request.user, "meetings.schedule")
    return context


def feed_items(employee: Employee, start: date, end: date) -> list[tuple[str, datetime, datetime, str, str]]:
    items = []
    for meeting in selectors.meetings_of(employee, start, end):
        if meeting.is_cancelled:
            continue
        description = meeting.change_reason or ""
        items.append((f"meeting-{meeting.pk}@opsdept", meeting.starts_at, meeting.ends_at, meeting.title, description))
    return items


def register() -> None:
    registries.nightly_checks.register("meetings.absence", checks.absence)
    registries.nightly_checks.register("meetings.minutes", checks.minutes)
    registries.export_columns.register("meetings.attendance", MeetingColumns(), order=60)
    registries.year_summary_columns.register(
        "meetings", registries.YearColumns(title=gettext_lazy("Meetings"), values=year_values), order=60)
    registries.dashboard_cards.register(
        "meetings", registries.DashboardCard(template="meetings/_dashboard.html", context=dashboard_context), order=40)
    registries.calendar_changed_hooks.register("meetings", services.replan_for_calendar_change)
    registries.calendar_feed_items.register("meetings", feed_items)
    registries.chat_events.register(services.MINUTES_EVENT, gettext_lazy("Meeting minutes are published"), order=40)
    registries.employee_pickers.register("meetings-people", registries.PickerScope("meetings.schedule", selectors.people_to_call))

    from . import reminders

    reminders.register()

    from .demo import seed

    registries.demo_seeders.register("meetings", registries.DemoSeeder(seed=seed), order=40)
