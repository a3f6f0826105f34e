"""Refreshing the stored forecasts: fit the curves on the last year of cases with a clock, predict every
open one, store them, and raise or close BREACH_LIKELY. Runs as the tick `insight.forecast`, out of
band: nightly, and within REFRESH_EVERY of a case changing. Ingest never waits for it."""
from collections import Counter
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.actions import CLOSED_BY_RULE, AlertSpec, sync_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertChange, AlertStatus, Level
from cases import clock
from cases.bulk import load_events
from cases.models import Case, CaseEvent
from cases.projection import item_rules, refresh_alert_levels
from cases.vocab import SUBJECT
from catalog.models import ItemVersion
from core import bulk
from orgs.lookup import centres_for
from workdays.models import load_calendar

from .models import CaseForecast, ForecastConfig, fewest_days_left

RULE = "BREACH_LIKELY"
HISTORY = timedelta(days=365)  # the cases the curves learn from: clock started within a year
REFRESH_EVERY = timedelta(minutes=15)  # out-of-band refresh after cases changed
# The adjuster's landmarks: up to LANDMARK_CASES cases whose clock started LANDMARK_AGE ago (old enough for
# most to have ended), each seen at the midnights LANDMARK_DAYS calendar days after its clock started
LANDMARK_CASES, LANDMARK_AGE, LANDMARK_DAYS = 3000, (timedelta(days=120), timedelta(days=28)), (1, 3, 7, 14)
COUNTED = ("step_completed", "supplement_requested")  # the events the State counts
# a refresh writes CaseForecast rows as tuples in this order
FORECAST_COLUMNS = ["case_id", "probability", "basis", "history", "used_days", "limit_days", "remaining_days",
                    "steps_done", "steps_total", "supplements", "suspended", "curve_probability", "computed_at",
                    "case_no", "region_id", "department_id", "window_id"]


def remaining(cal, day, due):
    """Working days from `day` to `due`, negative past it (as cases.clock counts them)."""
    return cal.wd_between(day, due) if day <= due else -cal.wd_between(due, day)


def observations(now, cal=None):
    """The observations the curves learn from (clock started within HISTORY, or still open), and
    {case pk: (observation, case_no, department id, region code, working days left, window id)} of the open
    ones. The ended cases come grouped (one Observation with its count per item, department, limit and days
    used): on PostgreSQL the grouping is done by the database, with the working days from a day table."""
    from .model import Observation

    cal, zone = cal or load_calendar(), timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    cases = Case.objects.filter(clock_start__isnull=False, promised_due__isnull=False, item_version__isnull=False)
    obs, open_ = [], {}
    for pk, item, dept, promised, ext, due, case_no, region, window in (
            cases.filter(ended_at__isnull=True)
            .values_list("pk", "item_id", "department_id", "item_version__promised_limit_days", "extension_days",
                         "promised_due", "case_no", "region_id", "window_id").iterator(chunk_size=5000)):
        limit, left = promised + ext, remaining(cal, today, due)
        o = Observation(item, dept, limit, limit - left, False)  # used so far
        obs.append(o)
        open_[pk] = (o, case_no, dept, region, left, window)
    ended = cases.filter(clock_start__gte=today - HISTORY, ended_at__isnull=False)
    grouped = _ended_sql(today - HISTORY, cal, zone) if connection.vendor == "postgresql" else _ended(ended, cal, zone)
    obs += [Observation(item, dept, limit, used, True, n) for (item, dept, limit, used), n in grouped.items()]
    return obs, open_


def _ended(cases, cal, zone):
    """{(item, department, limit, used): cases} of the ended cases, counted in Python (SQLite)."""
    counts = Counter()
    for item, dept, promised, ext, due, ended_at in (
            cases.values_list("item_id", "department_id", "item_version__promised_limit_days", "extension_days",
                              "promised_due", "ended_at").iterator(chunk_size=5000)):
        limit = promised + ext
        counts[(item, dept, limit, limit - remaining(cal, timezone.localtime(ended_at, zone).date(), due))] += 1
    return counts


