"""manage.py import_catalog FILE.json [--dry-run] [-v 2]: all or nothing; prints what changed (with -v 2
every new item version) or every error."""
import json

from django.core.management.base import BaseCommand, CommandError

from catalog.importer import import_catalog
from catalog.schema import CatalogError


class Command(BaseCommand):
    help = "Import the power list (regions, halls, departments, windows, items) from a JSON file; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the catalog file (format: docs/catalog.md)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, file, dry_run, **options):
        try:
            with open(file, encoding="utf-8") as f:
                data = json.load(f)
        except OSError as e:
            raise CommandError(f"{file}: cannot read ({e.strerror})")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise CommandError(f"{file}: not valid JSON ({e})")
        try:
            summary = import_catalog(data, "import_catalog", dry_run=dry_run)
        except CatalogError as e:
            for line in e.errors:
                self.stderr.write(line)
            raise CommandError(f"{file}: {len(e.errors)} error(s); nothing was imported")
        for line in summary.lines(versions=options["verbosity"] >= 2):
            self.stdout.write(line)
