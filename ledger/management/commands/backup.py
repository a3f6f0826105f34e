from django.core.management.base import BaseCommand, CommandError

from ledger.backup import BackupError, make_backup


class Command(BaseCommand):
    help = ("Back up everything a centre needs after losing the machine: the database (pg_dump custom format, or "
            "SQLite's online backup), media and evidence clips, the ledger's signed roots, and a signed manifest "
            "with every file's SM3 hash and where the keys are (not the keys). docs/ledger.md.")

    def add_arguments(self, parser):
        parser.add_argument("dest", help="directory to write the backup under (a new sub-directory each run)")

    def handle(self, *args, dest, **options):
        try:
            out = make_backup(dest)
        except (BackupError, OSError) as error:
            raise CommandError(f"backup: {error}") from None
        self.stdout.write(f"backup written to {out}")
