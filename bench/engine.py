"""The supervision engine at scale, on PostgreSQL: the sweep and the case API.

    .venv/bin/python bench/engine.py [--cases 1000000] [--due 10000] [--workers 1 2] [--keep DBNAME]

Loads open cases and their events straight into a fresh database with COPY (each case a realistic
history of one demo item: received, supplement requested/received, accepted, three steps started and
completed, 10 events; its projection row computed by the real clock), then times
  - the sweep: `--due` open cases made due, and `cases.sweep.sweep(now)` run by 1, then 2 worker
    processes at once (fresh due cases each time) until every due case is processed
    (target: 10,000 in ≤ 2 s);
  - GET /api/v1/cases/{no}?as_of=… over a real socket to the production server, 300 random cases
    (target p95 ≤ 15 ms).
Prints the figures and writes bench/results/engine.json.
"""
import argparse
import http.client
import json
import os
import subprocess
import random
import sys
import time
from datetime import datetime, timedelta
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import (PY, ROOT, database_url, fresh_database, manage, setup_django, start_server, stop_server,  # noqa: E402
                    summary_ms, write_result)

PORT = 8721


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="sweep with this many worker processes at once (each run on fresh due cases)")
    parser.add_argument("--sweep-worker", help=argparse.SUPPRESS)
    parser.add_argument("--keep", metavar="DBNAME", help="use an already loaded PostgreSQL database (e.g. "
                        "cw_bench_dashboard from bench/dashboard.py) instead of loading one")
    args = parser.parse_args()
    if args.sweep_worker:
        return sweep_worker(args.sweep_worker)
    if args.keep:
        url = database_url("postgres", args.keep)
        manage(url, "migrate", "--noinput")
        setup_django(url)
        client, key, now, case_nos, n_events, load_s = reuse()
        args.cases = len(case_nos)
    else:
        url = fresh_database("postgres", "cw_bench_engine")
        manage(url, "migrate", "--noinput")
        manage(url, "demo_setup", "--history-days", "0")
        setup_django(url)
        started = time.perf_counter()
        client, key, now, case_nos, n_events = load(args.cases)
        load_s = time.perf_counter() - started
    print(f"{args.cases:,} cases and {n_events:,} events (loaded in {load_s:.0f} s)")
    sweeps = []
    for workers in args.workers:
        mark_due(args.due, now)
        seconds, swept = time_sweep(url, now, workers)
        sweeps.append({"workers": workers, "due": swept, "seconds": round(seconds, 2)})
        print(f"sweep: {swept:,} due cases of {args.cases:,} processed in {seconds:.2f} s by {workers} worker(s)")
    latencies = time_case_api(url, key, case_nos, now, args.requests)
    s = summary_ms(latencies)
    print(f"GET /api/v1/cases/{{no}}?as_of=…: p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms ({s['n']} requests)")
    write_result("engine", {"cases": args.cases, "events": n_events, "load_seconds": round(load_s),
                            "sweeps": sweeps, "case_api": s})


