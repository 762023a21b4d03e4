from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opsdept.backup import BackupError, restore_backup, row_counts


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database (or over a non-empty one with --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="overwrite a database that already holds data, and write into a MEDIA_ROOT that holds files")
        parser.add_argument("--media-root", type=Path, default=None,
                            help="restore the uploaded files into this folder instead of MEDIA_ROOT")

    def handle(self, *args, **options) -> None:
        try:
            manifest = restore_backup(options["archive"], force=options["force"], media_root=options["media_root"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        expected, actual = manifest.get("row_counts", {}), row_counts()
        mismatched = {table: (count, actual.get(table)) for table, count in expected.items() if actual.get(table) != count}
        if mismatched:
            raise CommandError(f"Restored, but row counts differ from the archive: {mismatched}")
        self.stdout.write(self.style.SUCCESS(
            f"Restored {options['archive']} (made {manifest.get('created_at')}): {sum(actual.values())} rows in {len(actual)} tables match."
        ))
