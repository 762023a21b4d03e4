from pathlib import Path
import re

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from attendance import export


class Command(BaseCommand):
    help = "Write the monthly attendance export: --month YYYY-MM --format csv|xlsx --output PATH."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, **options) -> None:
        match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", options["month"])
        if not match:
            raise CommandError(f"--month: '{options['month']}' is not a month in the form YYYY-MM.")
        year, month = int(match.group(1)), int(match.group(2))
        output = Path(options["output"])
        if not output.parent.exists():
            raise CommandError(f"--output: the folder {output.parent} does not exist.")
        translation.activate("zh-hans")
        try:
            data = export.build(year, month)
        except export.ExportRefused as error:
            raise CommandError(error.message) from error
        content = export.to_csv(data) if options["format"] == "csv" else export.to_xlsx(data)
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"{len(data.rows)} employees written to {output}"))
