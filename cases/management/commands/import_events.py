"""Back-fill history from a JSON Lines file (one event per line), through the same validation and
rules as the API, marked historical (not counted as late-arriving). Streams the file in batches,
so memory stays flat whatever its size; progress is committed with each batch and a re-run of the
same file resumes where it stopped (re-sent event_ids are duplicates anyway)."""
import json
import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ...ingest import ingest
from ...models import ApiClient, ImportRun, RejectedEvent
from ...validate import MAX_BATCH


class Command(BaseCommand):
    help = "Import historical case events from a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--client", required=True, help="name of the API client the events come from")
        parser.add_argument("--batch", type=int, default=MAX_BATCH)
        parser.add_argument("--restart", action="store_true", help="ignore saved progress, start at the top")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, file, client, batch, restart, quiet, **options):
        api_client = ApiClient.objects.filter(name=client).first()
        if api_client is None:
            raise CommandError(f"--client: no API client named {client!r} (create one with create_api_client)")
        if not os.path.isfile(file):
            raise CommandError(f"file: {file} does not exist")
        path, size = os.path.abspath(file), os.path.getsize(file)
        run = None if restart else ImportRun.objects.filter(path=path, size=size, client=api_client,
                                                             finished_at=None).order_by("-pk").first()
        run = run or ImportRun.objects.create(path=path, size=size, client=api_client)
        if run.offset:
            self.stdout.write(f"resuming at line {run.lines + 1} ({run.offset / max(size, 1):.0%})")
        started, done_before = time.monotonic(), run.lines
        with open(path, "rb") as handle:
            handle.seek(run.offset)
            while True:
                chunk, bad, offset = self._read(handle, batch, run.lines)
                if not chunk and not bad:
                    break
                with transaction.atomic():
                    result = ingest(api_client, chunk, source="import", historical=True) if chunk else None
                    self._account(run, result, bad, offset, len(chunk) + len(bad))
                if not quiet:
                    self._progress(run, size, started, done_before)
        run.finished_at = timezone.now()
        run.save()
        if not quiet:
            sys.stderr.write("\n")
        self.stdout.write(f"imported {run.lines} lines: {run.accepted} accepted, {run.duplicates} duplicates, "
                          f"{run.rejected} rejected (kept for review)")

    def _read(self, handle, batch, first_line):
        """Up to `batch` parsed events; unparseable lines are returned as (line number, error)."""
        chunk, bad = [], []
        number = first_line
        while len(chunk) + len(bad) < batch:
            line = handle.readline()
            if not line:
                break
            number += 1
            if not line.strip():
                continue
            try:
                chunk.append(json.loads(line))
            except (ValueError, UnicodeDecodeError) as err:
                bad.append((number, f"line {number}: not valid JSON ({err})"))
        return chunk, bad, handle.tell()

    def _account(self, run, result, bad, offset, count):
        RejectedEvent.objects.bulk_create([
            RejectedEvent(client=run.client, source="import", index=n, payload={"line": n}, error=e) for n, e in bad
        ])
        run.offset, run.lines = offset, run.lines + count
        if result:
            run.accepted += result.accepted
            run.duplicates += result.duplicates
            run.rejected += len(result.rejected)
        run.rejected += len(bad)
        run.save()

    def _progress(self, run, size, started, done_before):
        rate = (run.lines - done_before) / max(time.monotonic() - started, 1e-6)
        filled = int(30 * run.offset / max(size, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {run.offset / max(size, 1):6.1%} "
                         f"{run.lines:>10} lines {rate:8.0f}/s")
        sys.stderr.flush()
