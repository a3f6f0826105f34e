"""CPU time of cases.ingest.ingest per 1,000 events, in one process (and, on PostgreSQL, its server
backend's CPU read from /proc): a figure that a busy machine disturbs far less than wall-clock
throughput, for comparing two versions of the code alternately on the same day.

    .venv/bin/python bench/ingest_cpu.py [--db sqlite|postgres] [--feed cases|live|backfill] [--events 20000]
                                         [--batches FILE]

The histories are bench/ingest.py's (the demo generator: whole cases, the live feed of the last two
working days after its earlier weeks are loaded, or the last week sent at once as a back-fill); the
first batch warms up and is not counted. No HTTP: the API's own cost is not in it. With --batches,
run the two versions of the code to compare on the same file: they then ingest the same events.
CW_BENCH_DB names the database (default cw_bench_cpu), for runs beside other checkouts' runs.
"""
import argparse
import json
import os
import pickle
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import fresh_database, manage, setup_django, write_result  # noqa: E402


def backend_cpu(pid):
    """Seconds of CPU a process has used (user + system), from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--feed", choices=("cases", "live", "backfill"), default="cases")
    parser.add_argument("--batches", default=os.environ.get("CW_BATCHES"),
                        help="a file to keep the generated events in (env CW_BATCHES): made on the first run, "
                        "read on the next (two versions of the code then ingest the very same events)")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--name", default="cw_bench_cpu", help="the benchmark database's name (one per person "
                        "benchmarking on a shared PostgreSQL)")
    args = parser.parse_args()
    url = fresh_database(args.db, args.name)
    manage(url, "migrate", "--noinput")
    manage(url, "demo_setup", "--history-days", "0")
    setup_django(url)
    from django.db import connection
    from django.utils import timezone

    import ingest as bench_ingest
    from cases.ingest import ingest
    from cases.models import ApiClient
    from demo import history
    from demo.region import build
    from orgs.models import Region
    from workdays.models import load_calendar

    client = ApiClient(name="bench", region=Region.objects.get(code="152500"))
    client.set_new_key()
    client.save()
    batches, preload, now = _feed(args, bench_ingest, history, build, load_calendar, timezone)
    bench_ingest.preload_feed(client, preload)
    backend = None
    if args.db == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    ingest(client, batches[0], now=now)  # warm-up: caches, the first catalog load
    db_before = backend_cpu(backend) if backend else 0.0
    cpu_before, started = time.process_time(), time.perf_counter()
    events = accepted = 0
    for batch in batches[1:]:
        accepted += ingest(client, batch, now=now).accepted
        events += len(batch)
    cpu, wall = time.process_time() - cpu_before, time.perf_counter() - started
    db = backend_cpu(backend) - db_before if backend else 0.0
    result = {"db": args.db, "feed": args.feed, "events": events, "accepted": accepted,
              "python_cpu_ms_per_1000": round(cpu / events * 1e6, 1),
              "database_cpu_ms_per_1000": round(db / events * 1e6, 1), "wall_s": round(wall, 1)}
    print(json.dumps(result))
    write_result(f"ingest_cpu-{args.db}-{args.feed}", result)


def _feed(args, bench_ingest, history, build, load_calendar, timezone):
    """(batches to time, batches to load first, now): generated, or read from --batches' file."""
    if args.batches and os.path.exists(args.batches):
        with open(args.batches, "rb") as f:
            return pickle.load(f)
    now = timezone.now()
    batches, _, preload = bench_ingest.make_batches(history, build(2025), load_calendar(), now, args.events,
                                                    args.feed)
    if args.batches:
        with open(args.batches, "wb") as f:
            pickle.dump((batches, preload, now), f)
    return batches, preload, now


if __name__ == "__main__":
    main()
