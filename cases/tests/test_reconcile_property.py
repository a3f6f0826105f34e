"""The property of issue 20: for any set of histories, and any order and batching of their events
within the on-time window, the stored alerts (all but the withdrawn) are the clock's findings on the
full history at the same moment — what GET /api/v1/cases/{no}?as_of= answers. Also after
import_events of a shuffled file, and (PostgreSQL) with two sweepers running beside the ingest."""
import itertools
import json
import random
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts.models import Alert
from cases.ingest import ingest
from cases.ticks import sweep
from cases.tests.test_api_reference import FIELDS, data_for
from cases.tests.test_clock_reference import TYPES

from clearwindow.testing.events import ev, get_case

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 5, 27, 12, 0, tzinfo=TZ)  # a Wednesday: the last 20 hours are on time
STEPS = ["cb", "sh", "sp"]
_numbers = itertools.count(1)


def histories(rnd, cases, start, end, spread_minutes=None):
    """{case_no: [event]} of random histories with every instant in [start, end]."""
    span = int((end - start).total_seconds() // 60)
    out = {}
    for _ in range(cases):
        no = f"XL-PROP-{next(_numbers):05d}"
        code, steps = rnd.choice([("ITEM-STEPS", STEPS), ("ITEM-PLAIN", [])])
        base = start + timedelta(minutes=rnd.randint(0, span // 3))
        events = [(base, "received", {"item_code": code})] if rnd.random() < 0.95 else []
        for _ in range(rnd.randint(1, 10)):
            instant = base + timedelta(minutes=rnd.randint(0, int((end - base).total_seconds() // 60)))
            if events and rnd.random() < 0.2:
                instant = rnd.choice(events)[0]  # several events at one instant
            kind = rnd.choice(TYPES + ["step_completed", "step_started"] * 2)
            if kind.startswith("step_") and not steps:
                continue
            events.append((instant, kind, data_for(rnd, kind, code, steps)))
        out[no] = [ev(no, kind, instant.isoformat(), **FIELDS.get(kind, {}), **data) for instant, kind, data in events]
    return out


def in_batches(rnd, events, largest):
    events = list(events)
    rnd.shuffle(events)
    while events:
        size = rnd.randint(1, largest)
        yield events[:size]
        events = events[size:]


def assert_stored_alerts_are_the_clocks_findings(client, key, case_nos, as_of):
    """Every case compared with GET ?as_of= (the clock on the full history), withdrawn alerts left out."""
    stored = {}
    for a in Alert.objects.filter(subject_type="case", subject_key__in=case_nos).exclude(status="withdrawn"):
        stored.setdefault(a.subject_key, set()).add(
            (a.rule, a.step, a.level, a.raised_at.astimezone(TZ).isoformat(), a.status == "closed"))
    for no in case_nos:
        reply = get_case(client, key, no, as_of=as_of.isoformat())
        if reply.status_code == 404:  # no 'received' yet: no item, no case to show
            assert no not in stored
            continue
        found = {(a["rule"], a["step"] or "", a["level"], a["raised_at"], a["status"] == "closed")
                 for a in reply.json()["alerts"]}
        assert stored.get(no, set()) == found, no


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False), cases=st.integers(1, 6), largest=st.integers(1, 12))
def test_stored_alerts_equal_the_clocks_findings_for_any_order_and_batching(client, api_client, rnd, cases, largest):
    api, key = api_client
    start = NOW - timedelta(hours=20)
    stories = histories(rnd, cases, start, NOW)
    now = NOW
    for batch in in_batches(rnd, [e for events in stories.values() for e in events], largest):
        now += timedelta(minutes=1)  # a live feed: each batch a little later, every event on time
        result = ingest(api, batch, now=now)
        assert result.rejected == [], result.rejected
    assert not Alert.objects.filter(subject_key__in=stories, contest="pending").exists()  # nothing was late
    sweep(now)  # supervise --once
    assert_stored_alerts_are_the_clocks_findings(client, key, stories, now)


@pytest.mark.parametrize("seed", [20, 21])
def test_the_same_after_import_events_of_a_shuffled_file(client, api_client, tmp_path, seed):
    """Weeks-old history back-filled in small batches from a shuffled file (historical: never contested)."""
    api, key = api_client
    rnd = random.Random(seed)
    now = timezone.now()
    stories = histories(rnd, 40, now - timedelta(days=60), now - timedelta(days=20))
    lines = [e for events in stories.values() for e in events]
    rnd.shuffle(lines)
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in lines) + "\n", encoding="utf-8")
    call_command("import_events", str(path), "--client", api.name, "--batch", "7", "--quiet")
    assert not Alert.objects.filter(subject_key__in=stories, contest="pending").exists()
    moment = timezone.now()
    sweep(moment)
    assert_stored_alerts_are_the_clocks_findings(client, key, stories, moment)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two sweeping workers: PostgreSQL only")
def test_the_same_with_two_workers_sweeping_while_the_feed_arrives(client, api_client):
    api, key = api_client
    rnd = random.Random(2026)
    stories = histories(rnd, 60, NOW - timedelta(hours=20), NOW)
    clock = {"now": NOW}
    stop, errors = threading.Event(), []

    def sweeper():
        try:
            while not stop.is_set():
                sweep(clock["now"])
        except Exception as err:  # reported by the test thread
            errors.append(err)
        finally:
            connection.close()

    workers = [threading.Thread(target=sweeper) for _ in range(2)]
    for w in workers:
        w.start()
    try:
        for batch in in_batches(rnd, [e for events in stories.values() for e in events], 25):
            clock["now"] += timedelta(minutes=1)
            assert ingest(api, batch, now=clock["now"]).rejected == []
    finally:
        stop.set()
        for w in workers:
            w.join(30)
    assert not errors
    sweep(clock["now"])
    assert_stored_alerts_are_the_clocks_findings(client, key, stories, clock["now"])
