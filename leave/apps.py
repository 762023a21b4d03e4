from django.apps import AppConfig
from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from opsdept import registries

        from . import checks, demo, reminders  # noqa: F401  (checks registers the nightly check)
        from .selectors import LeaveTypeColumns, TripColumns, leave_covers, trip_covers
        from .services import recount_leave_for_calendar_change

        # Like Django's content types: a flushed database (a transactional test) gets the seed types back.
        post_migrate.connect(seed_leave_types_after_migrate, sender=self)
        registries.day_providers.register("leave", registries.DayProvider(kind="leave", covers=leave_covers))
        registries.day_providers.register("business", registries.DayProvider(kind="business", covers=trip_covers))
        registries.export_columns.register("leave.types", LeaveTypeColumns(), order=20)
        registries.export_columns.register("leave.trips", TripColumns(), order=21)
        registries.calendar_changed_hooks.register("leave", recount_leave_for_calendar_change, order=20)
        registries.dashboard_cards.register("leave", registries.DashboardCard("leave/_dashboard.html"), order=20)
        from .selectors import emergency_leave_people

        registries.employee_pickers.register("leave-emergency", registries.PickerScope("leave.record_emergency",
                                                                                       emergency_leave_people))
        registries.demo_seeders.register("leave", registries.DemoSeeder(demo.seed), order=20)
        reminders.register()

        from opsdept import durability

        from .models import AnnualLeaveAdjustment, BusinessTrip, LeaveAttachment, LeaveRequest
        durability.protect(LeaveRequest, LeaveAttachment, AnnualLeaveAdjustment, BusinessTrip)


def seed_leave_types_after_migrate(sender: AppConfig, *, apps: Apps | None = None, **kwargs) -> None:
    """Create the missing seed leave types after `migrate` or `flush` (rows HR edited are left alone)."""
    from .seeds import seed_leave_types

    if apps is None:  # `flush` sends no migration state: use the installed models
        from django.apps import apps
    try:
        leave_type_model = apps.get_model("leave", "LeaveType")
    except LookupError:
        return
    seed_leave_types(leave_type_model)
