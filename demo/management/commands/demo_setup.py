"""Load the demo region: calendar, power list, centres, cameras, staff and demo log-ins (idempotent;
run `migrate` first)."""
import time

from django.core.management.base import BaseCommand

from demo.region import build
from demo.setup import do_setup_demo, reset_demo_passwords


class Command(BaseCommand):
    help = "Load (or refresh) the Xilingol demo region; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025, help="generator seed (default 2025)")
        parser.add_argument("--reset-passwords", action="store_true",
                            help="set the demo log-ins' passwords again (from DEMO_PASSWORD)")

    def handle(self, *args, seed, reset_passwords, **options):
        started = time.monotonic()
        created = do_setup_demo(seed=seed)
        if reset_passwords:
            reset_demo_passwords(build(seed)["logins"])
        took = time.monotonic() - started
        made = ", ".join(f"{name} +{count}" for name, count in created.items())
        self.stdout.write(f"demo region ready in {took:.1f} s ({made})")
