from django.core.management.base import BaseCommand, CommandError

from ledger.backup import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into this site's (new or empty) database and its file "
            "directories. Every file is checked against the signed manifest first: nothing is written unless "
            "all match. Then run verify_ledger and verify_evidence. docs/ledger.md.")

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup's directory (clearwindow-backup-…)")
        parser.add_argument("--check", action="store_true", help="only check the backup against its manifest")

    def handle(self, *args, backup, check=False, **options):
        try:
            manifest = check_backup(backup) if check else restore_backup(backup)
        except (BackupError, OSError) as error:
            raise CommandError(f"restore: {error}") from None
        files = len(manifest["files"])
        if check:
            self.stdout.write(f"backup of {manifest['created_at']}: {files} files match the manifest")
            return
        self.stdout.write(f"restored the backup of {manifest['created_at']} ({files} files, "
                          f"{manifest['ledger']['roots']} ledger roots); now run: manage.py verify_ledger && "
                          "manage.py verify_evidence")
