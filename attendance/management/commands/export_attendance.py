from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from attendance import export
from opsdept import bounds


class Command(BaseCommand):
    help = "Write the monthly attendance export: --month YYYY-MM --format csv|xlsx --output PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, **options) -> None:
        translation.activate("zh-hans")
        try:
            year, month = bounds.parse_month(options["month"])
        except bounds.DateOutOfBounds as error:
            raise CommandError(f"--month: '{options['month']}': {error.message}") from error
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"--output: the folder {output.parent} does not exist.")
        translation.activate("zh-hans")
        try:
            data = export.build(year, month, daily=options["format"] == "xlsx")
        except export.ExportRefused as error:
            raise CommandError(error.message) from error
        content = export.to_csv(data) if options["format"] == "csv" else export.to_xlsx(data)
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{len(data.rows)} employees written to {output}"))
