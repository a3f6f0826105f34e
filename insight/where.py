"""Where the time goes: step timings and traces of the cases changed since the last build (replayed
with the pure clock, out of band: ingest never waits for it), and the nightly heat-map and variant
aggregates over them. Runs as the tick `insight.where`."""
from collections import Counter, defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, IntegerField, Min, Q, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from cases import clock
from cases.bulk import load_events
from cases.models import Case
from cases.projection import item_rules
from core import bulk
from workdays.models import load_calendar

from .models import CaseTrace, StepStat, StepTiming, VariantStat, WhereState
from .timing import quantile_of_counts, steps_of, trace_of

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


class _Cell:
    """One heat-map cell's figures, gathered from grouped rows: sums, and histograms (value → steps) for the
    medians and p90s, which can be added up where the medians themselves cannot."""

    def __init__(self):
        self.steps = self.completed = self.overdue = self.suspended = self.supplemented = 0
        self.used, self.share, self.waits, self.limits = Counter(), Counter(), Counter(), Counter()
        self.name = self.position = None

    def add(self, name, position, limit, used, n, overdue, suspended, supplemented):
        """A group of n timings alike (the same limit, the same days used; used None: not completed)."""
        self.steps += n
        self.overdue += overdue
        self.suspended += suspended
        self.supplemented += supplemented
        self.limits[limit] += n
        if used is not None:
            self.completed += n
            self.used[used] += n
            self.share[used / max(limit, 1)] += n
        self.name = name if self.name is None else min(self.name, name)
        self.position = position if self.position is None else min(self.position, position)

    def merge(self, other):
        """Add another cell's groups (a month's cells into the 365 days', an item's into its department's)."""
        self.steps += other.steps
        self.completed += other.completed
        self.overdue += other.overdue
        self.suspended += other.suspended
        self.supplemented += other.supplemented
        for mine, theirs in ((self.used, other.used), (self.share, other.share), (self.waits, other.waits),
                             (self.limits, other.limits)):
            mine.update(theirs)
        if other.name is not None:
            self.name = other.name if self.name is None else min(self.name, other.name)
            self.position = other.position if self.position is None else min(self.position, other.position)

    def figures(self):
        limit = max(self.limits.items(), key=lambda kv: (kv[1], -kv[0]))[0] if self.limits else None  # as mode()
        median_days, p90_days = quantile_of_counts(self.used, 0.5, 0.9)
        median_share, p90_share = quantile_of_counts(self.share, 0.5, 0.9)
        return {"step_name": self.name, "position": self.position, "steps": self.steps, "completed": self.completed,
                "median_days": median_days, "p90_days": p90_days, "median_share": median_share,
                "p90_share": p90_share, "limit_days": limit, "overdue": self.overdue, "median_wait": quantile_of_counts(self.waits, 0.5),
                "waits": sum(self.waits.values()), "suspended": self.suspended, "supplemented": self.supplemented}


def aggregate(now):
    """Recompute every heat-map cell (per item × step and department × step, for the last 365 days and each
    of the last MONTHS months) and the variants of the last 365 days. Returns the cells stored.

    The database groups the step timings by month, item and step and by the values the medians need (days
    used, limit, wait): hash aggregates of a few thousand rows, instead of sorting every timing once per
    period and figure; the cells and their quantiles are computed here from those histograms, exactly
    (timing.quantile_of_counts interpolates like percentile_cont)."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    first_month = (today.replace(day=1) - timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    year_ago = today - YEAR
    base = StepTiming.objects.filter(started_on__gte=min(first_month, year_ago)).annotate(
        year=ExtractYear("started_on"), month=ExtractMonth("started_on"),
        recent=SqlCase(When(started_on__gt=year_ago, then=Value(True)), default=Value(False),
                       output_field=BooleanField()))
    keys = ("year", "month", "recent", "department_id", "region_id", "item_id", "step")
    grains = defaultdict(_Cell)  # (year, month, recent, dept, region, item, step): the groups of one item-month
    used = SqlCase(When(completed_on__isnull=False, then=F("used_days")), default=None, output_field=IntegerField())
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the groups (tens of thousands) in one hash table. The planner multiplies the keys' distinct
            # counts (an item has one department and region: it does not know) and expects ~600,000 groups
            # at 1M cases; with 64 MB it then sorted 3M timings on disk (EXPLAIN: external merge, 18 s) where
            # the hash table of the 34,000 real groups takes 41 MB (9 s). JIT compiling cost 2.3 s more.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
        # one pass: the wait is a key of the same groups (63,000 at 1M cases instead of 34,000 + 6,000 in
        # two scans of the timings; the sums and histograms are the same, added up over the waits)
        for *key, limit, days, wait, name, position, n, late, susp, supp in (
                base.annotate(used=used).order_by().values_list(*keys, "limit_days", "used", "wait_days")
                .annotate(name=Min("step_name"), position=Min("position"), n=Count("pk"),
                          late=Count("pk", filter=Q(overdue=True)), susp=Count("pk", filter=Q(suspended=True)),
                          supp=Count("pk", filter=Q(supplemented=True)))):
            grain = grains[tuple(key)]
            grain.add(name, position, limit, days, n, late, susp, supp)
            if wait is not None:
                grain.waits[wait] += n
    first = (first_month.year, first_month.month)
    cells = defaultdict(_Cell)
    for (year, month, recent, dept, region, item, step), grain in grains.items():
        periods = ([f"{year:04d}-{month:02d}"] if (year, month) >= first else []) + ([StepStat.LAST_YEAR] if recent else [])
        for period in periods:
            for key in (item, None):  # the item's cell and its department's
                cells[(period, dept, region, key, step)].merge(grain)
    stats = [bulk.build(StepStat, period=p, department_id=d, region_id=r, item_id=i, step=s, **cell.figures())
             for (p, d, r, i, s), cell in cells.items() if cell.name is not None]
    variants = defaultdict(lambda: {"cases": 0, "ended": Counter(), "skipped": 0, "out_of_order": 0})
    for item, dept, region, variant, skipped, ooo, days, n in (
            CaseTrace.objects.filter(clock_start__gt=year_ago).order_by()
            .values_list("item_id", "department_id", "region_id", "variant", "skipped", "out_of_order", "used_days")
            .annotate(n=Count("pk"))):
        v = variants[(item, dept, region, variant)]
        v["cases"] += n
        v["skipped"] += n if skipped else 0
        v["out_of_order"] += n if ooo else 0
        if days is not None:
            v["ended"][days] += n
    rows = [bulk.build(VariantStat, item_id=item, department_id=dept, region_id=region, variant=variant,
                       cases=v["cases"], ended=sum(v["ended"].values()), skipped=v["skipped"],
                       out_of_order=v["out_of_order"],
                       **dict(zip(("median_days", "p90_days"), quantile_of_counts(v["ended"], 0.5, 0.9))))
            for (item, dept, region, variant), v in variants.items()]
    with transaction.atomic():
        StepStat.objects.all().delete()
        VariantStat.objects.all().delete()
        bulk.insert(StepStat, stats)
        bulk.insert(VariantStat, rows)
        state = WhereState.current()
        state.aggregated_at = now
        state.save()
    return len(stats)
