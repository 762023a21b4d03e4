from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from opsdept import demo

# Each chapter's demo data, in dependency order (people first).
CHAPTERS = ["opsdept", "attendance", "leave", "meetings", "duty", "worklog", "discipline"]


class Command(BaseCommand):
    help = "Create or refresh the demo department (idempotent)."

    def handle(self, *args, **options) -> None:
        from importlib import import_module

        translation.activate("zh-hans")
        with transaction.atomic():
            for chapter in CHAPTERS:
                import_module(f"{chapter}.demo").seed(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo department ready. Every demo login's password is {demo.DEMO_PASSWORD}:"))
        for username, who, role in demo.logins():
            self.stdout.write(f"  {username:<12} {who}  ({role})")
