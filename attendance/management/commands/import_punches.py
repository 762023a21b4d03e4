from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from attendance.services import ImportRejected, import_punches


class Command(BaseCommand):
    help = "Import an attendance machine's CSV (employee_no,timestamp). All or nothing; importing it again adds nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file with the header employee_no,timestamp")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        translation.activate("zh-hans")
        try:
            result = import_punches(path.read_bytes(), actor=None, filename=path.name)
        except ImportRejected as rejected:
            lines = "\n".join(f"  line {line}: {reason}" for line, reason in rejected.problems)
            raise CommandError(f"{path.name} was not imported (nothing was written):\n{lines}") from rejected
        self.stdout.write(self.style.SUCCESS(
            f"{result.added} punches added, {result.skipped} already known, for {result.employees} employees."
        ))
