from django.apps import AppConfig
from django.apps.registry import Apps
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Like Django's content types: a flushed database (a transactional test) gets the seed types back.
        post_migrate.connect(seed_leave_types_after_migrate, sender=self)
        # Leave sits above attendance: it plugs into attendance's extension points, never the reverse.
        from attendance import registry
        from opsdept.services import calendar_changed_hooks

        from .services import recount_leave_for_calendar_change
        from .selectors import LeaveTypeColumns, leave_fractions

        if leave_fractions not in registry.leave_providers:
            registry.leave_providers.append(leave_fractions)
        if not any(isinstance(provider, LeaveTypeColumns) for provider in registry.export_columns):
            registry.export_columns.append(LeaveTypeColumns())
        if recount_leave_for_calendar_change not in calendar_changed_hooks:
            calendar_changed_hooks.append(recount_leave_for_calendar_change)


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
