from django.core.management.base import BaseCommand, CommandError

from core import crypto


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted personal data value with the current PERSONAL_DATA_KEY and recompute the "
            "keyed hashes (docs/personal-data.md). Give the key they were encrypted with in PERSONAL_DATA_OLD_KEYS "
            "or PERSONAL_DATA_OLD_KEY_FILE. Resumable: rows already under the current key are skipped.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=1000, help="rows per transaction (default 1000)")

    def handle(self, *args, batch, **options):
        if batch < 1:
            raise CommandError(f"--batch: expected a positive number of rows, got {batch}")
        try:
            done = crypto.rotate(batch=batch)
        except crypto.KeyNotConfigured as err:
            raise CommandError(str(err)) from None
        for label, n in done.items():
            self.stdout.write(f"{label}: {n} row(s) re-encrypted")
        self.stdout.write(f"personal data: every value under key {crypto.current_key_id()}")
