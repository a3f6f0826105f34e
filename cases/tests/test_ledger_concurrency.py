"""Concurrent writers on PostgreSQL never fork a ledger chain, and do not wait for one another's lane
(docs/ledger.md, concurrency)."""
import json
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction  # noqa: F401 (connection: the skipif condition)

from cases.ingest import ingest
from cases.models import RejectedEvent
from clearwindow.testing.events import ev
from core.testing.concurrent import at_once
from ledger import chain
from ledger.models import Block
from ledger.verify import verify

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 10, 9, 12, 0, tzinfo=TZ)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers: PostgreSQL only"),
]


def batch(client, prefix, n):
    return lambda: ingest(client, [ev(f"{prefix}-{i}", "received", "2025-09-30T09:10:00+08:00", item_code="ITEM-PLAIN")
                                   for i in range(n)], now=NOW)


def test_two_writers_at_once_many_times_leave_every_chain_whole(api_client):
    client, _ = api_client
    for round_ in range(8):
        at_once(batch(client, f"A{round_}", 50), batch(client, f"B{round_}", 50))
    events = [rows for body in Block.objects.values_list("body", flat=True)
              for kind, _, rows in json.loads(body) if kind == "cases.caseevent"]
    assert len(events) == 16 and sum(map(len, events)) == 800  # one block per ingest transaction
    for lane in Block.objects.values_list("lane", flat=True).distinct():
        seqs = list(Block.objects.filter(lane=lane).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))  # no number twice: no fork
    assert verify() == []


def refusal(client, name):
    """A refusal stored and ledgered in its own transaction, as ingest stores one."""
    row = RejectedEvent.objects.create(client=client, index=0, payload={"event_id": name}, error="type: unknown")
    chain.append_saved(RejectedEvent, [row.pk])


def refusal_lanes():
    return {lane for lane, body in Block.objects.values_list("lane", "body")
            if any(kind == "cases.rejectedevent" for kind, _, _ in json.loads(body))}


def test_a_writer_holding_a_lane_does_not_hold_up_another(api_client):
    client, _ = api_client
    chain.ensure_lanes()  # as the migration leaves them
    holding, release = threading.Event(), threading.Event()

    def slow():
        with transaction.atomic():
            refusal(client, "slow")
            holding.set()
            assert release.wait(20)

    def quick():
        assert holding.wait(20)
        with transaction.atomic():
            refusal(client, "quick")  # commits while the slow one still holds its lane
        lanes = refusal_lanes()
        release.set()
        return lanes

    _, lanes_seen = at_once(slow, quick)
    assert len(lanes_seen) == 1  # only the quick one's block was committed then, in a lane of its own
    assert len(refusal_lanes()) == 2
    assert verify() == []
