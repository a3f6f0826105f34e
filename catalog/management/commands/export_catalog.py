"""manage.py export_catalog [FILE.json] [--region CODE]: the catalog in the import format."""
from django.core.management.base import BaseCommand, CommandError

from catalog.export import dumps, export_catalog
from catalog.schema import CatalogError


class Command(BaseCommand):
    help = "Export the power list (each item's latest version) in the import_catalog format."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write (default: standard output)")
        parser.add_argument("--region", help="only this region's subtree")

    def handle(self, *args, file=None, region=None, **options):
        try:
            text = dumps(export_catalog(region))
        except CatalogError as e:
            raise CommandError("; ".join(e.errors))
        if file:
            with open(file, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
