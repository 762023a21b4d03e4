from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeaveConfig(AppConfig):
    name = "leave"
    verbose_name = _("Leave")

    def ready(self) -> None:
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
