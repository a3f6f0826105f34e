"""Insight benchmark: the nightly refresh (breach forecasts, heat-map and variant aggregates) and the
insight pages over a large case table on PostgreSQL.

    .venv/bin/python bench/insight.py [--cases 1000000] [--requests 50] [--rebuild-sample 20000] [--keep]
                                      [--db NAME] [--result insight-100k]

Builds a fresh database (cw_insight_bench, or DATABASE_NAME) with the dashboard benchmark's region
(bench/dashboard.py: 13 regions × 6 departments, one item each, now with three steps of 3/3/2 working
days), its cases spread over the past year (about 3 % open), ten events per case with step codes
(received, accepted, three steps started and completed, a fee, completed; a supplement requested on every
tenth case), and, as the incremental build would leave them, three step timings and one trace per case
with a clock (written by COPY: the per-case build is timed separately on a sample). Then times:

- forecast refresh   insight.forecast.refresh: fit the curves on the year's cases, landmarks, the open
                     cases' state, predict, replace CaseForecast, sync BREACH_LIKELY (switched on)
- aggregates         insight.where.aggregate: every heat-map cell and variant from the step timings
- incremental build  insight.where.build on --rebuild-sample changed cases (events replayed with the pure
                     clock), as cases per second: the work the 15-minute tick does for changed cases
- pages              as a League supervisor through Django's test client: the heat maps, a drill-down,
                     the variants, the likely list (p50/p95 over --requests requests each)

Prints and writes bench/results/insight.json. Never passes or fails on time.
"""
import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import copy_rows, copy_timed, write_result  # noqa: E402
from dashboard import CASE_COLUMNS, EVENT_COLUMNS, build_org, case_rows, open_loaded, time_requests  # noqa: E402

DB = "cw_insight_bench"
STEPS = [{"code": "handle", "name": "承办", "limit_days": 3, "required": True},
         {"code": "review", "name": "审核", "limit_days": 3, "required": True},
         {"code": "approve", "name": "审批", "limit_days": 2, "required": True}]


def event_rows(facts, client_id, rng):
    """Ten events a case, with the steps' codes; ended cases complete, open ones stop part-way."""
    for case_no, _d, _r, received, _late, is_open, _lv in facts:
        at = received
        kinds = [("received", '{"item_code": "X"}'), ("accepted", "{}")]
        if case_no.endswith("0"):
            kinds.insert(1, ("supplement_requested", '{"materials": ["身份证"]}'))
        for s in STEPS:
            kinds += [("step_started", f'{{"step": "{s["code"]}"}}'), ("step_completed", f'{{"step": "{s["code"]}"}}')]
        kinds += [("fee_charged", '{"fee_code": "GB", "amount": "5.00"}'), ("completed", '{"result": "approved"}')]
        if is_open:
            kinds = kinds[:rng.randrange(3, 7)]
        for k, (kind, data) in enumerate(kinds[:10]):
            at = at + timedelta(hours=rng.choice((2, 5, 20, 30)))
            yield (str(client_id), "import", f"{case_no}-{k}", case_no, kind, at.isoformat(), at.isoformat(), data,
                   "t", "f")


TIMING_COLUMNS = ["case_id", "item_id", "department_id", "region_id", "window_id", "step", "step_name", "position",
                  "started_on", "completed_on", "used_days", "limit_days", "overdue", "wait_days", "suspended",
                  "supplemented"]
TRACE_COLUMNS = ["case_id", "item_id", "department_id", "region_id", "clock_start", "variant", "skipped",
                 "out_of_order", "used_days", "built_at"]


def timing_rows(cases, rng):
    for pk, item, dept, region, window, start, ended in cases:
        day = start
        for i, s in enumerate(STEPS):
            used = max(0, int(rng.lognormvariate(0, 0.7) * s["limit_days"] / 2))
            done = ended is not None or i == 0
            yield (str(pk), str(item), str(dept), region, str(window), s["code"], s["name"], str(i), day.isoformat(),
                   (day + timedelta(days=used)).isoformat() if done else "\\N", str(used), str(s["limit_days"]),
                   "t" if used > s["limit_days"] else "f", "\\N" if i == 0 else str(rng.choice((0, 0, 1, 2))),
                   "t" if rng.random() < 0.02 else "f", "t" if rng.random() < 0.03 else "f")
            day = day + timedelta(days=used + 1)
            if not done:
                break


def trace_rows(cases, rng, now):
    for pk, item, dept, region, _w, start, ended in cases:
        variant = "handle›review›approve" if rng.random() < 0.9 else rng.choice(("handle›approve", "handle›approve›review"))
        yield (str(pk), str(item), str(dept), region, start.isoformat(), variant, "t" if "review" not in variant else "f",
               "t" if variant.endswith("review") else "f", str(rng.randrange(3, 14)) if ended else "\\N", now.isoformat())


