"""Monitoring-centre benchmark: the dashboard's data endpoints over 1,000,000 cases and 10,000,000
events on PostgreSQL.

    .venv/bin/python bench/dashboard.py [--cases 1000000] [--events-per-case 10] [--requests 200] [--keep]

Builds a fresh database (cw_bench_dashboard): the League, its 12 banners/counties, 6 departments
and 2 windows each, one item per department; then writes cases, events, alerts and alert changes
with COPY (no ingest: this measures reading, not writing), recounts the live counters
(supervision.tally.rebuild) and ANALYZEs. Then, as a League supervisor through Django's test
client (middleware, session, access scoping, JSON), times 200 requests of each endpoint:

- live, unchanged   GET /supervision/centre/live/?v=<stamp>  → 204 (what every wall does every 3 s)
- live, changed     the same with a new stamp and a cold cache  → the whole snapshot as JSON
- live, one banner  a county unit's snapshot, cold cache
- dashboard page    GET /supervision/centre/ (HTML), cold cache
- case search       GET /supervision/cases/ (first page of 1M, newest first) — a list page, not live;
                    timed over a tenth as many requests

Prints p50/p95 and writes bench/results/dashboard.json. Never passes or fails on time.
"""
import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (copy_rows, copy_timed, database_url, fresh_database, manage, setup_django, summary_ms,  # noqa: E402
                    write_result)

DB = "cw_bench_dashboard"
COUNTIES = ["152501", "152502", "152522", "152523", "152524", "152525", "152526", "152527", "152528",
            "152529", "152530", "152531"]
EVENT_TYPES = ["received", "accepted", "step_started", "step_completed", "step_started", "step_completed",
               "fee_charged", "step_started", "step_completed", "completed"]


def build_org():
    from catalog.models import Item, ItemVersion
    from cases.models import ApiClient
    from core.roles import Role
    from django.contrib.auth import get_user_model
    from orgs.models import Centre, Department, Hall, Region, Staff, Window

    league = Region.objects.create(code="152500", name="锡林郭勒盟", level="league")
    regions = [league] + [Region.objects.create(code=c, name=f"旗县{c}", level="county", parent=league)
                          for c in COUNTIES]
    centres = {r.code: Centre.objects.create(code=f"C{r.code}", name=f"{r.name}监察中心", region=r) for r in regions}
    depts, windows, items = [], {}, {}
    for r in regions:
        hall = Hall.objects.create(code=f"H{r.code}", name=f"{r.name}政务服务中心", kind="centre_hall", region=r)
        for k in range(6):
            d = Department.objects.create(code=f"D{r.code}-{k}", name=f"{r.name}部门{k}", region=r)
            depts.append(d)
            windows[d.pk] = [Window.objects.create(code=f"W{r.code}-{k}-{w}", name=f"{w}号窗口", hall=hall,
                                                   department=d).pk for w in range(2)]
            item = Item.objects.create(code=f"I{r.code}-{k}", department=d)
            items[d.pk] = (item.pk, ItemVersion.objects.create(
                item=item, number=1, effective_from=date(2020, 1, 1), name=f"事项{r.code}-{k}", kind="licensing",
                legal_basis="《中华人民共和国行政许可法》", legal_limit_days=20, promised_limit_days=10,
                steps=[], fees=[], materials=[]).pk)
    client = ApiClient(name="bench")
    client.set_new_key()
    client.save()
    user = get_user_model().objects.create_user("league_sup", password="x")
    Staff.objects.create(user=user, code="league_sup", name="督查员", role=Role.SUPERVISOR, centre=centres["152500"])
    return depts, windows, items, client, user


def case_rows(n, depts, windows, items, now, rng, facts):
    """Cases spread over the past 365 days; about 3 % still open, some late; facts collects what
    alerts and events need."""
    for i in range(n):
        d = depts[i % len(depts)]
        received = now - timedelta(seconds=rng.randrange(365 * 86400))
        is_open = received > now - timedelta(days=20) and rng.random() < 0.6
        late = rng.random() < 0.06
        ended = "" if is_open else (received + timedelta(days=rng.randrange(1, 15))).isoformat()
        if ended and ended > now.isoformat():
            ended = now.isoformat()
        status = "in_progress" if is_open else "completed"
        level = "" if not late else rng.choice(["yellow", "red"])
        item, version = items[d.pk]
        case_no = f"B{i:08d}"
        facts.append((case_no, d.pk, d.region_id, received, late, is_open, level))
        yield (case_no, str(item), str(version), str(d.pk), d.region_id, str(rng.choice(windows[d.pk])), status,
               received.isoformat(), received.date().isoformat(), "f",
               (received.date() + timedelta(days=14)).isoformat(), (received.date() + timedelta(days=28)).isoformat(),
               "0", "0", ended or "\\N", "t" if late else "f", level,
               (now + timedelta(hours=1)).isoformat() if is_open else "\\N", "window", "123456",
               "[]", "0", "0", now.isoformat())


CASE_COLUMNS = ["case_no", "item_id", "item_version_id", "department_id", "region_id", "window_id", "status",
                "received_at", "clock_start", "deemed_accepted", "promised_due", "legal_due", "suspended_days",
                "extension_days", "ended_at", "late", "alert_level", "next_check_at", "channel", "check_code",
                "quality_notes", "late_events", "ignored_events", "updated_at"]
EVENT_COLUMNS = ["client_id", "source", "event_id", "case_no", "type", "occurred_at", "arrived_at", "data",
                 "historical", "late_arrival"]


