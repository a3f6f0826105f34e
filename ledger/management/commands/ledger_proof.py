import json

from django.core.management.base import BaseCommand, CommandError

from ledger.chain import model_of, registered
from ledger.roots import proof


class Command(BaseCommand):
    help = ("Export one ledgered record with its proof (JSON), for checking offline with tools/verify_proof.py. "
            "The record's day must have been fixed (its signed root).")

    def add_arguments(self, parser):
        parser.add_argument("kind", help="the record's kind, e.g. cases.caseevent, alerts.alertchange")
        parser.add_argument("id", help="the record's id (an evidence clip's: its UUID)")
        parser.add_argument("-o", "--output", help="write the proof to this file (default: standard output)")

    def handle(self, *args, kind, id, output=None, **options):
        if model_of(kind) is None:
            kinds = ", ".join(sorted(k for k, _ in registered().values()))
            raise CommandError(f"kind: {kind!r} is not ledgered; ledgered kinds: {kinds}")
        model = model_of(kind)
        if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            try:
                id = int(id)
            except ValueError:
                raise CommandError(f"id: {kind} records have integer ids, not {id!r}") from None
        found = proof(kind, id)
        if found is None:
            raise CommandError(f"id: no {kind} record {id} in a day whose root is fixed (the ledger holds a "
                               "record's proof from the day after it was written, once the worker fixed the root)")
        text = json.dumps(found, ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            self.stdout.write(f"proof of {kind} {id} written to {output}")
        else:
            self.stdout.write(text)
