"""Concurrent writers on PostgreSQL (several API workers, several sweepers): no projection is computed
from half of a case's events, and a sweeper never waits on (or deadlocks with) an ingest."""
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from cases.bulk import lock_cases
from cases.ingest import ingest
from cases.models import Case
from cases.ticks import sweep
from clearwindow.testing.events import ev

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 10, 9, 12, 0, tzinfo=TZ)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers: PostgreSQL only"),
]


def in_thread(fn):
    errors = []

    def run():
        try:
            fn()
        except Exception as err:  # reported by the test thread
            errors.append(err)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_two_batches_of_one_case_at_once_give_the_projection_of_all_its_events(api_client):
    client, _ = api_client
    first_written = threading.Event()

    def first_batch():  # received + accepted, committed only a while after its recompute
        with transaction.atomic():
            ingest(client, [ev("CC-1", "received", "2025-09-30T09:10:00+08:00", item_code="ITEM-PLAIN"),
                            ev("CC-1", "accepted", "2025-09-30T09:20:00+08:00", staff="a")], now=NOW)
            first_written.set()
            time.sleep(1.0)

    thread, errors = in_thread(first_batch)
    assert first_written.wait(10)
    # the second batch arrives while the first is not committed yet
    ingest(client, [ev("CC-1", "completed", "2025-10-09T10:00:00+08:00", result="approved", staff="a")], now=NOW)
    thread.join(10)
    assert not errors
    case = Case.objects.get(case_no="CC-1")
    assert case.status == "completed"  # computed from all three events
    assert case.clock_start.isoformat() == "2025-09-30"


def test_a_sweeper_skips_a_case_an_ingest_is_recomputing_and_takes_it_later(api_client):
    client, _ = api_client
    ingest(client, [ev("CC-2", "received", "2025-09-30T09:10:00+08:00", item_code="ITEM-PLAIN"),
                    ev("CC-2", "accepted", "2025-09-30T09:10:00+08:00", staff="a")], now=NOW)
    due_at = Case.objects.get(case_no="CC-2").next_check_at  # DUE_SOON, 2025-10-11 00:00
    held, release = threading.Event(), threading.Event()

    def ingest_in_progress():
        with transaction.atomic():
            lock_cases(["CC-2"])
            held.set()
            release.wait(10)

    thread, errors = in_thread(ingest_in_progress)
    assert held.wait(10)
    started = time.monotonic()
    assert sweep(due_at) == 0  # left to the ingest that holds it, without waiting for it
    assert time.monotonic() - started < 2
    release.set()
    thread.join(10)
    assert not errors
    assert sweep(due_at) == 1
    assert Case.objects.get(case_no="CC-2").alert_level == "notice"


def test_two_writers_at_once_on_shared_counters_neither_fail_nor_miscount(api_client, items):
    """Every batch updates the same live-counter rows; two writers must not deadlock on them, and
    the counters must agree with a recount afterwards."""
    from supervision import tally
    from clearwindow.testing.records import tally_totals as totals

    client, _ = api_client
    start = threading.Barrier(2)

    def writer(prefix):
        def run():
            start.wait(10)
            for b in range(8):
                events = []
                for k in range(15):
                    no, day = f"{prefix}-{b}-{k}", f"2025-09-{1 + (k * 7 + b) % 28:02d}"
                    events += [ev(no, "received", f"{day}T09:00:00+08:00", item_code="ITEM-PLAIN"),
                               ev(no, "accepted", f"{day}T10:00:00+08:00", staff="a")]
                ingest(client, events, now=NOW)
        return run

    threads = [in_thread(writer(p)) for p in ("A", "B")]
    for thread, _ in threads:
        thread.join(60)
    assert [errors for _, errors in threads] == [[], []]
    assert Case.objects.count() == 2 * 8 * 15
    live = totals()
    tally.rebuild()
    assert totals() == live
