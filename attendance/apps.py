from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from opsdept import registries

        from . import checks, demo, reminders, selectors, services  # noqa: F401  (checks registers the nightly check)

        reminders.register()

        registries.year_summary_columns.register(
            "attendance", registries.YearColumns(_("Attendance"), selectors.year_summary_columns, chart=selectors.year_chart), order=10)
        registries.dashboard_cards.register("attendance", registries.DashboardCard("attendance/_dashboard.html"), order=10)
        registries.dashboard_cards.register(
            "attendance.punctuality",
            registries.DashboardCard("attendance/_punctuality_card.html", context=selectors.punctuality_card), order=95)
        registries.calendar_changed_hooks.register("attendance", services.recompute_for_calendar_change, order=10)
        registries.demo_seeders.register("attendance", registries.DemoSeeder(demo.seed), order=10)
        registries.employee_pickers.register("attendance-comp-time",
                                             registries.PickerScope("comptime.view", selectors.comp_time_people))

        from opsdept import durability

        from .models import (CompTimeEntry, Correction, DayChange, DayDispute, LockedMonthChange, MonthClose,
                             MonthConfirmation, Overtime, Punch)
        # DayChange: a date's count of change rows only grows, or a stale DayTally would count as current again.
        durability.protect(Punch, Correction, Overtime, MonthClose, MonthConfirmation, DayDispute, LockedMonthChange,
                           CompTimeEntry, DayChange)
