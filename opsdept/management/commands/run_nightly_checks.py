from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opsdept import bounds, nightly


def parse_date(value: str, option: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option}: '{value}' is not a date in the form YYYY-MM-DD.") from error
    if day < bounds.FLOOR:
        raise CommandError(f"{option}: {value} is before {bounds.FLOOR.isoformat()}; nothing to check there.")
    return day


class Command(BaseCommand):
    help = "Run the nightly checks for one date (default: yesterday, Asia/Shanghai) or a range. Safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="YYYY-MM-DD")
        parser.add_argument("--from", dest="start", help="first date of a range, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last date of a range, YYYY-MM-DD")

    def handle(self, *args, **options) -> None:
        if options["date"] and (options["start"] or options["end"]):
            raise CommandError("Give either --date or --from/--to, not both.")
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
        if end > nightly.yesterday() + timedelta(days=1):
            raise CommandError("Cannot check a date in the future.")
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        total: dict[str, int] = {}
        for index, day in enumerate(days, start=1):
            summary = nightly.run_for_date(day)
            for name, count in summary.items():
                total[name] = total.get(name, 0) + count
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
