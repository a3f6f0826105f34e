"""The data-quality watch: late-arriving events, ignored events, orphans — per department."""
from datetime import datetime
from zoneinfo import ZoneInfo

from cases.ingest import ingest
from cases.models import Case, CaseEvent
from cases.quality import orphans_by_client, quality_by_department
from clearwindow.testing.fixtures import person

from clearwindow.testing.events import ev

TZ = ZoneInfo("Asia/Shanghai")


def test_it_lists_late_and_ignored_events_per_department_and_orphans_per_client(api_client, org):
    client, _ = api_client
    now = datetime(2026, 3, 13, 10, 0, tzinfo=TZ)
    ingest(client, [
        ev("Q-1", "received", "2026-03-02T09:00:00+08:00", item_code="ITEM-PLAIN"),   # 9 working days late
        ev("Q-1", "accepted", "2026-03-13T09:00:00+08:00", staff="a"),              # deemed accepted on 03-10: ignored
        ev("Q-1", "resumed", "2026-03-13T09:30:00+08:00"),                           # nothing to resume: ignored
        ev("Q-2", "received", "2026-03-13T09:00:00+08:00", item_code="ITEM-PLAIN"),  # on time
        ev("Q-3", "accepted", "2026-03-13T09:00:00+08:00", staff="a"),               # no 'received' yet
    ], now=now)
    supervisor = person("sup", "supervisor", centre=org["centres"]["152502"])
    rows = quality_by_department(supervisor)
    assert rows == [{"department__code": "XL-SCJ", "department__name": "锡林浩特市市场监督管理局", "cases": 2,
                     "late_events": 1, "ignored_events": 2, "cases_with_problems": 1}]
    assert orphans_by_client(supervisor) == [{"client__name": "xl-approval", "cases": 1}]
    outsider = person("abg", "supervisor", centre=org["centres"]["152522"])
    assert quality_by_department(outsider) == []


def test_an_ignored_event_is_named_by_its_stored_id_whether_its_case_is_new_or_known(api_client):
    """The centre's case page marks ignored events by the id in the case's notes. A case new in its batch
    is computed before ingest's transaction, when its events have no id yet."""
    client, _ = api_client
    now = datetime(2026, 3, 13, 10, 0, tzinfo=TZ)
    ingest(client, [
        ev("Q-1", "received", "2026-03-13T08:00:00+08:00", item_code="ITEM-PLAIN"),
        ev("Q-2", "received", "2026-03-13T08:10:00+08:00", item_code="ITEM-PLAIN"),
        ev("Q-1", "resumed", "2026-03-13T09:00:00+08:00"),  # nothing to resume: ignored
    ], now=now)
    first = CaseEvent.objects.get(case_no="Q-1", type="resumed").pk
    assert first != 2  # its index in the batch, which the note would otherwise name
    assert ignored_notes("Q-1") == [("resumed_not_suspended", first)]
    ingest(client, [ev("Q-1", "resumed", "2026-03-13T09:30:00+08:00")], now=now)  # the case is known now
    second = CaseEvent.objects.get(case_no="Q-1", type="resumed", occurred_at__gt=datetime(2026, 3, 13, 9, 10, tzinfo=TZ))
    assert ignored_notes("Q-1") == [("resumed_not_suspended", first), ("resumed_not_suspended", second.pk)]


def ignored_notes(case_no):
    return [(n["note"], n["seq"]) for n in Case.objects.get(case_no=case_no).quality_notes]
