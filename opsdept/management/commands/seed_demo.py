from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import translation

from datetime import timedelta

from django.utils import timezone

from opsdept import demo, nightly, registries

# The demo's flags come from this many nights of real checks.
DEMO_NIGHTS = 14


class Command(BaseCommand):
    help = "Create or refresh the demo department (idempotent). Refused under DJANGO_ENV=production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force-demo", action="store_true",
                            help="seed even under DJANGO_ENV=production (existing accounts keep their passwords)")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION and not options["force_demo"]:
            raise CommandError("This is a production installation (DJANGO_ENV=production): the demo department "
                               "would add 15 logins with a published password. Use --force-demo if you really mean it.")
        translation.activate("zh-hans")
        with transaction.atomic():
            # Each chapter's demo data, in the order it registered (people first).
            for seeder in registries.demo_seeders:
                seeder.seed(self.stdout)
            # The demo's flags come from the real nightly checks over its recent history.
            today = timezone.localdate()
            raised = 0
            for back in range(DEMO_NIGHTS, 0, -1):
                raised += sum(nightly.run_for_date(today - timedelta(days=back)).values())
            self.stdout.write(f"  nightly checks over the last {DEMO_NIGHTS} nights: {raised} new flag(s)")
        self.stdout.write(self.style.SUCCESS(f"Demo department ready. Every demo login's password is {demo.DEMO_PASSWORD}:"))
        for username, who, role in demo.logins():
            self.stdout.write(f"  {username:<12} {who}  ({role})")
