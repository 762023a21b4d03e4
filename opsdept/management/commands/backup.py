from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opsdept.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a dated, self-contained backup archive (database + uploaded files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", type=Path, help="where to write the archive (default: BACKUP_DIR)")

    def handle(self, *args, **options) -> None:
        try:
            archive = create_backup(options["output_dir"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:  # a folder that cannot be created or written
            raise CommandError(f"Cannot write the backup: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {archive}"))
