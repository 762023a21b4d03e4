from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from opsdept import selectors


class Command(BaseCommand):
    help = "Show the nightly run log: each night's status and every attempt (start, finish, flags per check, error)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14, help="how many nights back (default 14, at most 366)")

    def handle(self, *args, **options) -> None:
        days = max(1, min(options["days"], 366))
        end = timezone.localdate() - timedelta(days=1)
        for night in selectors.nights(end - timedelta(days=days - 1), end):
            self.stdout.write(f"{night.date}  {night.status}")
            for run in night.runs:
                started = timezone.localtime(run.started_at).strftime("%m-%d %H:%M:%S") if run.started_at else "-"
                finished = timezone.localtime(run.finished_at).strftime("%m-%d %H:%M:%S") if run.finished_at else "-"
                self.stdout.write(f"    #{run.pk} {run.status:<8} {run.trigger or '-':<12} {started} → {finished}  "
                                  f"{run.flags_raised} flag(s)  {run.holder}")
                for name, result in sorted(run.checks.items()):
                    if result.get("status") == "done":
                        detail = f"{result.get('flags', 0)} flag(s)"
                        if "findings" in result:
                            detail += f" of {result['findings']} finding(s)"
                    else:
                        detail = result.get("error", "")
                    self.stdout.write(f"        {name:<28} {result.get('status', ''):<7} {detail}")
                    for chunk in result.get("chunks", {}).values():
                        detail = (f"{chunk.get('flags', 0)} flag(s)" if chunk.get("status") == "done"
                                  else chunk.get("error", ""))
                        self.stdout.write(f"          chunk #{chunk.get('first')}–#{chunk.get('last')} "
                                          f"({chunk.get('employees', 0)} employees) {chunk.get('status', ''):<7} {detail}")
                if run.error and not run.checks:
                    self.stdout.write(f"        {run.error}")
