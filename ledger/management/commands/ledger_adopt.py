from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.audit import record
from ledger.chain import append_saved, block, model_of, registered, stored
from ledger.models import Block

CHUNK = 5000


class Command(BaseCommand):
    help = ("Upgrading a site: append to the ledger every row of a kind that became ledgered after its rows "
            "were written (they are recorded as they are now, found at adoption). Refused for a kind the ledger "
            "already holds records of. docs/ledger.md.")

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="+", help="ledgered kinds, e.g. video.evidenceclip workdays.calendarrevision")

    def handle(self, *args, kinds, **options):
        for kind in kinds:
            model = model_of(kind)
            if model is None:
                known = ", ".join(sorted(k for k, _ in registered().values()))
                raise CommandError(f"kinds: {kind!r} is not ledgered; ledgered kinds: {known}")
            if Block.objects.filter(body__contains=f'["{kind}",').exists():
                raise CommandError(f"kinds: the ledger already holds {kind} records: adopting would record them twice")
        for kind in kinds:
            model, count = model_of(kind), 0
            with transaction.atomic(), block():
                keys = [row[0] for row in stored(model)]
                for i in range(0, len(keys), CHUNK):
                    append_saved(model, keys[i:i + CHUNK])
                count = len(keys)
                record("ledger_adopt", "ledger.adopt", "ledger_kind", kind, after={"records": count})
            self.stdout.write(f"ledger: {count} {kind} records adopted")