def event_rows(facts, per_case, client_id):
    for case_no, _d, _r, received, _late, _open, _lv in facts:
        for k in range(per_case):
            at = (received + timedelta(hours=k * 5)).isoformat()
            yield (str(client_id), "import", f"{case_no}-{k}", case_no, EVENT_TYPES[k % len(EVENT_TYPES)], at, at,
                   "{}", "t", "f")


def alert_rows(facts, now, rng):
    for case_no, dept, region, received, late, is_open, level in facts:
        if not late:
            continue
        for rule, lv in (("OVERDUE", "yellow"), ("LEGAL_OVERDUE", "red")):
            if lv == "red" and level != "red":
                continue
            status = rng.choice(["open", "urged", "answered"]) if is_open else "closed"
            raised = received + timedelta(days=15)
            raised = min(raised, now)
            yield (("case", case_no, rule, "", lv, status, raised.isoformat(),
                    raised.isoformat() if status == "closed" else "\\N", "", str(dept), region, "\\N", "f", "", "{}"))


ALERT_COLUMNS = ["subject_type", "subject_key", "rule", "step", "level", "status", "raised_at", "closed_at",
                 "detail", "department_id", "region_id", "centre_id", "escalated", "contest", "contest_detail"]


def load(n_cases, per_case):
    from django.db import connection

    from supervision import tally

    rng = random.Random(7)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    depts, windows, items, client, user = build_org()
    facts, timings = [], {}
    copy_timed(timings, "cases", "cases_case", CASE_COLUMNS, case_rows(n_cases, depts, windows, items, now, rng, facts))
    n_events = copy_timed(timings, "events", "cases_caseevent", EVENT_COLUMNS, event_rows(facts, per_case, client.pk))
    t = time.perf_counter()
    n_alerts = copy_rows("alerts_alert", ALERT_COLUMNS, alert_rows(facts, now, rng))
    with connection.cursor() as cursor:  # one 'raised' change row per alert
        cursor.execute("INSERT INTO alerts_alertchange (alert_id, at, actor_name, from_status, to_status, from_level,"
                       " to_level, note) SELECT id, raised_at, 'system', '', 'open', '', level, 'raised'"
                       " FROM alerts_alert")
    timings["alerts_s"] = round(time.perf_counter() - t, 1)
    print(f"  alerts: {n_alerts:,} in {timings['alerts_s']} s", flush=True)
    t = time.perf_counter()
    counters = tally.rebuild()
    timings["tally_rebuild_s"] = round(time.perf_counter() - t, 1)
    print(f"  live counters rebuilt: {counters:,} rows in {timings['tally_rebuild_s']} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"cases": n_cases, "events": n_events, "alerts": n_alerts, "counter_rows": counters, **timings}, user


def time_requests(label, n, request, cold=False):
    from django.core.cache import cache

    samples = []
    for _ in range(n):
        if cold:
            cache.clear()
        t = time.perf_counter()
        reply = request()
        samples.append(time.perf_counter() - t)
        assert reply.status_code in (200, 204), (label, reply.status_code)
    result = summary_ms(samples)
    print(f"  {label:<34} p50 {result['p50_ms']:>8.2f} ms   p95 {result['p95_ms']:>8.2f} ms", flush=True)
    return result


def measure(user, n):
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's 'testserver' host
    client = Client()
    client.force_login(user)
    first = client.get("/supervision/centre/live/")
    stamp = first.json()["stamp"]
    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # (CaptureQueriesContext loses queries to request_started's reset)
        client.get("/supervision/centre/live/", {"v": stamp})
    results = {
        "live_unchanged_204": time_requests("live, unchanged (204)", n,
                                           lambda: client.get("/supervision/centre/live/", {"v": stamp})),
        "live_changed_league": time_requests("live, changed, League (cold)", n,
                                             lambda: client.get("/supervision/centre/live/", {"v": "old"}), cold=True),
        "live_changed_banner": time_requests("live, changed, one banner (cold)", n,
                                             lambda: client.get("/supervision/centre/live/",
                                                                {"v": "old", "unit": "152502"}), cold=True),
        "dashboard_page": time_requests("dashboard page (cold)", n, lambda: client.get("/supervision/centre/"),
                                        cold=True),
        # a list page, not a live endpoint: fewer requests (each counts and sorts the whole table)
        "case_search_first_page": time_requests("case search, first page", max(1, n // 10),
                                                lambda: client.get("/supervision/cases/")),
    }
    results["live_unchanged_queries"] = len(seen)
    print(f"  queries of an unchanged live poll (incl. session and log-in): {results['live_unchanged_queries']}")
    return results


def open_loaded(db, keep, loader):
    """(what was loaded, the League supervisor) of a fresh, migrated and loaded benchmark database `db`,
    or of the one a previous run left (keep)."""
    url = database_url("postgres", db) if keep else fresh_database("postgres", db)
    if not keep:
        manage(url, "migrate")
    setup_django(url)
    from django.contrib.auth import get_user_model

    if keep:
        return {"reused": True}, get_user_model().objects.get(username="league_sup")
    t = time.perf_counter()
    loaded, user = loader()
    loaded["load_total_s"] = round(time.perf_counter() - t, 1)
    return loaded, user


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--events-per-case", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database (skip loading)")
    args = parser.parse_args()
    print(f"dashboard benchmark on PostgreSQL ({DB})", flush=True)
    loaded, user = open_loaded(DB, args.keep, lambda: load(args.cases, args.events_per_case))
    results = measure(user, args.requests)
    write_result("dashboard", {"database": "postgresql", "loaded": loaded, "requests_each": args.requests,
                               "target_p95_ms": 200, "endpoints": results})


if __name__ == "__main__":
    main()
