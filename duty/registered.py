"""What duty plugs into the other chapters' gatherers (opsdept/registries.py), registered by DutyConfig.ready()."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors


class DutyExportColumns:
    """The monthly attendance export's 值班天数 and 值班小时 (published shifts in the month), then the paid duty
    worked: its hours and those hours × the period's rate (法定节假日 300%), what payroll multiplies by the hourly wage."""

    def headers(self) -> list[str]:
        return [_("Duty days"), _("Duty hours"), _("Paid duty hours"), _("Paid duty hours × rate")]

    def values(self, employee_ids: list[int], start: date, end: date) -> dict[int, list[Any]]:
        totals = selectors.duty_totals(employee_ids, start, end)
        paid = selectors.paid_duty_totals(employee_ids, start, end)
        return {pk: list(totals.get(pk, (0, 0))) + list(paid.get(pk, (0, 0))) for pk in employee_ids}


def year_duty_days(employee_ids: list[int], year: int) -> dict[int, dict[str, Any]]:
    """The year-end summary's duty days and hours per person."""
    totals = selectors.duty_totals(employee_ids, date(year, 1, 1), date(year, 12, 31))
    return {pk: {str(_("Duty days")): totals.get(pk, (0, 0))[0], str(_("Duty hours")): totals.get(pk, (0, 0))[1]}
            for pk in employee_ids}


YEAR_TITLE = gettext_lazy("Holiday duty")


def calendar_changed(day: date, actor: Any) -> None:
    """A rostered date changed in the work calendar: tell the roster's arranger to look again."""
    from django.urls import reverse

    from opsdept.notify import Message, notify

    from .models import DutyRoster

    for roster in DutyRoster.objects.filter(days__date=day).select_related("owner", "period").distinct():
        notify(roster.owner, subject=Message(gettext_lazy("The work calendar changed %(day)s, a day of your duty roster %(period)s"), **{
            "day": day, "period": roster.period.name}), url=reverse("duty:roster_detail", args=[roster.pk]))


def register_all() -> None:
    from opsdept import registries

    from . import checks, demo, services

    registries.nightly_checks.register("duty.missed", checks.missed_duty)
    registries.nightly_checks.register("duty.comp_time", checks.comp_time_for_worked_duty)
    registries.day_providers.register("duty", registries.DayProvider(kind="duty", covers=selectors.duty_covers))
    registries.export_columns.register("duty.days", DutyExportColumns(), order=60)
    registries.year_summary_columns.register("duty", registries.YearColumns(title=YEAR_TITLE, values=year_duty_days), order=60)
    registries.dashboard_cards.register("duty", registries.DashboardCard(template="duty/_dashboard.html"), order=60)
    registries.calendar_changed_hooks.register("duty", calendar_changed)
    registries.demo_seeders.register("duty", registries.DemoSeeder(seed=demo.seed), order=50)
    registries.calendar_feed_items.register("duty", selectors.feed_items)
    registries.chat_events.register(services.ROSTER_EVENT, gettext_lazy("A duty roster is published"), order=30)

    from . import reminders

    reminders.register()