def load(n_cases):
    from django.db import connection

    from cases.models import Case
    from catalog.models import ItemVersion

    rng = random.Random(11)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    depts, windows, items, client, user = build_org()
    ItemVersion.objects.update(steps=STEPS)
    facts, timings = [], {}
    copy_timed(timings, "cases", "cases_case", CASE_COLUMNS, case_rows(n_cases, depts, windows, items, now, rng, facts))
    n_events = copy_timed(timings, "events", "cases_caseevent", EVENT_COLUMNS, event_rows(facts, client.pk, rng))
    t = time.perf_counter()
    cases = list(Case.objects.values_list("pk", "item_id", "department_id", "region_id", "window_id", "clock_start",
                                          "ended_at").iterator(chunk_size=50000))
    n_timings = copy_rows("insight_steptiming", TIMING_COLUMNS, timing_rows(cases, rng))
    n_traces = copy_rows("insight_casetrace", TRACE_COLUMNS, trace_rows(cases, rng, now))
    timings["timings_s"] = round(time.perf_counter() - t, 1)
    print(f"  step timings: {n_timings:,}, traces: {n_traces:,} in {timings['timings_s']} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"cases": n_cases, "events": n_events, "step_timings": n_timings, "traces": n_traces, **timings}, user


def refresh_times(sample):
    from django.utils import timezone as tz

    from cases.models import Case
    from cases.projection import calendar
    from insight.forecast import landmarks, observations, open_states, refresh
    from insight.model import Forecaster
    from insight.models import ForecastConfig
    from insight.where import aggregate, build

    ForecastConfig.objects.update_or_create(pk=1, defaults={"enabled": True, "threshold": 0.5})
    now = tz.now()
    out = {}
    t = time.perf_counter()
    obs, open_ = observations(now)
    out["forecast_read_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    model = Forecaster(obs)
    for o, *_rest in open_.values():  # curves are fitted when first needed: those of the open cases
        model.curve(o.item, o.department)
    out["forecast_fit_s"] = round(time.perf_counter() - t, 1)
    out["curves_fitted"] = len(model.curves)
    t = time.perf_counter()
    out["landmarks"] = len(landmarks(now, model, calendar()))
    out["landmarks_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    out["open_states"] = len(open_states(now))
    out["open_states_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    out["forecasts"] = refresh(now)
    out["forecast_refresh_s"] = round(time.perf_counter() - t, 1)
    print(f"  forecast refresh: {out['forecasts']:,} open cases in {out['forecast_refresh_s']} s (of which read "
          f"{out['forecast_read_s']} s, fit {out['forecast_fit_s']} s ({out['curves_fitted']} curves), landmarks {out['landmarks_s']} s, "
          f"open states {out['open_states_s']} s)", flush=True)
    t = time.perf_counter()
    out["cells"] = aggregate(now)
    out["aggregate_s"] = round(time.perf_counter() - t, 1)
    print(f"  aggregates: {out['cells']:,} cells in {out['aggregate_s']} s", flush=True)
    out["nightly_total_s"] = round(out["forecast_refresh_s"] + out["aggregate_s"], 1)
    marked = list(Case.objects.filter(clock_start__isnull=False).order_by("?").values_list("pk", flat=True)[:sample])
    since = tz.now()
    Case.objects.filter(pk__in=marked).update(updated_at=since + timedelta(seconds=1))  # "changed" since
    t = time.perf_counter()
    rebuilt = build(now, since=since)
    seconds = time.perf_counter() - t
    out["rebuild_cases"], out["rebuild_s"] = rebuilt, round(seconds, 1)
    out["rebuild_cases_per_s"] = round(rebuilt / seconds) if seconds else None
    print(f"  incremental build: {rebuilt:,} changed cases in {out['rebuild_s']} s "
          f"({out['rebuild_cases_per_s']:,} cases/s)", flush=True)
    return out


def pages(user, n):
    from django.test import Client
    from django.test.utils import setup_test_environment

    from insight.models import StepStat

    setup_test_environment()
    client = Client()
    client.force_login(user)
    cell = StepStat.objects.filter(period="12m", item__isnull=False).first()
    month = StepStat.objects.exclude(period="12m").order_by("-period").values_list("period", flat=True).first()
    return {
        "time_heatmaps": time_requests("heat maps (12 months)", n, lambda: client.get("/insight/time/")),
        "time_heatmaps_month_overdue": time_requests(
            "heat maps (a month, overdue)", n,
            lambda: client.get("/insight/time/", {"period": month, "metric": "overdue"})),
        "drill_down": time_requests("drill-down, first page", n, lambda: client.get(
            "/insight/time/steps/", {"item": cell.item_id, "step": cell.step, "period": "12m"})),
        "variants": time_requests("variants", n, lambda: client.get("/insight/variants/")),
        "likely": time_requests("likely to breach", n, lambda: client.get("/supervision/likely/")),
        "excel_export": time_requests("heat maps as Excel", max(1, n // 5),
                                      lambda: client.get("/insight/time/", {"format": "xlsx"})),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--rebuild-sample", type=int, default=20000)
    parser.add_argument("--db", default=DB)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database (skip loading)")
    parser.add_argument("--result", default="insight",
                        help="the name of the result file in bench/results/ (e.g. insight-100k for a smaller scale)")
    args = parser.parse_args()
    print(f"insight benchmark on PostgreSQL ({args.db})", flush=True)
    loaded, user = open_loaded(args.db, args.keep, lambda: load(args.cases))
    load_before = os.getloadavg()  # the machine is shared: its load says how much of the wall time is waiting
    refresh = refresh_times(args.rebuild_sample)
    load_between = os.getloadavg()
    results = pages(user, args.requests)
    write_result(args.result, {"database": "postgresql", "loaded": loaded, "refresh": refresh,
                             "requests_each": args.requests, "target_nightly_s": 60, "target_p95_ms": 300,
                             "pages": results, "load_average_1_5_15": {
                                 "before_refresh": [round(x, 2) for x in load_before],
                                 "before_pages": [round(x, 2) for x in load_between],
                                 "after_pages": [round(x, 2) for x in os.getloadavg()]}})


if __name__ == "__main__":
    main()