# The same on PostgreSQL, grouped by the database: used = limit − remaining, and remaining = cum(due) −
# cum(end day) whichever comes first (cum = working days after the span's first day, up to the day), the
# working days coming from the calendar as an array indexed by the day's offset in the span of the cases'
# days (joining a day table instead made the planner hash the million cases, on disk, to probe 379 days).
SPAN_SQL = """
SELECT min(least(c.promised_due, (c.ended_at AT TIME ZONE %(zone)s)::date)),
       max(greatest(c.promised_due, (c.ended_at AT TIME ZONE %(zone)s)::date))
FROM cases_case c WHERE c.clock_start >= %(since)s AND c.ended_at IS NOT NULL AND c.promised_due IS NOT NULL
  AND c.item_version_id IS NOT NULL
"""
ENDED_SQL = """
SELECT c.item_id, c.department_id, v.promised_limit_days + c.extension_days,
       v.promised_limit_days + c.extension_days
         - (cal.cum[c.promised_due - %(first)s + 1] - cal.cum[(c.ended_at AT TIME ZONE %(zone)s)::date - %(first)s + 1]),
       count(*)
FROM cases_case c
JOIN catalog_itemversion v ON v.id = c.item_version_id
CROSS JOIN (SELECT %(cums)s::int[] AS cum) cal
WHERE c.clock_start >= %(since)s AND c.ended_at IS NOT NULL AND c.promised_due IS NOT NULL
GROUP BY 1, 2, 3, 4
"""


def _ended_sql(since, cal, zone):
    args = {"zone": str(zone), "since": since}
    with connection.cursor() as cursor:
        cursor.execute(SPAN_SQL, args)
        first, last = cursor.fetchone()
        if first is None:
            return {}
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        cursor.execute(ENDED_SQL, {**args, "first": first, "cums": [cal.wd_between(first, d) for d in days]})
        return {(item, dept, limit, used): n for item, dept, limit, used, n in cursor.fetchall()}


def open_states(now):
    """{case pk: State} of the open cases with a clock: steps completed and supplements requested (one
    grouped count over their events), the item version's steps, and whether the case is suspended."""
    from .model import State

    open_cases = Case.objects.filter(ended_at__isnull=True, clock_start__isnull=False, item_version__isnull=False)
    counts = {}
    for no, kind, n in (CaseEvent.objects.filter(case_no__in=open_cases.values("case_no"), type__in=COUNTED)
                        .values_list("case_no", "type").annotate(n=Count("pk")).order_by()):
        counts[(no, kind)] = n
    steps = {pk: len(s or []) for pk, s in ItemVersion.objects.filter(
        pk__in=open_cases.values("item_version_id")).values_list("pk", "steps")}
    return {pk: State(counts.get((no, "step_completed"), 0), steps.get(version, 0),
                      counts.get((no, "supplement_requested"), 0), status == "suspended")
            for pk, no, version, status in open_cases.values_list("pk", "case_no", "item_version_id", "status")
            .iterator(chunk_size=5000)}


def landmarks(now, model, cal):
    """The adjuster's training rows: a bounded sample of cases of the past, each replayed with the pure
    clock at a few midnights of its life while it was open, its KM probability and State then, and
    whether it ended late (known now: ended, or already past its due date)."""
    from .model import Landmark, state_of, used_and_limit

    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    oldest, youngest = (today - age for age in LANDMARK_AGE)
    cases = list(Case.objects.filter(clock_start__range=(oldest, youngest), item_version__isnull=False)
                 .select_related("item_version").order_by("-clock_start", "pk")[:LANDMARK_CASES])
    rows, rules = [], {}
    for chunk in range(0, len(cases), 500):
        part = cases[chunk:chunk + 500]
        events = load_events([c.case_no for c in part])
        for case in part:
            version = case.item_version
            rule = rules.setdefault(version.pk, item_rules(version))
            late = case.late or (case.ended_at is None and case.promised_due is not None and case.promised_due < today)
            if case.ended_at is None and not late:
                continue  # the outcome is not known yet
            rows_of = events.get(case.case_no, [])
            for days in LANDMARK_DAYS:
                at = datetime.combine(case.clock_start + timedelta(days=days), time.min, tzinfo=zone)
                if at >= now or case.ended_at is not None and case.ended_at <= at:
                    break
                state = clock.compute(rule, rows_of, cal, at, zone)
                if state.clock_start is None or state.ended_at is not None or state.promised_due is None:
                    continue
                limit, used, _left = used_and_limit(state, version.promised_limit_days, cal, zone)
                f = model.predict(case.item_id, case.department_id, limit, used)
                if f is not None:
                    seen = state_of([r for r in rows_of if r.occurred_at <= at], len(rule.steps), state.status)
                    rows.append(Landmark(f.km, used, limit, seen, late))
    return rows