def reuse():
    """An existing loaded database: a client key."""
    from django.db import connection
    from django.utils import timezone

    from cases.models import ApiClient, Case, CaseEvent
    from orgs.models import Region

    client = ApiClient.objects.filter(name="bench-engine").first() or ApiClient(
        name="bench-engine", region=Region.objects.filter(parent=None).first())
    key = client.set_new_key()
    client.save()
    case_nos = list(Case.objects.exclude(item_version=None).values_list("case_no", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [CaseEvent._meta.db_table])
        n_events = cursor.fetchone()[0]
    return client, key, timezone.now(), case_nos, n_events, 0


def mark_due(n_due, now):
    """Make `n_due` open cases that nothing has touched since the load (no earlier run swept them) due
    now, newest loaded first. Their recompute then raises every finding they hold, a heavier sweep than
    the usual one alert per due case."""
    from django.db.models import Min

    from cases.models import Case

    loaded_at = Case.objects.aggregate(at=Min("updated_at"))["at"]  # the loader stamps every row alike
    due = list(Case.objects.filter(status__in=["in_progress", "received", "awaiting_supplement"], updated_at=loaded_at)
               .exclude(next_check_at__lte=now).order_by("-pk").values_list("pk", flat=True)[:n_due])
    Case.objects.filter(pk__in=due).update(next_check_at=now - timedelta(minutes=1))


def load(n_cases):
    from django.db import connection
    from django.utils import timezone

    from cases import clock
    from cases.models import ApiClient
    from cases.projection import calendar, item_rules, tz
    from catalog.models import Item
    from orgs.models import Region

    client = ApiClient(name="bench", region=Region.objects.get(code="152500"))
    key = client.set_new_key()
    client.save()
    item = next(i for i in Item.objects.select_related("department") if len(i.current_version().steps) >= 3
                and i.current_version().promised_limit_days >= 10)
    version = item.current_version()
    rules, cal, zone = item_rules(version), calendar(), tz()
    now = timezone.now()
    today = now.astimezone(zone).date()
    days = [d for d in (today - timedelta(days=k) for k in range(1, 60)) if cal.is_workday(d)][:30]
    templates = {d: template(d, version, rules, cal, zone, now, clock) for d in days}
    rng = random.Random(7)
    case_nos, n_events = [], 0
    case_cols = ("case_no, item_id, item_version_id, department_id, region_id, client_id, status, received_at, "
                 "clock_start, deemed_accepted, promised_due, legal_due, suspended_days, extension_days, late, "
                 "alert_level, next_check_at, applicant_name, applicant_id_number, applicant_phone, channel, "
                 "check_code, quality_notes, late_events, ignored_events, updated_at")
    event_cols = "client_id, source, event_id, case_no, type, occurred_at, arrived_at, data, historical, late_arrival"
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cases_caseevent SET UNLOGGED")
        with cursor.cursor.copy(f"COPY cases_case ({case_cols}) FROM STDIN") as copy_cases:
            for i in range(n_cases):
                day = days[i % len(days)]
                events, state = templates[day]
                no = f"B{i:08d}"
                case_nos.append(no)
                copy_cases.write_row((no, item.pk, version.pk, item.department_id, item.department.region_id,
                                      client.pk, state.status, state.received_at, state.clock_start, False,
                                      state.promised_due, state.legal_due, 0, 0, state.late, "", state.next_check_at,
                                      "", "", "", "window", f"{rng.randrange(10**6):06d}", "[]", 0, 0,
                                      now))
        with cursor.cursor.copy(f"COPY cases_caseevent ({event_cols}) FROM STDIN") as copy_events:
            for i, no in enumerate(case_nos):
                events, _ = templates[days[i % len(days)]]
                for j, (kind, at, data) in enumerate(events):
                    copy_events.write_row((client.pk, "import", f"{no}-{j}", no, kind, at, at, json.dumps(data),
                                           True, False))
                    n_events += 1
        cursor.execute("ALTER TABLE cases_caseevent SET LOGGED")
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_caseevent")
    return client, key, now, case_nos, n_events


def template(day, version, rules, cal, zone, now, clock):
    """The events of an open case received on `day` and its projection by the real clock."""
    at = datetime.combine(day, datetime.min.time(), zone) + timedelta(hours=9)
    steps = [s["code"] for s in version.steps][:3]
    events = [("received", at, {"item_code": version.item.code}), ("supplement_requested", at + timedelta(minutes=5),
              {"materials": ["身份证明"]}), ("supplement_received", at + timedelta(hours=1), {}),
              ("accepted", at + timedelta(hours=2), {"staff": "bench"})]
    t = at + timedelta(hours=3)
    for code in steps:
        events += [("step_started", t, {"step": code, "staff": "bench"}),
                   ("step_completed", t + timedelta(minutes=30), {"step": code, "staff": "bench"})]
        t += timedelta(hours=1)
    state = clock.compute(rules, [clock.Event(k, kind, when, data) for k, (kind, when, data) in enumerate(events)],
                          cal, now, zone)
    return events, state


def time_sweep(url, now, workers):
    """Wall time for `workers` processes running cases.sweep.sweep(now) at once, from a common start
    signal (Django set up beforehand) until the last one is done."""
    env = dict(os.environ, DATABASE_URL=url)
    procs = [subprocess.Popen([PY, __file__, "--sweep-worker", now.isoformat()], cwd=ROOT, env=env, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in range(workers)]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    swept = sum(int(proc.stdout.readline()) for proc in procs)
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.wait()
    return elapsed, swept


def sweep_worker(now_iso):
    setup_django(os.environ["DATABASE_URL"])
    from cases.projection import calendar
    from cases.sweep import sweep

    calendar()  # loaded once by a long-running worker, not per sweep
    print("ready", flush=True)
    sys.stdin.readline()
    print(sweep(datetime.fromisoformat(now_iso)), flush=True)


def time_case_api(url, key, case_nos, now, n):
    server = start_server(url, PORT)
    try:
        # A connection per request, as an integrator's client without keep-alive would do.
        headers = {"Authorization": f"Bearer {key}", "Connection": "close"}
        rng = random.Random(11)
        samples = []
        for k in range(n + 20):
            no = rng.choice(case_nos)
            as_of = quote((now - timedelta(days=rng.randrange(0, 20))).isoformat())
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("GET", f"/api/v1/cases/{no}?as_of={as_of}", headers=headers)
            reply = conn.getresponse()
            reply.read()
            conn.close()
            if reply.status != 200:
                raise RuntimeError(f"GET {no}: {reply.status}")
            if k >= 20:  # the first requests warm the server up
                samples.append(time.perf_counter() - started)
        return samples
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
