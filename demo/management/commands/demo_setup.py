"""Load the demo region: calendar, power list, centres, cameras, staff, demo log-ins and the case
history of the last 90 days (idempotent; run `migrate` first). `--history-days 365` for a year,
0 for none; `demo_history` sends more history later. Then each app that has a `demo` module with
`populate(now) -> {name: count}` (complaints, evaluations, video, …) adds its own demo data."""
import importlib
import importlib.util
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.region import build
from demo.setup import DEFAULT_HISTORY_DAYS, do_load_history, do_setup_demo, reset_demo_passwords


class Command(BaseCommand):
    help = "Load (or refresh) the Xilingol demo region; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025, help="generator seed (default 2025)")
        parser.add_argument("--reset-passwords", action="store_true",
                            help="set the demo log-ins' passwords again (from DEMO_PASSWORD)")
        parser.add_argument("--history-days", type=int, default=DEFAULT_HISTORY_DAYS,
                            help=f"days of case history to ingest (default {DEFAULT_HISTORY_DAYS}; 0: none)")

    def handle(self, *args, seed, reset_passwords, history_days, **options):
        started = time.monotonic()
        created = do_setup_demo(seed=seed)
        if reset_passwords:
            reset_demo_passwords(build(seed)["logins"])
        took = time.monotonic() - started
        made = ", ".join(f"{name} +{count}" for name, count in created.items())
        self.stdout.write(f"demo region ready in {took:.1f} s ({made})")
        if history_days > 0:
            started = time.monotonic()
            totals = do_load_history(history_days, actor="demo_setup", seed=seed)
            took = time.monotonic() - started
            sent = ", ".join(f"{name} {count}" for name, count in totals.items())
            self.stdout.write(f"case history of {history_days} days ingested in {took:.1f} s ({sent})")

        for app in DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            started = time.monotonic()
            counts = importlib.import_module(f"{app}.demo").populate(timezone.now())
            made = ", ".join(f"{name} {count}" for name, count in counts.items())
            self.stdout.write(f"{app} demo data in {time.monotonic() - started:.1f} s ({made})")


# Apps that add demo data of their own, in dependency order (floors of DESIGN.md).
DEMO_APPS = ["supervision", "complaints", "evaluations", "video", "insight", "performance", "accountability"]
