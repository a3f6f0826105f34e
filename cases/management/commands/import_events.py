"""Back-fill history from a JSON Lines file (one event per line), through the same validation and
rules as the API, marked historical (not counted as late-arriving). Streams the file in batches,
so memory stays flat whatever its size; progress is committed with each batch and a re-run of the
same file resumes where it stopped (re-sent event_ids are duplicates anyway).

With --workers N the file is cut into N byte ranges at line starts and N processes import one
each. Events of one case may then sit in two ranges: recompute takes a per-case lock, so the case
is computed from all its events whichever worker comes second (docs/engine.md, concurrent writers).
"""
import multiprocessing
import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections, transaction
from django.utils import timezone

from core import gctune
from core.jsontext import parse

from ...ingest import ingest
from ...models import ApiClient, ImportRun, RejectedEvent
from ...validate import MAX_BATCH

RETRYABLE = ("40P01", "40001")  # deadlock detected, serialization failure: the batch is retried
SCAN_CHUNK = 1 << 24
ANALYZE_FIRST = 20_000  # lines: then again each time a worker's share has doubled


class Command(BaseCommand):
    help = "Import historical case events from a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--client", required=True, help="name of the API client the events come from")
        parser.add_argument("--batch", type=int, default=MAX_BATCH)
        parser.add_argument("--workers", type=int, default=1,
                            help="processes importing parts of the file at once (PostgreSQL; default 1)")
        parser.add_argument("--restart", action="store_true", help="ignore saved progress, start at the top")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, file, client, batch, workers, restart, quiet, **options):
        gctune.tune()
        api_client = ApiClient.objects.filter(name=client).first()
        if api_client is None:
            raise CommandError(f"--client: no API client named {client!r} (create one with create_api_client)")
        if not os.path.isfile(file):
            raise CommandError(f"file: {file} does not exist")
        if workers < 1:
            raise CommandError(f"--workers: {workers} is not a number of processes (expected 1 or more)")
        if workers > 1 and connections["default"].vendor != "postgresql":
            raise CommandError("--workers: parallel import needs PostgreSQL (SQLite takes one writer at a time)")
        path, size = os.path.abspath(file), os.path.getsize(file)
        runs = [] if restart else list(ImportRun.objects.filter(path=path, size=size, client=api_client,
                                                                finished_at=None).order_by("start", "pk"))
        if runs:
            left = sum((size if run.end is None else run.end) - run.offset for run in runs)
            self.stdout.write(f"resuming at line {runs[0].first_line + runs[0].lines + 1}" if len(runs) == 1 else
                              f"resuming {len(runs)} parts, {1 - left / max(size, 1):.0%} done")
        else:
            runs = [ImportRun.objects.create(path=path, size=size, client=api_client, start=start, end=end,
                                             first_line=first_line, offset=start)
                    for start, end, first_line in _ranges(path, size, workers)]
        if len(runs) == 1:
            _import(runs[0].pk, batch, None if quiet else self._progress_of([runs[0].pk], size))
        else:
            self._parallel([run.pk for run in runs], batch, size, quiet)
        runs = list(ImportRun.objects.filter(pk__in=[run.pk for run in runs]))
        if not quiet:
            sys.stderr.write("\n")
        total = {f: sum(getattr(run, f) for run in runs) for f in ("lines", "accepted", "duplicates", "rejected")}
        self.stdout.write(f"imported {total['lines']} lines: {total['accepted']} accepted, {total['duplicates']} "
                          f"duplicates, {total['rejected']} rejected (kept for review)")

    def _parallel(self, pks, batch, size, quiet):
        """One forked process per range; this one shows their combined progress from the database."""
        connections.close_all()  # each child opens its own connection
        context = multiprocessing.get_context("fork")
        procs = [context.Process(target=_child, args=(pk, batch)) for pk in pks]
        for proc in procs:
            proc.start()
        show = None if quiet else self._progress_of(pks, size)
        while any(proc.is_alive() for proc in procs):
            time.sleep(0.5)
            if show:
                show()
        connections.close_all()
        failed = [proc.exitcode for proc in procs if proc.exitcode]
        if failed:
            raise CommandError(f"{len(failed)} of {len(procs)} import workers failed (see above); run the same "
                               "command again to resume")

    def _progress_of(self, pks, size):
        started = time.monotonic()
        first = {run.pk: run.lines for run in ImportRun.objects.filter(pk__in=pks)}

        def show():
            runs = list(ImportRun.objects.filter(pk__in=pks))
            read = size - sum((size if run.end is None else run.end) - run.offset for run in runs)
            lines = sum(run.lines for run in runs)
            rate = (lines - sum(first.values())) / max(time.monotonic() - started, 1e-6)
            filled = int(30 * read / max(size, 1))
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {read / max(size, 1):6.1%} "
                             f"{lines:>10} lines {rate:8.0f}/s")
            sys.stderr.flush()

        return show