def refresh(now, cal=None):
    """Recompute every open case's forecast. Returns how many were stored."""
    from .model import Forecaster, State

    cal = cal or load_calendar()
    obs, open_ = observations(now, cal)
    model = Forecaster(obs)
    model.fit_adjuster(landmarks(now, model, cal))
    states = open_states(now)
    stamp = connection.ops.adapt_datetimefield_value(now)  # as the ORM stores it (naive UTC text on SQLite)
    rows = []
    for pk, (o, case_no, dept, region, left, window) in open_.items():
        state = states.get(pk, State())
        f = model.predict(o.item, o.department, o.limit, o.used, state)
        if f is not None:
            rows.append((pk, round(f.probability, 4), f.basis, f.history, f.used, f.limit, left, state.steps_done,
                         state.steps_total, state.supplements, state.suspended, round(f.km, 4), stamp, case_no,
                         region, dept, window))
    with transaction.atomic():
        CaseForecast.objects.all().delete()
        # tuples by COPY (PostgreSQL): model instances through bulk_create cost more than the whole fit; the
        # pk is the case, which core.bulk.insert omits, so the upsert (no conflict after the delete) writes them
        bulk.upsert_rows(CaseForecast._meta.db_table, FORECAST_COLUMNS, rows, conflict=["case_id"],
                         sets=[f"{c} = excluded.{c}" for c in FORECAST_COLUMNS[1:]])
        config = ForecastConfig.current()
        config.refreshed_at = now
        config.save()
        sync_rule(now, config, {r[0]: r[1] for r in rows}, open_)
    return len(rows)



def sync_rule(now, config, probability, open_):
    """Raise BREACH_LIKELY where the probability reached the threshold and the due date has not passed;
    close it by rule where it fell below, the case is past its due or no longer open; store the alert_level of every case whose alerts changed. Does nothing to open alerts while the rule is off but closes
    them, so switching it off leaves no stale notice."""
    active = {a.subject_key: a for a in Alert.objects.filter(subject_type=SUBJECT, rule=RULE,
                                                             status__in=ACTIVE_STATUSES)}
    keep, raised = set(), []
    if config.enabled:
        # a case already past its due is late, not likely to be: the clock's overdue alerts name it
        fewest = fewest_days_left(timezone.localtime(now).date(), load_calendar())
        wanted = [(pk, v) for pk, v in open_.items() if probability.get(pk, 0) >= config.threshold and v[4] >= fewest]
        centres = centres_for({v[3] for _pk, v in wanted if v[3]})
        existing = {(SUBJECT, a.subject_key, RULE, ""): a for a in Alert.objects.filter(
            subject_type=SUBJECT, rule=RULE, subject_key__in=[v[1] for _pk, v in wanted])}
        specs = []
        for pk, (o, case_no, dept, region, left, _window) in wanted:
            keep.add(case_no)
            if existing.get((SUBJECT, case_no, RULE, "")) is not None:
                continue  # one alert per (case, rule): raised once
            specs.append(AlertSpec(
                subject_type=SUBJECT, subject_key=case_no, rule=RULE, step="", level=Level.NOTICE, raised_at=now,
                detail=_("预测超期概率 %(p)d%%") % {"p": round(probability[pk] * 100)}, department_id=dept,
                region_id=region, centre_id=centres.get(region)))
        raised = sync_alerts(specs, existing)
    closing = [a for key, a in active.items() if key not in keep]
    changes = [bulk.build(AlertChange, alert_id=a.pk, at=now, actor_name="system", from_status=a.status,
                          to_status=AlertStatus.CLOSED, from_level=a.level, to_level=a.level, note=CLOSED_BY_RULE)
               for a in closing]
    Alert.objects.filter(pk__in=[a.pk for a in closing]).update(status=AlertStatus.CLOSED, closed_at=now)
    bulk.insert(AlertChange, changes)
    touched = {a.subject_key for a in raised} | {a.subject_key for a in closing}
    if touched:  # the case's alert_level counts BREACH_LIKELY like any other active alert
        refresh_alert_levels(touched)


def breach_probability(case, state):
    """The API's breach_probability: the stored forecast of an open case with a clock, else None."""
    if state.get("ended_at") or not state.get("clock_start"):
        return None
    return CaseForecast.objects.filter(case_id=case.pk).values_list("probability", flat=True).first()


def case_forecast(case):
    """What the case page shows: the stored forecast and the facts that drive it, or None."""
    f = CaseForecast.objects.filter(case_id=case.pk).first()
    if f is None:
        return None
    return {"percent": round(f.probability * 100), "used_days": f.used_days, "limit_days": f.limit_days,
            "remaining_days": f.remaining_days, "basis": f.get_basis_display(), "history": f.history,
            "computed_at": f.computed_at, "steps_done": f.steps_done, "steps_total": f.steps_total,
            "supplements": f.supplements, "suspended": f.suspended,
            "curve_percent": None if f.curve_probability is None else round(f.curve_probability * 100)}
