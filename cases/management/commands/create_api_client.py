from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.audit import record
from orgs.models import Department, Region

from ...models import ApiClient


class Command(BaseCommand):
    help = "Create an API client scoped to departments or a region; prints its key once (only a hash is kept)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--department", nargs="+", metavar="CODE", help="department code(s)")
        group.add_argument("--region", metavar="CODE", help="region code (the client may report for its subtree)")

    @transaction.atomic
    def handle(self, name, department=None, region=None, **options):
        if ApiClient.objects.filter(name=name).exists():
            raise CommandError(f"name: an API client named {name!r} already exists")
        client = ApiClient(name=name)
        if region:
            client.region = Region.objects.filter(code=region).first()
            if client.region is None:
                raise CommandError(f"--region: unknown region code {region!r}")
        key = client.set_new_key()
        client.save()
        if department:
            found = {d.code: d for d in Department.objects.filter(code__in=department)}
            missing = [c for c in department if c not in found]
            if missing:
                raise CommandError(f"--department: unknown department code(s) {', '.join(missing)}")
            client.departments.set(found.values())
        record("create_api_client", "create", "ApiClient", client.pk,
               after={"name": name, "departments": department or [], "region": region or ""})
        self.stdout.write(f"API client {name!r} created. Its key (shown once, store it now):\n{key}")
