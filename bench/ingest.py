"""Ingest throughput through the real HTTP API, against the raw bulk-write limit of the same table.

    .venv/bin/python bench/ingest.py [--events 100000] [--db postgres sqlite]

For each database: a fresh database with the demo region's power list, realistic case histories
from the demo generator (batches of at most 1,000 events that never split a case), the production
server (gunicorn, two workers: one per core) and two client threads posting over real sockets with
full validation and rule evaluation. Then the same rows are written raw into the same table (COPY on
PostgreSQL, executemany on SQLite), one transaction per batch as the API commits them, and the
ratio is printed.
"""
import argparse
import http.client
import json
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import PY, ROOT, fresh_database, manage, setup_django, start_server, stop_server, write_result  # noqa: E402

BATCH = 1000
PORT = 8711
# cases: each batch holds whole case histories (a back-fill; every case is new to the server).
# live: the last two working days' events in the order they occurred, cut into batches as a live feed
# sends them, on time: most continue a case the server holds already (loaded first, untimed).
# backfill: the last week's events, in order, all sent now (mostly days late): not in the default run.
FEEDS = ("cases", "live", "backfill")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", nargs="+", default=["postgres", "sqlite"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--feed", choices=FEEDS, help=argparse.SUPPRESS)
    parser.add_argument("--batches", help="a prefix for files keeping the generated events (one per feed): made "
                        "on the first run, read on the next, so that two versions of the code get the same events")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.events, args.feed, args.batches)))
        return
    results = {}
    for kind in args.db:
        results[kind] = one(kind, args.events, "cases", args.batches)
        results[kind]["live_feed"] = one(kind, args.events, "live", args.batches)
        for r, label in ((results[kind], "whole cases"), (results[kind]["live_feed"], "live feed")):
            raw = (f" | raw {r['raw_method']} {r['raw_rows_per_s']:>9,.0f} rows/s | ratio {r['ratio_to_raw']:.2f}"
                   if "raw_method" in r else "")
            print(f"{kind:9} {label:11} API ingest {r['api_events_per_s']:>8,.0f} events/s ({r['events']:,} "
                  f"events, {r['batches']} batches, {r['rejected']} rejected){raw} | "
                  f"{r['cores_busy']:.1f} of {os.cpu_count()} cores busy")
    write_result("ingest", {"batch": BATCH, "results": results})


