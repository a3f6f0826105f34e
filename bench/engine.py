"""The supervision engine at scale, on PostgreSQL: the sweep and the case API.

    .venv/bin/python bench/engine.py [--cases 1000000] [--workers 1 2] [--keep DBNAME]

Loads open cases and their events straight into a fresh database with COPY (each case a realistic
history of one demo item: received, supplement requested/received, accepted, three steps started and
completed, 10 events; received on one of 100 working days, 10,000 cases a day; its projection row and
the alerts it has raised so far computed by the real clock), then times
  - the sweep: at the next instant when one receipt day's cases fall due (10,000 of the 1,000,000;
    instants where several days' cases fall due at once are swept untimed first),
    `cases.ticks.sweep(at)` (the tick cases.sweep) run by 1, then at the next such instant by 2 worker processes at once,
    until every due case is processed (target: 10,000 in ≤ 2 s);
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
DAYS = 100  # receipt days of the loaded cases: 10,000 cases a day at 1,000,000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="sweep with this many worker processes at once (each run at the next instant cases "
                             "fall due)")
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
        at, due = next_due()
        while due > 1.5 * args.cases / DAYS:  # several receipt days fall due at once: sweep them, untimed
            print(f"(sweeping {due:,} cases due at {at:%Y-%m-%d %H:%M %Z} untimed: more than one day's)")
            time_sweep(url, at, 2)
            at, due = next_due()
        seconds, swept = time_sweep(url, at, workers)
        raised = alerts_raised_at(at)
        sweeps.append({"workers": workers, "at": at.isoformat(), "due": due, "swept": swept, "alerts_raised": raised,
                       "seconds": round(seconds, 2)})
        print(f"sweep at {at:%Y-%m-%d %H:%M %Z}: {swept:,} of {args.cases:,} open cases fell due, {raised:,} alerts "
              f"raised, in {seconds:.2f} s by {workers} worker(s)")
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


def next_due():
    """The next instant at which stored cases fall due, and how many do then. The cases received on
    one day share their next instant, so this is one day's cases: about 10,000 of 1,000,000."""
    from django.db.models import Min

    from cases.models import Case

    at = Case.objects.aggregate(at=Min("next_check_at"))["at"]
    if at is None:
        raise SystemExit("every time rule of the loaded cases has fired: load afresh (without --keep)")
    return at, Case.objects.filter(next_check_at__lte=at).count()


def alerts_raised_at(at):
    from alerts.models import Alert

    return Alert.objects.filter(raised_at=at).count()


def load(n_cases):
    from django.db import connection
    from django.utils import timezone

    from cases import clock
    from cases.models import ApiClient
    from cases.projection import item_rules
    from catalog.models import Item
    from orgs.lookup import centres_for
    from orgs.models import Region
    from workdays.models import load_calendar
    from workdays.zone import tz

    client = ApiClient(name="bench", region=Region.objects.get(code="152500"))
    key = client.set_new_key()
    client.save()
    item = next(i for i in Item.objects.select_related("department") if len(i.current_version().steps) >= 3
                and i.current_version().promised_limit_days >= 10)
    version = item.current_version()
    rules, cal, zone = item_rules(version), load_calendar(), tz()
    now = timezone.now()
    today = now.astimezone(zone).date()
    days = [d for d in (today - timedelta(days=k) for k in range(1, 200)) if cal.is_workday(d)][:DAYS]
    templates = {d: template(d, version, rules, cal, zone, now, clock) for d in days}
    centre = centres_for({item.department.region_id})[item.department.region_id]
    rng = random.Random(7)
    case_nos, n_events = [], 0
    case_cols = ("case_no, item_id, item_version_id, department_id, region_id, client_id, status, received_at, "
                 "clock_start, deemed_accepted, promised_due, legal_due, suspended_days, extension_days, late, "
                 "alert_level, next_check_at, channel, "
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
                                      state.promised_due, state.legal_due, 0, 0, state.late, state.alert_level or "",
                                      state.next_check_at, "window", f"{rng.randrange(10**6):06d}", "[]",
                                      0, 0, now))
        with cursor.cursor.copy(f"COPY cases_caseevent ({event_cols}) FROM STDIN") as copy_events:
            for i, no in enumerate(case_nos):
                events, _ = templates[days[i % len(days)]]
                for j, (kind, at, data) in enumerate(events):
                    copy_events.write_row((client.pk, "import", f"{no}-{j}", no, kind, at, at, json.dumps(data),
                                           True, False))
                    n_events += 1
        n_alerts = write_alerts(cursor, case_nos, [templates[days[i % len(days)]][1] for i in range(len(days))],
                                item.department, centre)
        cursor.execute("ALTER TABLE cases_caseevent SET LOGGED")
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_caseevent")
    print(f"loaded {n_alerts:,} alerts the cases already had")
    return client, key, now, case_nos, n_events


def write_alerts(cursor, case_nos, states, department, centre):
    """The alerts each loaded case has already raised (its state's findings), with their first change
    rows, so the database is what ingest would have left: a sweep then raises only what falls due."""
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM alerts_alert")
    next_id = cursor.fetchone()[0] + 1
    first = next_id
    alert_cols = ("id, subject_type, subject_key, rule, step, level, status, raised_at, closed_at, detail, "
                  "department_id, region_id, centre_id, escalated, contest, contest_detail")
    change_cols = "alert_id, at, actor_name, from_status, to_status, from_level, to_level, note"
    changes = []
    with cursor.cursor.copy(f"COPY alerts_alert ({alert_cols}) FROM STDIN") as copy:
        for i, no in enumerate(case_nos):
            for f in states[i % len(states)].alerts:
                status = "closed" if f.closed_at else "open"
                copy.write_row((next_id, "case", no, f.rule, f.step or "", f.level, status, f.raised_at, f.closed_at,
                                f.detail, department.pk, department.region_id, centre, False, "", "{}"))
                changes.append((next_id, f.raised_at, "system", "", "open", "", f.level, "raised"))
                if f.closed_at:
                    changes.append((next_id, f.closed_at, "system", "open", "closed", f.level, f.level,
                                    "closed by rule"))
                next_id += 1
    with cursor.cursor.copy(f"COPY alerts_alertchange ({change_cols}) FROM STDIN") as copy:
        for row in changes:
            copy.write_row(row)
    cursor.execute("SELECT setval(pg_get_serial_sequence('alerts_alert', 'id'), %s)", [next_id])
    cursor.execute("ANALYZE alerts_alert")
    cursor.execute("ANALYZE alerts_alertchange")
    return next_id - first


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
    """Wall time for `workers` processes running cases.ticks.sweep(now) at once, from a common start
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
    from cases.ticks import sweep
    from core import gctune
    from workdays.models import load_calendar

    load_calendar()  # loaded once by a long-running worker, not per sweep
    gctune.tune()  # as manage.py supervise does
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
