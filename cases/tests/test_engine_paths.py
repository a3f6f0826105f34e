"""The engine's fast path gives exactly what its plain ORM path gives (issue 15, item 6).

The fast path: ingest computes the clock states of new cases before its transaction and hands them,
with its own events, to recompute (projection.Known); core.bulk writes by COPY / executemany and
builds instances without Model.__init__. The plain path (core.bulk.orm_path): events stored with
create(), recompute reading every event back, instances made by Model.__init__, rows written with
bulk_create and bulk_update. The same random histories, in the same shuffled batches (re-sent events
and late arrivals among them) and then the sweep's recompute, go through both under different case
numbers; after every batch the case rows, the alerts and their change rows, the refused events and
the changes of the live counters must be the same. On SQLite and PostgreSQL (run the suite on both)."""
import random
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction

from alerts.models import Alert, AlertChange
from cases.ingest import ingest
from cases.models import Case, CaseEvent, RejectedEvent
from cases.projection import recompute
from core import bulk
from ledger import chain
from supervision.models import DayTally, OpenTally

from .test_reconcile_property import NOW, histories, in_batches

SKIP = {"id", "case_no", "check_code", "created_at", "updated_at", "subject_key"}


def feed(api, batch, prefix, now):
    """Ingest a batch under prefixed case numbers and event ids; or, for "sweep", recompute the
    prefixed cases due, as the sweep does (the sweep itself would take the other run's too)."""
    if batch == "sweep":
        with transaction.atomic(), chain.block():
            due = list(Case.objects.filter(case_no__startswith=prefix, next_check_at__lte=now)
                       .values_list("case_no", flat=True))
            assert due
            recompute(due, now)
        return
    ingest(api, [dict(e, case_no=prefix + e["case_no"], event_id=prefix + e["event_id"]) for e in batch], now=now)


def delta(after, before):
    return {k: after[k] - before[k] for k in after.keys() | before.keys() if after[k] != before[k]}


def snapshot(prefix):
    """Everything the engine wrote for the prefixed cases, with the prefix and the event ids (which
    differ between the two runs) replaced by the events' own ids."""
    ids = {pk: eid[len(prefix):] for pk, eid in CaseEvent.all_events.filter(event_id__startswith=prefix)
           .values_list("pk", "event_id")}

    def norm(value, key=None):
        if key == "seq" and isinstance(value, int):
            return ids[value]
        if isinstance(value, dict):
            return {k: norm(v, k) for k, v in value.items() if k not in SKIP}
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        if isinstance(value, str):
            return re.sub(r"#(\d+)", lambda m: "#" + ids.get(int(m[1]), m[1]), value).replace(prefix, "")
        return value

    def rows(qs, key):
        return sorted((norm(row) for row in qs.values()), key=key)

    cases = {c["case_no"][len(prefix):]: norm(c) for c in Case.objects.filter(case_no__startswith=prefix).values()}
    alerts = {(a.subject_key[len(prefix):], a.rule, a.step): a.pk
              for a in Alert.objects.filter(subject_key__startswith=prefix)}
    by_pk = {pk: key for key, pk in alerts.items()}
    changes = []
    for row in AlertChange.objects.filter(alert__subject_key__startswith=prefix).values().order_by("pk"):
        alert = by_pk[row["alert_id"]]
        changes.append((alert, sorted((k, str(v)) for k, v in norm(row).items() if k != "alert_id")))
    return {
        "cases": cases,
        "alerts": {key: norm(Alert.objects.filter(pk=pk).values().get()) for key, pk in alerts.items()},
        "changes": sorted(changes),
        "events": rows(CaseEvent.all_events.filter(event_id__startswith=prefix)
                       .values("event_id", "type", "occurred_at", "late_arrival", "refusal", "historical"),
                       key=lambda r: r["event_id"]),
        "rejected": rows(RejectedEvent.objects.filter(event_id__startswith=prefix)
                         .values("event_id", "index", "error", "payload", "source"), key=str),
    }


def counters():
    out = Counter()
    for model, fields in ((DayTally, ("received", "accepted", "completed", "completed_late", "notices", "yellows",
                                      "reds")), (OpenTally, ("open", "overdue", "suspended"))):
        keys = [f.attname for f in model._meta.concrete_fields if f.attname not in fields and f.attname != "id"]
        for row in model.objects.values(*keys, *fields):
            for f in fields:
                out[(model.__name__, tuple(row[k] for k in keys), f)] += row[f]
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fast_path_gives_what_the_orm_path_gives(api_client, seed):
    api, _ = api_client
    rnd = random.Random(seed)
    stories = histories(rnd, 25, NOW - timedelta(days=6), NOW)  # the older events arrive late
    events = [e for story in stories.values() for e in story]
    batches = list(in_batches(rnd, events, 15))
    batches[3:3] = [rnd.sample(events, 6)]  # events sent again: the batch's duplicates are skipped
    assert sum(len(b) for b in batches) > 100

    now, seen = NOW, Counter()
    for step, batch in enumerate(batches + ["sweep"]):  # compared after every batch, and after a sweep
        now += timedelta(minutes=1) if batch != "sweep" else timedelta(days=2)
        before = counters()
        feed(api, batch, "FAST-", now)
        middle = counters()
        with bulk.orm_path():
            feed(api, batch, "ORM-", now)
        fast, orm = snapshot("FAST-"), snapshot("ORM-")
        for part in fast:
            assert fast[part] == orm[part], (step, part)
        assert delta(middle, before) == delta(counters(), middle), step
        seen.update(part for part in fast if fast[part])
    assert len(fast["cases"]) == 25 and seen["alerts"] and seen["changes"]
    assert any(c["quality_notes"] for c in fast["cases"].values())  # clock notes naming events
