from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "duty"
    verbose_name = _("Duty")

    def ready(self) -> None:
        # Duty sits at the top: it plugs into the lower layers' gatherers, never the reverse.
        from .registered import register_all

        register_all()

        from opsdept import durability

        from .models import DutyDay, DutyLog, DutyPeriod, DutyRoster, DutySwap
        # DutyShift / DutyAssignment are not here: a draft roster's day is rewritten whole (reviewed delete).
        durability.protect(DutyPeriod, DutyRoster, DutyDay, DutySwap, DutyLog)
