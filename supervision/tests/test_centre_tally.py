"""The live counters follow every event posted through the API, and a rebuild agrees with them."""
from datetime import datetime
from zoneinfo import ZoneInfo

from clearwindow.testing.events import ev, post
from clearwindow.testing.records import tally_totals as totals
from supervision import tally

TZ = ZoneInfo("Asia/Shanghai")


def test_it_counts_received_accepted_completed_and_open(client, api_client):
    _, key = api_client
    now = datetime.now(TZ).replace(microsecond=0)
    at = now.isoformat()
    post(client, key, [ev("T-1", "received", at, item_code="ITEM-PLAIN", window="XL-W01"),
                       ev("T-2", "received", at, item_code="ITEM-PLAIN")])
    assert totals()["received"] == 2 and totals()["open"] == 2 and totals()["accepted"] == 0
    post(client, key, [ev("T-1", "accepted", at, staff="a"), ev("T-2", "accepted", at, staff="a")])
    post(client, key, [ev("T-1", "completed", at, result="approved", staff="a")])
    t = totals()
    assert (t["received"], t["accepted"], t["completed"], t["open"]) == (2, 2, 1, 1)


def test_it_counts_overdue_and_alerts_and_rebuilds_the_same(client, api_client):
    _, key = api_client
    at = "2025-09-30T09:10:00+08:00"
    post(client, key, [ev("T-LATE", "received", at, item_code="ITEM-PLAIN"), ev("T-LATE", "accepted", at, staff="a")])
    before = totals()
    assert before["overdue"] == 1 and before["yellows"] >= 1 and before["reds"] >= 1
    tally.rebuild()
    assert totals() == before
