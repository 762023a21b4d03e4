from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OpsdeptConfig(AppConfig):
    name = "opsdept"
    verbose_name = _("Operations department")

    def ready(self) -> None:
        # Each app's nightly checks register themselves on import.
        autodiscover_modules("checks")
