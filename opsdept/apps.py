from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsdeptConfig(AppConfig):
    name = "opsdept"
    verbose_name = _("Operations department")

    def ready(self) -> None:
        # Each chapter registers its extension points (opsdept.registries) in its own ready().
        from . import demo, registries, reminders

        registries.demo_seeders.register("opsdept", registries.DemoSeeder(demo.seed), order=0)
        reminders.register()

        from . import durability
        from .models import AuditEvent, Employee, NightlyRun, Notification, WebhookDelivery
        durability.protect(AuditEvent, Employee, Notification, WebhookDelivery, NightlyRun)
