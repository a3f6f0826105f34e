from django.core.management.base import BaseCommand, CommandError

from ledger.verify import run_check


class Command(BaseCommand):
    help = "Recompute every ledger chain and compare every ledgered table with it; report the first divergences."

    def handle(self, *args, **options):
        _, found = run_check()
        if found:
            for problem in found:
                self.stdout.write(f"DIVERGENCE {problem}")
            raise CommandError(f"ledger: {len(found)} divergence(s) found")
        self.stdout.write("ledger: every chain and every ledgered table verified")
