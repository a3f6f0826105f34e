"""The worker: runs every registered tick (cases falling due, urge escalation, mail, …) in a loop.

Like healthchecks' sendalerts: no queue, conditional claims in the database, several workers may run.
SIGTERM/SIGINT finish the current tick and stop cleanly.
"""
import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from core import gctune, ticks

log = logging.getLogger("clearwindow.supervise")


class Command(BaseCommand):
    help = "Run the supervision worker: time-based alerts, escalations, notifications."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every tick once and exit")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds (default 5)")

    def handle(self, *args, once=False, interval=5.0, **options):
        from ledger.roots import key_problem

        problem = key_problem()
        if problem and not settings.DEBUG:  # it fixes and signs the ledger's daily roots (docs/ledger.md)
            raise CommandError(problem)
        if problem:
            self.stderr.write(f"supervise: the ledger's roots will be fixed unsigned (DEBUG=1): {problem}")
        gctune.tune()
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write(f"supervise: ticks {', '.join(ticks.registered())}")
        while not self.stopping:
            self.run_round()
            if once:
                break
            self._sleep(interval)
        self.stdout.write("supervise: stopped")

    def run_round(self):
        for name, tick in ticks.registered().items():
            if self.stopping:
                return
            close_old_connections()
            started = time.monotonic()
            try:
                count = tick(timezone.now())
            except Exception:
                log.exception("tick %s failed", name)
                continue
            if count:
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {name}: {count} in "
                                  f"{time.monotonic() - started:.2f}s")

    def _sleep(self, seconds):
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.2, end - time.monotonic()))

    def _stop(self, signum, frame):
        self.stopping = True
