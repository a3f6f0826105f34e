"""Benchmark: scoring one month for 250 organisations over 1,000,000 cases (a year) with their alerts
and urges, and the year-end evaluation (12 months scored + the summary), on PostgreSQL by default.

    .venv/bin/python bench/performance.py [--db postgres|sqlite] [--cases 1000000] [--orgs 250]

Rows are loaded straight into the tables with COPY (PostgreSQL) or bulk_create (SQLite): the
benchmark measures scoring, not ingest. Prints figures and writes bench/results/performance.json.
"""
import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fresh_database, manage, setup_django, write_result  # noqa: E402

YEAR = 2025
UTC = timezone.utc


def build_orgs(n_orgs):
    """One League, 12 counties; departments split so that there are n_orgs organisations in all
    (League departments + 12 county governments, each county with several departments)."""
    from catalog.models import Item, ItemVersion
    from orgs.models import Department, Region

    league = Region.objects.create(code="152500", name="锡林郭勒盟", level="league")
    counties = [Region.objects.create(code=f"1525{i:02d}", name=f"旗县{i}", level="county", parent=league)
                for i in range(1, 13)]
    depts = [Department(code=f"LM{i:03d}", name=f"盟直部门{i}", region=league) for i in range(n_orgs - 12)]
    depts += [Department(code=f"QX{c.code}-{j}", name=f"{c.name}部门{j}", region=c) for c in counties for j in range(8)]
    Department.objects.bulk_create(depts)
    depts = list(Department.objects.all())
    items = Item.objects.bulk_create([Item(code=f"IT{d.pk}", department=d) for d in depts])
    for item in items:
        ItemVersion.objects.create(item=item, number=1, effective_from=date(2020, 1, 1), name="事项",
                                   kind="licensing", legal_basis="法", legal_limit_days=20, promised_limit_days=10,
                                   materials=[{"name": "申请书", "copies": 1, "required": True}])
    return depts, {i.department_id: i for i in items}


def rows(depts, items, n_cases, rng):
    """Case rows spread over the year: completed, ~8 % late, a few with late events."""
    day0 = date(YEAR, 1, 1)
    for n in range(n_cases):
        d = depts[n % len(depts)]
        item = items[d.pk]
        start = day0 + timedelta(days=rng.randrange(350))
        used = rng.randrange(0, 20)
        end = start + timedelta(days=used)
        due = start + timedelta(days=14)
        late = end > due
        ended = datetime(end.year, end.month, end.day, 3, rng.randrange(60), tzinfo=UTC)
        received = datetime(start.year, start.month, start.day, 1, 0, tzinfo=UTC)
        yield (f"B{n:08d}", item.pk, item._v, d.pk, d.region_id, "completed",
               received, start, False, due, due + timedelta(days=14), 0, 0, ended, late, "", "[]",
               1 if rng.random() < 0.01 else 0, 0, received)


def load(depts, items, n_cases, seed):
    from django.db import connection

    from catalog.models import ItemVersion

    versions = dict(ItemVersion.objects.values_list("item_id", "id"))
    for item in items.values():
        item._v = versions[item.pk]
    rng = random.Random(seed)
    cols = ("case_no", "item_id", "item_version_id", "department_id", "region_id", "status", "received_at",
            "clock_start", "deemed_accepted", "promised_due", "legal_due", "suspended_days", "extension_days",
            "ended_at", "late", "alert_level", "quality_notes", "late_events", "ignored_events", "updated_at")
    extra = ("channel", "check_code")
    started = time.monotonic()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            with cur.cursor.copy(f"COPY cases_case ({', '.join(cols + extra)}) FROM STDIN") as copy:
                for row in rows(depts, items, n_cases, rng):
                    copy.write_row(row + ("", ""))
    else:
        from cases.models import Case

        batch = []
        for row in rows(depts, items, n_cases, rng):
            batch.append(Case(**dict(zip(cols, row))))
            if len(batch) == 20000:
                Case.objects.bulk_create(batch)
                batch = []
        Case.objects.bulk_create(batch)
    print(f"  {n_cases} cases loaded in {time.monotonic() - started:.1f} s")
    _alerts_and_urges(depts, rng)


def _alerts_and_urges(depts, rng):
    from alerts.models import Alert
    from orgs.models import Centre
    from supervision.models import Urge

    centre = Centre.objects.create(code="C", name="中心", region_id="152500")
    alerts, urges = [], []
    for n in range(100_000):
        d = depts[n % len(depts)]
        day = datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(360), hours=rng.randrange(24))
        alerts.append(Alert(subject_type="case", subject_key=f"B{n:08d}", rule="OVERDUE",
                            level=rng.choice(("notice", "yellow", "red")), raised_at=day, department=d,
                            region_id=d.region_id))
    Alert.objects.bulk_create(alerts, batch_size=10000)
    for n in range(10_000):
        d = depts[n % len(depts)]
        day = date(YEAR, 1, 1) + timedelta(days=rng.randrange(360))
        answered = datetime(day.year, day.month, day.day, tzinfo=UTC) if rng.random() < 0.8 else None
        urges.append(Urge(number=f"U{n:06d}", centre=centre, department=d, demand="整改", deadline=day,
                          issued_at=datetime(day.year, day.month, day.day, tzinfo=UTC), answered_at=answered))
    Urge.objects.bulk_create(urges, batch_size=10000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="postgres", choices=("postgres", "sqlite"))
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=250)
    args = parser.parse_args()
    url = fresh_database(args.db, "cw_bench_performance")
    manage(url, "migrate")
    manage(url, "seed_calendar")
    setup_django(url)
    from django.db import connection

    from performance.actions import do_publish_period, do_review_period, do_score_month
    from performance.defaults import do_load_default_schemes
    from performance.reports import summary, workbook, year_periods

    depts, items = build_orgs(args.orgs)
    load(depts, items, args.cases, seed=1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    do_load_default_schemes(actor="bench")
    started = time.monotonic()
    period = do_score_month(date(YEAR, 6, 1), actor="bench")
    month_s = time.monotonic() - started
    organisations = period.scores.count()
    print(f"  one month: {organisations} organisations scored in {month_s:.2f} s")
    started = time.monotonic()
    for m in range(1, 13):
        p = do_score_month(date(YEAR, m, 1), actor="bench")
        do_review_period(p, actor="bench")
        do_publish_period(p, actor="bench")
    year_s = time.monotonic() - started
    started = time.monotonic()
    months, groups = summary(year_periods(YEAR, date.today()), 6)
    workbook(f"{YEAR}", months, groups)
    summary_s = time.monotonic() - started
    print(f"  12 months scored, reviewed and published: {year_s:.2f} s; "
          f"year-end evaluation (ranks, grades, Excel) over them: {summary_s:.2f} s")
    write_result("performance", {"db": args.db, "cases": args.cases, "organisations": organisations,
                                 "alerts": 100_000, "urges": 10_000, "score_one_month_s": round(month_s, 2),
                                 "twelve_months_scored_s": round(year_s, 2),
                                 "year_end_evaluation_s": round(summary_s, 2), "target_month_s": 10,
                                 "target_year_s": 60})


if __name__ == "__main__":
    main()