def one(kind, wanted, feed, batches=None):
    kept = ["--batches", batches] if batches else []
    out = subprocess.run([PY, __file__, "--one", kind, "--feed", feed, "--events", str(wanted), *kept], cwd=ROOT,
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_one(kind, wanted, feed, kept=None):
    url = fresh_database(kind, "cw_bench_ingest")
    manage(url, "migrate", "--noinput")
    manage(url, "demo_setup", "--history-days", "0")
    setup_django(url)
    from django.utils import timezone

    from cases.models import ApiClient
    from demo import history
    from demo.region import build
    from orgs.models import Region
    from workdays.models import load_calendar

    client = ApiClient(name="bench", region=Region.objects.get(code="152500"))
    key = client.set_new_key()
    client.save()
    batches, total, preload, now = _events(kept and f"{kept}-{feed}.pickle", wanted, feed, history, build,
                                           load_calendar, timezone)
    preload_feed(client, preload)
    if kind == "postgres":  # the statistics autovacuum keeps a live database's tables with (else a matter of timing)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    server = start_server(url, PORT, workers=2)
    try:
        bodies = [json.dumps({"events": batch}).encode() for batch in batches]  # the client's own work, untimed
        busy_before = cpu_busy()
        started = time.perf_counter()
        replies = post_all(bodies, key)
        elapsed = time.perf_counter() - started
        cores_busy = (cpu_busy() - busy_before) / elapsed
    finally:
        stop_server(server)
    accepted = sum(r["accepted"] for r in replies)
    rejected = sum(len(r["rejected"]) for r in replies)
    result = {"events": total, "batches": len(batches), "accepted": accepted, "rejected": rejected,
              "seconds": round(elapsed, 2), "api_events_per_s": round(total / elapsed),
              "cores_busy": round(cores_busy, 2)}
    if feed == "cases":
        raw_method, raw_rate = raw_write(kind, batches, now)
        result.update(raw_method=raw_method, raw_rows_per_s=round(raw_rate),
                      ratio_to_raw=round(total / elapsed / raw_rate, 3))
    return result


def _events(kept, wanted, feed, history, build, load_calendar, timezone):
    """(batches, total, preload, now): generated, or read from the file `kept` (written if new)."""
    if kept and os.path.exists(kept):
        with open(kept, "rb") as f:
            return pickle.load(f)
    now = timezone.now()
    made = (*make_batches(history, build(2025), load_calendar(), now, wanted, feed), now)
    if kept:
        with open(kept, "wb") as f:
            pickle.dump(made, f)
    return made


def make_batches(history, demo, cal, now, wanted, feed):
    """Realistic cases from the demo generator, as (batches to time, total events timed, batches to
    load first). Whole cases come from a year ago (all ended by now), each batch new to the server.

    The live feed is what an approval system sends as its day goes on: the events of the last two
    working days (today and the one before, so every one of them arrives on time: within one working
    day), in the order they occurred, at a volume that gives `wanted` of them. The cases they continue
    were opened in the two weeks before and are loaded first, untimed, each batch as of the moment
    it would have arrived (`preload`: [(now, batch)]): the server then holds what a live system holds
    when the day's events come. (Until 2026-12-05 the live feed posted the whole last week at once:
    events days late, which since alerts are reconciled with the full record (docs/engine.md) makes a
    back-fill, not a live feed; `--feed backfill` still measures that.)"""
    today = now.astimezone().date()
    if feed == "cases":
        cases, total = [], 0
        for case in history.generate(demo, today - timedelta(days=400), today, until=now, cal=cal, scale=3.0):
            cases.append(case)
            total += len(case)
            if total >= wanted:
                break
        return list(history.batches(cases, size=BATCH)), total, []
    if feed == "backfill":
        events = _occurred(history, demo, cal, now, today - timedelta(days=7), max(1.0, wanted / 6000))[:wanted]
        return _cut(events), len(events), []
    cutoff = datetime.combine(cal.workday_before(today), datetime.min.time(), tzinfo=now.astimezone().tzinfo)
    scale = max(1.0, wanted / 2000)
    for _ in range(4):  # the generator's volume is only roughly proportional to its scale
        events = _occurred(history, demo, cal, now, today - timedelta(days=14), scale)
        timed = [e for e in events if datetime.fromisoformat(e["occurred_at"]) >= cutoff]
        if len(timed) >= wanted:
            break
        scale *= 1.2 * wanted / max(len(timed), 1)
    timed = timed[:wanted]
    before = [e for e in events if datetime.fromisoformat(e["occurred_at"]) < cutoff]
    preload = [(datetime.fromisoformat(b[-1]["occurred_at"]) + timedelta(minutes=2), b) for b in _cut(before)]
    return _cut(timed), len(timed), preload


def _occurred(history, demo, cal, now, start, scale):
    """Every event of the cases received from `start` to today, in the order they occurred."""
    cases = history.generate(demo, start, now.astimezone().date(), until=now, cal=cal, scale=scale)
    return sorted((e for case in cases for e in case), key=lambda e: datetime.fromisoformat(e["occurred_at"]))


def _cut(events):
    return [events[i:i + BATCH] for i in range(0, len(events), BATCH)]


def preload_feed(client, preload):
    """Load the live feed's earlier weeks in-process, each batch as of when it would have arrived and
    followed by the sweep that would have run then (the worker raises alerts as cases fall due): the
    server holds what a live system held when the timed days began. (Not a sweep as of now: it would
    raise, before the timed events arrive, the alerts of cases those events complete in time.)"""
    from cases.ingest import ingest
    from cases.ticks import sweep

    for at, batch in preload:
        ingest(client, batch, now=at)
        sweep(at)


def cpu_busy():
    """Seconds of CPU time the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def post_all(bodies, key):
    todo = queue.Queue()
    for body in bodies:
        todo.put(body)
    replies, errors = [], []

    def worker(port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        while True:
            try:
                body = todo.get_nowait()
            except queue.Empty:
                return
            conn.request("POST", "/api/v1/events", body=body, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
            if reply.status != 200:
                errors.append((reply.status, data[:300]))
            else:
                replies.append(json.loads(data))

    threads = [threading.Thread(target=worker, args=(PORT,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} batches failed, e.g. {errors[0]}")
    return replies


def raw_write(kind, batches, now):
    """Write the same rows straight into the event table (another client id) and time it."""
    from django.db import connection, transaction

    from cases.models import ApiClient

    raw_client = ApiClient(name="bench-raw")
    raw_client.set_new_key()
    raw_client.save()
    batches = [[(raw_client.pk, "api", e["event_id"], e["case_no"], e["type"], e["occurred_at"], now.isoformat(),
                 json.dumps({k: v for k, v in e.items() if k not in ("event_id", "case_no", "type", "occurred_at")}),
                 False, False) for e in batch] for batch in batches]
    columns = "client_id, source, event_id, case_no, type, occurred_at, arrived_at, data, historical, late_arrival"
    method = "COPY" if kind == "postgres" else "executemany"
    started = time.perf_counter()
    for rows in batches:  # a transaction per batch, as the API commits each batch
        with transaction.atomic(), connection.cursor() as cursor:
            if kind == "postgres":
                with cursor.cursor.copy(f"COPY cases_caseevent ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO cases_caseevent ({columns}) VALUES ({', '.join(['%s'] * 10)})",
                                   rows)
    return method, sum(map(len, batches)) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
