from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from opsdept import bounds, nightly
from opsdept.models import NightlyRun


def parse_date(value: str, option: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option}: '{value}' is not a date in the form YYYY-MM-DD.") from error
    if day < bounds.FLOOR:
        raise CommandError(f"{option}: {value} is before {bounds.FLOOR.isoformat()}; nothing to check there.")
    return day


class Command(BaseCommand):
    help = ("Run the nightly checks for one finished date (default: yesterday, Asia/Shanghai) or a range. "
            "Each date is a new entry in the run log; safe to run twice. Today and the future are refused.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD")
        parser.add_argument("--from", dest="start", help="first date of a range, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last date of a range, YYYY-MM-DD")
        parser.add_argument("--resume", action="store_true",
                            help="run only the checks that have not finished for each date (skip nights already done)")
        parser.add_argument("--everything", action="store_true",
                            help="recompute every chunk, even those whose facts did not change since the run that finished "
                                 "them (after changing data the checks' declared facts do not cover)")

    def handle(self, *args, **options) -> None:
        if options["date"] and (options["start"] or options["end"]):
            raise CommandError("Give either --date or --from/--to, not both.")
        if options["everything"] and options["resume"]:
            raise CommandError("Give either --resume or --everything, not both.")
        if options["start"] or options["end"]:
            if not (options["start"] and options["end"]):
                raise CommandError("A range needs both --from and --to.")
            start, end = parse_date(options["start"], "--from"), parse_date(options["end"], "--to")
            if end < start:
                raise CommandError("--to must not be before --from.")
            if (end - start).days > 366:
                raise CommandError("A range may span at most 366 days.")
        else:
            start = end = parse_date(options["date"], "--date") if options["date"] else nightly.yesterday()
        today = timezone.localdate()
        if end >= today:
            raise CommandError(
                f"{end} is not over yet: the nightly checks run only for finished days, up to {today - timedelta(days=1)} "
                "(a date in the future cannot be checked either)."
            )
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        total: dict[str, int] = {}
        trouble: list[str] = []
        for index, day in enumerate(days, start=1):
            outcome = nightly.run_night(day, trigger="command", force=not options["resume"],
                                        everything=options["everything"])
            for name, count in outcome.summary.items():
                total[name] = total.get(name, 0) + count
            if outcome.state not in (NightlyRun.Status.DONE, "already-done"):
                trouble.append(f"{day}: {outcome.state} — {outcome.message}")
            if len(days) > 1:
                done = int(30 * index / len(days))
                self.stdout.write(f"\r[{'#' * done}{'.' * (30 - done)}] {index}/{len(days)} {day}", ending="")
                self.stdout.flush()
        if len(days) > 1:
            self.stdout.write("")
        self.stdout.write(f"Checked {len(days)} date(s), {start} to {end}: {len(nightly.registered())} check(s).")
        for name, count in sorted(total.items()):
            self.stdout.write(f"  {name}: {count} new flag(s)")
        self.stdout.write(self.style.SUCCESS(f"{sum(total.values())} new flag(s) in all."))
        for line in trouble:
            self.stderr.write(line)
        if any(": failed" in line or ": partial" in line for line in trouble):
            raise CommandError("Some nights did not finish; see `manage.py nightly_status`.")
