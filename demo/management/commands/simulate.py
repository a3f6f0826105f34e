"""Run the live simulator: every few seconds, new cases and the next events of today's cases go
through the event ingest as an approval system would send them. Stops cleanly on SIGTERM/SIGINT."""
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.data import LEAGUE
from demo.setup import demo_client
from demo.simulate import Simulator
from orgs.models import Region


class Command(BaseCommand):
    help = "Simulate the demo region's approval systems sending live case events (run demo_setup first)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between ticks (default 5)")
        parser.add_argument("--receipts", type=float, default=0.5, help="mean new cases per tick (default 0.5)")
        parser.add_argument("--advance", type=int, default=4, help="open cases moved on per tick (default 4)")
        parser.add_argument("--anomaly-rate", type=float, default=0.08,
                            help="chance that a moved case gets an anomaly (default 0.08)")
        parser.add_argument("--seed", type=int, default=None, help="random seed (default: a fresh one)")
        parser.add_argument("--once", action="store_true", help="run one tick and exit")

    def handle(self, *args, interval, receipts, advance, anomaly_rate, seed, once, verbosity, **options):
        if not Region.objects.filter(code=LEAGUE[0]).exists():
            raise CommandError("the demo region is not loaded: run `manage.py demo_setup` first")
        sim = Simulator(demo_client("simulate"), seed=seed, receipts=receipts, advance=advance,
                        anomaly_rate=anomaly_rate)
        stop = []  # a signal only appends here: a handler that takes a lock (Event.set) can deadlock
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda signum, _frame: stop.append(signum))
            self.stdout.write(f"simulating every {interval:g} s (Ctrl-C or SIGTERM stops)")
        while not stop:
            events, result = sim.tick(timezone.now())
            if once or verbosity > 1 or result.rejected:
                self.stdout.write(f"sent {len(events)} event(s): accepted {result.accepted}, "
                                  f"duplicates {result.duplicates}, rejected {len(result.rejected)}"
                                  + "".join(f"\n  {r['event_id']}: {r['error']}" for r in result.rejected))
            if once:
                break
            end = time.monotonic() + interval
            while not stop and time.monotonic() < end:
                time.sleep(min(0.2, end - time.monotonic()))
        self.stdout.write("simulator stopped")
