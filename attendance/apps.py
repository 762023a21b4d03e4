from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from opsdept.services import calendar_changed_hooks

        from . import checks  # noqa: F401  (registers the nightly check)
        from .services import recompute_for_calendar_change

        if recompute_for_calendar_change not in calendar_changed_hooks:
            calendar_changed_hooks.append(recompute_for_calendar_change)
