from django.core.management.base import BaseCommand, CommandError

from workdays.models import seed_calendar
from workdays.seed import package_years


class Command(BaseCommand):
    help = "Load the holiday / make-up schedule from chinese_calendar (idempotent; admin edits are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years",
                            help="only this year (repeatable); default: every year the package knows")

    def handle(self, *args, years=None, **options):
        known = package_years()
        unknown = [y for y in years or [] if y not in known]
        if unknown:
            raise CommandError(f"chinese_calendar has no schedule for {unknown}; it knows {known[0]}–{known[-1]}")
        result = seed_calendar(years)
        self.stdout.write(
            f"calendar: {result['created']} days created, {result['updated']} updated, "
            f"{result['kept_admin']} admin-set days kept"
            + (f" (revision {result['revision']})" if result["revision"] else " (no change)"))
