"""Where the time goes: step timings and traces of the cases changed since the last build (replayed
with the pure clock, out of band: ingest never waits for it), and the nightly heat-map and variant
aggregates over them. Runs as the tick `insight.where`."""
from collections import Counter, defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from cases import clock
from cases.bulk import load_events
from cases.models import Case
from cases.projection import item_rules
from core import bulk
from workdays.models import load_calendar

from .forecast import REFRESH_EVERY
from .models import CaseTrace, StepStat, StepTiming, VariantStat, WhereState
from .timing import quantile, steps_of, trace_of

CHUNK = 500  # cases replayed per events query
YEAR = timedelta(days=365)
MONTHS = 12  # monthly cells kept for the trend


def build(now, since=None, cal=None):
    """Rebuild the timings and traces of the cases with a clock changed after `since` (all when None).
    Returns how many cases were rebuilt."""
    cal, zone = cal or load_calendar(), timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    cases = Case.objects.filter(clock_start__isnull=False, item_version__isnull=False, department__isnull=False)
    if since is not None:
        cases = cases.filter(updated_at__gt=since)
    pks = list(cases.values_list("pk", flat=True).order_by("pk"))
    rules, done = {}, 0
    for i in range(0, len(pks), CHUNK):
        part = list(Case.objects.filter(pk__in=pks[i:i + CHUNK]).select_related("item_version"))
        events = load_events([c.case_no for c in part])
        timings, traces = [], []
        for case in part:
            version = case.item_version
            rule = rules.setdefault(version.pk, item_rules(version))
            rows = events.get(case.case_no, [])
            state = clock.compute(rule, rows, cal, now, zone)
            names = {s["code"]: s.get("name") or s["code"] for s in version.steps}
            found = steps_of(state, rows, cal, zone, today)
            for r in found:
                timings.append(bulk.build(
                    StepTiming, case_id=case.pk, item_id=case.item_id, department_id=case.department_id,
                    region_id=case.region_id, window_id=case.window_id, step=r.step, step_name=names.get(r.step, r.step),
                    position=r.position, started_on=r.start, completed_on=r.end, used_days=r.used, limit_days=r.limit,
                    overdue=r.overdue, wait_days=r.wait, suspended=r.suspended, supplemented=r.supplemented))
            t = trace_of(state, found, version.promised_limit_days, cal, zone)
            traces.append(bulk.build(CaseTrace, case_id=case.pk, item_id=case.item_id,
                                     department_id=case.department_id, region_id=case.region_id,
                                     clock_start=case.clock_start, variant=t.variant[:300], skipped=t.skipped,
                                     out_of_order=t.out_of_order, used_days=t.used, built_at=now))
        with transaction.atomic():
            ids = [c.pk for c in part]
            StepTiming.objects.filter(case_id__in=ids).delete()
            CaseTrace.objects.filter(case_id__in=ids).delete()
            bulk.insert(StepTiming, timings)
            CaseTrace.objects.bulk_create(traces, batch_size=2000)  # the pk is the case: core.bulk.insert omits it
        done += len(part)
    return done


def _cell(rows):
    """The figures of one heat-map cell from its timings (used, limit, overdue, wait, suspended, supplemented,
    completed)."""
    done = [r for r in rows if r[6]]
    used = [r[0] for r in done]
    share = [r[0] / max(r[1], 1) for r in done]
    waits = [r[3] for r in rows if r[3] is not None]
    limits = Counter(r[1] for r in rows)
    return {"steps": len(rows), "completed": len(done), "median_days": quantile(used, 0.5),
            "p90_days": quantile(used, 0.9), "median_share": quantile(share, 0.5), "p90_share": quantile(share, 0.9),
            "limit_days": limits.most_common(1)[0][0] if limits else None, "overdue": sum(1 for r in rows if r[2]),
            "median_wait": quantile(waits, 0.5), "waits": len(waits), "suspended": sum(1 for r in rows if r[4]),
            "supplemented": sum(1 for r in rows if r[5])}