def _ranges(path, size, workers):
    """(start, end, lines before start) of up to `workers` byte ranges, each starting at a line start."""
    starts = [0]
    with open(path, "rb") as handle:
        for k in range(1, workers):
            handle.seek(max(k * size // workers - 1, 0))
            handle.readline()  # to the start of the next line
            if starts[-1] < handle.tell() < size:
                starts.append(handle.tell())
        lines_before, counted, position = [0], 0, 0
        handle.seek(0)
        for start in starts[1:]:
            while position < start:
                chunk = handle.read(min(SCAN_CHUNK, start - position))
                counted += chunk.count(b"\n")
                position += len(chunk)
            lines_before.append(counted)
    ends = starts[1:] + [None]
    return list(zip(starts, ends, lines_before))


def _child(pk, batch):
    try:
        _import(pk, batch, None)
    finally:
        connections.close_all()


def _import(pk, batch, show):
    """Import one range, batch by batch, each committed with its progress."""
    run = ImportRun.objects.get(pk=pk)
    next_analyze = run.lines + ANALYZE_FIRST
    with open(run.path, "rb") as handle:
        handle.seek(run.offset)
        while True:
            chunk, bad, offset = _read(handle, batch, run.first_line + run.lines, run.end)
            if not chunk and not bad:
                break
            for attempt in range(3):
                try:
                    with transaction.atomic():
                        result = ingest(run.client, chunk, source="import", historical=True) if chunk else None
                        _account(run, result, bad, offset, len(chunk) + len(bad))
                    break
                except OperationalError as err:  # another worker's batch locked rows in the other order
                    if getattr(err.__cause__, "sqlstate", None) not in RETRYABLE or attempt == 2:
                        raise
                    run.refresh_from_db()
            if run.lines >= next_analyze:
                _analyze()
                next_analyze = 2 * run.lines
            if show:
                show()
    run.finished_at = timezone.now()
    run.save()


def _analyze():
    """Fresh planner statistics for the tables an import grows (PostgreSQL), after the first lines
    and each time this run's share has doubled. Without them the planner takes the case look-ups
    of a batch for most of the table and reads all of it (a 14 ms read took 700 ms at 4M events
    on a server without autovacuum; even with it, statistics lag behind a bulk load)."""
    if connections["default"].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE cases_caseevent, cases_case, alerts_alert, alerts_alertchange")


def _read(handle, batch, first_line, end):
    """Up to `batch` parsed events before byte `end`; unparseable lines are returned as (line number, error)."""
    chunk, bad = [], []
    number = first_line
    while len(chunk) + len(bad) < batch:
        if end is not None and handle.tell() >= end:
            break
        line = handle.readline()
        if not line:
            break
        number += 1
        if not line.strip():
            continue
        try:
            chunk.append(parse(line))
        except (ValueError, UnicodeDecodeError) as err:
            bad.append((number, f"line {number}: not valid JSON ({err})"))
    return chunk, bad, handle.tell()


def _account(run, result, bad, offset, count):
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
