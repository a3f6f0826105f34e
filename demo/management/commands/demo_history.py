"""Send the demo region's case history through the event ingest (run demo_setup first)."""
import time

from django.core.management.base import BaseCommand

from demo.setup import DEFAULT_HISTORY_DAYS, do_load_history


class Command(BaseCommand):
    help = "Generate the demo case history of the last N days and ingest it as historical events (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_HISTORY_DAYS,
                            help=f"days of history up to now (default {DEFAULT_HISTORY_DAYS}; 365 for a year)")
        parser.add_argument("--seed", type=int, default=2025, help="generator seed (default 2025)")
        parser.add_argument("--department", nargs="+", metavar="CODE", help="only these departments")

    def handle(self, *args, days, seed, department, verbosity, **options):
        self.verbosity = verbosity
        started = time.monotonic()
        totals = do_load_history(days, seed=seed, departments=department, progress=self.progress)
        took = time.monotonic() - started
        self.stdout.write(f"demo history: {days} days in {took:.1f} s ({summary(totals)})")

    def progress(self, totals):
        if self.verbosity > 1:
            self.stdout.write(f"  … {summary(totals)}")


def summary(totals):
    return ", ".join(f"{name} {count}" for name, count in totals.items())
