from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsdeptConfig(AppConfig):
    name = "opsdept"
    verbose_name = _("Operations department")

    def ready(self) -> None:
        # Each chapter registers its extension points (opsdept.registries) in its own ready().
        from . import approvals, bulk, demo, pickers, registries, reminders  # noqa: F401 — bulk registers the `any` lookup

        registries.demo_seeders.register("opsdept", registries.DemoSeeder(demo.seed), order=0)
        reminders.register()
        approvals.register()
        pickers.register()

        from django.contrib.auth.signals import user_logged_in

        from .middleware import stamp_session_on_login
        user_logged_in.connect(stamp_session_on_login, dispatch_uid="opsdept.stamp_session_on_login")

        from django.db.models.signals import post_delete, post_save

        from . import memo
        post_save.connect(memo.forget_on_write, dispatch_uid="opsdept.memo.save")
        post_delete.connect(memo.forget_on_write, dispatch_uid="opsdept.memo.delete")

        from . import durability
        from .models import AuditEvent, Employee, NightlyRun, Notification, OutboxMessage, WebhookDelivery
        durability.protect(AuditEvent, Employee, Notification, WebhookDelivery, NightlyRun, OutboxMessage)
