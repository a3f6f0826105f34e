"""Live counters for the monitoring centre, kept by every projection batch.

cases.projection sends `projected` once per batch, before it writes the case rows, with each
changed case as it was stored. We take away what those old rows contributed, add what the new rows contribute, and apply the net deltas in one upsert per table
(`INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`, on PostgreSQL and SQLite alike).
`rebuild()` recounts everything from the case and alert tables (after a bulk load, or to repair).
"""
from collections import Counter

from django.db import transaction
from django.db.models import Count, OuterRef
from django.db.models.functions import TruncDate

from alerts.models import Alert, AlertStatus
from cases.models import OPEN_STATUSES, Case, CaseStatus
from cases.projection import SNAPSHOT
from cases.vocab import SUBJECT
from core import bulk
from workdays.zone import local_date, tz

from .models import DayTally, OpenTally

DAY_FIELDS = ("received", "accepted", "completed", "completed_late", "notices", "yellows", "reds")
OPEN_FIELDS = ("open", "overdue", "suspended")
LEVEL_FIELD = {"notice": "notices", "yellow": "yellows", "red": "reds"}


class _Row:
    """What the counters need of a case (from a values() dict or a Case)."""

    def __init__(self, **values):
        self.__dict__.update(values)


def contributions(c):
    """[(table, key, field)] that one case adds to the counters (each +1)."""
    if not c.department_id:
        return []
    window = c.window_id or 0
    dk = lambda day: (day, c.department_id, window, c.region_id)  # noqa: E731
    out = []
    if c.received_at:
        out.append(("day", dk(local_date(c.received_at)), "received"))
    if c.clock_start and not c.deemed_accepted:
        out.append(("day", dk(c.clock_start), "accepted"))
    if c.status == CaseStatus.COMPLETED and c.ended_at:
        out.append(("day", dk(local_date(c.ended_at)), "completed"))
        if c.late:
            out.append(("day", dk(local_date(c.ended_at)), "completed_late"))
    if c.status in OPEN_STATUSES:
        ok = (c.department_id, window, c.region_id)
        out.append(("open", ok, "open"))
        if c.late:
            out.append(("open", ok, "overdue"))
        if c.status == CaseStatus.SUSPENDED:
            out.append(("open", ok, "suspended"))
    return out


def on_projected(sender, new, changed, before, alerts=(), recounted=(), **kwargs):
    """Receiver of cases.projection.projected: apply the batch's net deltas."""
    deltas = Counter()
    for case in new:
        for key in contributions(case):
            deltas[key] += 1
    for case in changed:
        old, now = before[case.case_no], {f: getattr(case, f) for f in SNAPSHOT}
        if now != old:  # a case whose counted fields stayed as they were adds and takes away nothing
            for key in contributions(_Row(**old)):
                deltas[key] -= 1
            for key in contributions(case):
                deltas[key] += 1
    windows = {c.case_no: c.window_id or 0 for c in list(new) + list(changed)}
    for alert in alerts:
        if alert.department_id and alert.subject_type == SUBJECT:
            window = windows.get(alert.subject_key, 0)
            deltas[("day", (local_date(alert.raised_at), alert.department_id, window, alert.region_id),
                    LEVEL_FIELD[alert.level])] += 1
    for alert, raised_at, n in recounted:  # stored alerts withdrawn, re-raised or moved (reconcile)
        if alert.department_id and alert.subject_type == SUBJECT:
            window = windows.get(alert.subject_key, 0)
            deltas[("day", (local_date(raised_at), alert.department_id, window, alert.region_id),
                    LEVEL_FIELD[alert.level])] += n
    apply(deltas)


def apply(deltas):
    """Upsert net deltas {(table, key, field): n} in one statement per table."""
    day, opened = {}, {}
    for (table, key, field), n in deltas.items():
        if n:
            target = day if table == "day" else opened
            target.setdefault(key, Counter())[field] += n
    if day:
        _upsert(DayTally, ("day", "department_id", "window_key", "region_id"), DAY_FIELDS, day)
    if opened:
        _upsert(OpenTally, ("department_id", "window_key", "region_id"), OPEN_FIELDS, opened)


def _upsert(model, key_cols, fields, rows):
    table = model._meta.db_table
    sets = [f"{f} = {table}.{f} + excluded.{f}" for f in fields]
    values = [tuple(key) + tuple(counts.get(f, 0) for f in fields) for key, counts in rows.items()]
    bulk.upsert_rows(table, key_cols + fields, values, conflict=key_cols[:-1], sets=sets)


@transaction.atomic
def rebuild():
    """Recount every counter from the case and alert tables. Returns the number of counter rows."""
    DayTally.objects.all().delete()
    OpenTally.objects.all().delete()
    deltas = Counter()
    cases = Case.objects.exclude(department=None)
    keys = ("department_id", "window_id", "region_id")

    def add(table, rows, day_field, field):
        for r in rows:
            key = (r["department_id"], r["window_id"] or 0, r["region_id"])
            if day_field:
                key = (r[day_field],) + key
            deltas[(table, key, field)] += r["n"]

    zone = tz()
    n = Count("pk")
    add("day", cases.exclude(received_at=None).annotate(d=TruncDate("received_at", tzinfo=zone))
        .values("d", *keys).annotate(n=n).values("d", *keys, "n"), "d", "received")
    add("day", cases.filter(deemed_accepted=False).exclude(clock_start=None).values("clock_start", *keys)
        .annotate(n=n), "clock_start", "accepted")
    done = cases.filter(status=CaseStatus.COMPLETED).exclude(ended_at=None).annotate(
        d=TruncDate("ended_at", tzinfo=zone))
    add("day", done.values("d", *keys).annotate(n=n), "d", "completed")
    add("day", done.filter(late=True).values("d", *keys).annotate(n=n), "d", "completed_late")
    live = cases.filter(status__in=OPEN_STATUSES)
    add("open", live.values(*keys).annotate(n=n), None, "open")
    add("open", live.filter(late=True).values(*keys).annotate(n=n), None, "overdue")
    add("open", live.filter(status=CaseStatus.SUSPENDED).values(*keys).annotate(n=n), None, "suspended")
    _rebuild_alerts(deltas)
    apply(deltas)
    return DayTally.objects.count() + OpenTally.objects.count()


def _rebuild_alerts(deltas):
    windows = Case.objects.filter(case_no=OuterRef("subject_key")).values("window_id")[:1]
    rows = (Alert.objects.filter(subject_type=SUBJECT).exclude(department=None).exclude(status=AlertStatus.WITHDRAWN)
            .annotate(d=TruncDate("raised_at", tzinfo=tz()), w=windows)
            .values("d", "department_id", "w", "region_id", "level").annotate(n=Count("pk")))
    for r in rows:
        deltas[("day", (r["d"], r["department_id"], r["w"] or 0, r["region_id"]), LEVEL_FIELD[r["level"]])] += r["n"]