def aggregate(now):
    """Recompute every heat-map cell (per item × step and department × step, for the last 365 days and each
    of the last MONTHS months) and the variants of the last 365 days. Returns the cells stored."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    first_month = (today.replace(day=1) - timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    oldest = min(first_month, today - YEAR)
    stats = _cells_sql(today, first_month) if connection.vendor == "postgresql" else _cells(today, first_month, oldest)
    variants = defaultdict(list)
    for item, dept, region, variant, skipped, ooo, used in (
            CaseTrace.objects.filter(clock_start__gt=today - YEAR)
            .values_list("item_id", "department_id", "region_id", "variant", "skipped", "out_of_order", "used_days")
            .iterator(chunk_size=20000)):
        variants[(item, dept, region, variant)].append((skipped, ooo, used))
    rows = []
    for (item, dept, region, variant), found in variants.items():
        ended = [u for _s, _o, u in found if u is not None]
        rows.append(bulk.build(VariantStat, item_id=item, department_id=dept, region_id=region, variant=variant,
                               cases=len(found), ended=len(ended), median_days=quantile(ended, 0.5),
                               p90_days=quantile(ended, 0.9), skipped=sum(1 for s, _o, _u in found if s),
                               out_of_order=sum(1 for _s, o, _u in found if o)))
    with transaction.atomic():
        StepStat.objects.all().delete()
        VariantStat.objects.all().delete()
        bulk.insert(StepStat, stats)
        bulk.insert(VariantStat, rows)
        state = WhereState.current()
        state.aggregated_at = now
        state.save()
    return len(stats)


def _cells(today, first_month, oldest):
    """The heat-map cells computed in Python (SQLite; PostgreSQL does it in one query, _cells_sql)."""
    cells = defaultdict(list)  # (period, dept, region, item or None, step) -> rows
    names = {}
    for (item, dept, region, step, name, pos, start, used, limit, overdue, wait, susp, supp,
         end) in (StepTiming.objects.filter(started_on__gte=oldest)
                  .values_list("item_id", "department_id", "region_id", "step", "step_name", "position",
                               "started_on", "used_days", "limit_days", "overdue", "wait_days", "suspended",
                               "supplemented", "completed_on").iterator(chunk_size=20000)):
        row = (used, limit, overdue, wait, susp, supp, end is not None)
        periods = [f"{start:%Y-%m}"] if start >= first_month else []
        if start > today - YEAR:
            periods.append(StepStat.LAST_YEAR)
        names.setdefault((item, step), (name, pos))
        names.setdefault((None, step), (name, pos))
        for period in periods:
            cells[(period, dept, region, item, step)].append(row)
            cells[(period, dept, region, None, step)].append(row)
    stats = [bulk.build(StepStat, period=p, department_id=d, region_id=r, item_id=i, step=s,
                        step_name=names[(i, s)][0], position=names[(i, s)][1], **_cell(rows))
             for (p, d, r, i, s), rows in cells.items()]
    return stats


# One query on PostgreSQL: the same figures as _cell (percentile_cont interpolates like timing.quantile),
# per item × step and department × step (GROUPING SETS), per month and for the last 365 days.
CELLS_SQL = """
WITH t AS (
  SELECT to_char(started_on, 'YYYY-MM') AS period, * FROM insight_steptiming WHERE started_on >= %(first_month)s
  UNION ALL
  SELECT '12m', * FROM insight_steptiming WHERE started_on > %(year_ago)s
)
SELECT period, department_id, region_id, item_id, step, min(step_name), min(position), count(*),
       count(completed_on),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY used_days) FILTER (WHERE completed_on IS NOT NULL),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY used_days) FILTER (WHERE completed_on IS NOT NULL),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY used_days::float / greatest(limit_days, 1))
         FILTER (WHERE completed_on IS NOT NULL),
       percentile_cont(0.9) WITHIN GROUP (ORDER BY used_days::float / greatest(limit_days, 1))
         FILTER (WHERE completed_on IS NOT NULL),
       mode() WITHIN GROUP (ORDER BY limit_days), count(*) FILTER (WHERE overdue),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_days), count(wait_days),
       count(*) FILTER (WHERE suspended), count(*) FILTER (WHERE supplemented)
FROM t
GROUP BY GROUPING SETS ((period, department_id, region_id, item_id, step), (period, department_id, region_id, step))
"""
CELL_FIELDS = ("period", "department_id", "region_id", "item_id", "step", "step_name", "position", "steps",
               "completed", "median_days", "p90_days", "median_share", "p90_share", "limit_days", "overdue",
               "median_wait", "waits", "suspended", "supplemented")


def _cells_sql(today, first_month):
    with connection.cursor() as cursor:
        cursor.execute(CELLS_SQL, {"first_month": first_month, "year_ago": today - YEAR})
        return [bulk.build(StepStat, **dict(zip(CELL_FIELDS, row))) for row in cursor.fetchall()]


def where_tick(now):
    """Timings of the cases changed since the last build (each round, cheap when few changed); the
    aggregates nightly (the first round after local midnight) or when never computed."""
    state = WhereState.current()
    zone = timezone.get_current_timezone()
    nightly = state.aggregated_at is None or (timezone.localtime(state.aggregated_at, zone).date()
                                              != timezone.localtime(now, zone).date())
    if not nightly and state.built_at is not None and now - state.built_at < REFRESH_EVERY:
        return 0
    built = build(now, since=state.built_at)
    WhereState.objects.filter(pk=state.pk).update(built_at=now) if state.pk else WhereState.objects.create(built_at=now)
    if nightly:
        aggregate(now)
    return built
