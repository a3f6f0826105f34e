"""Property (issue 14): two clients of different departments send events for overlapping case numbers,
interleaved in random order and random batches. No event of a client outside a case's department ever
changes the case — it ends exactly as the in-scope events alone make it — and no two cases share a
number."""
from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alerts.models import Alert

from ..ingest import ingest
from ..models import Case
from clearwindow.testing.fixtures import new_client

CST = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=CST)
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=CST)
ITEM = {"A": "ITEM-STEPS", "B": "ITEM-OTHER"}  # A: XL-SCJ (152502); B: ABG-ZJJ (152522)
KINDS = ["received", "accepted", "step_started", "step_completed", "fee_charged", "fee_bogus", "suspended",
         "resumed", "completed"]
CASE_FIELDS = ("status", "item_id", "item_version_id", "department_id", "region_id", "client_id", "received_at",
               "clock_start", "deemed_accepted", "promised_due", "legal_due", "suspended_days", "extension_days",
               "ended_at", "late", "alert_level", "next_check_at", "late_events", "ignored_events")
runs = count(1)


def fields(kind, who):
    return {
        "received": {"item_code": ITEM[who]}, "accepted": {"staff": "s"},
        "step_started": {"step": "cb", "staff": "s"}, "step_completed": {"step": "cb", "staff": "s"},
        "fee_charged": {"fee_code": "GB", "amount": "5.00"}, "fee_bogus": {"fee_code": "BOGUS", "amount": "99999.00"},
        "suspended": {"kind": "other", "reason": "r"}, "resumed": {}, "completed": {"result": "approved", "staff": "s"},
    }[kind]


@st.composite
def histories(draw):
    """[(client, case index, kind, hour)] in sending order, and where the sending is cut into batches."""
    events = []
    for case in range(draw(st.integers(1, 3))):
        for who in draw(st.sampled_from([("A",), ("B",), ("A", "B")])):  # who sends a 'received'
            events.append((who, case, "received", draw(st.integers(0, 48))))
        for _ in range(draw(st.integers(0, 6))):
            events.append((draw(st.sampled_from("AB")), case, draw(st.sampled_from(KINDS[1:])),
                           draw(st.integers(0, 300))))
    order = draw(st.permutations(events))
    cuts = draw(st.lists(st.booleans(), min_size=len(order), max_size=len(order)))
    return order, cuts


def send(clients, order, cuts, prefix, keep=lambda e: True):
    """Post the events in order, one batch per run of one client's events, cut where `cuts` says."""
    batch, who_sends = [], None
    for (who, case, kind, hour), cut in zip(order, cuts):
        if who != who_sends and batch:
            ingest(clients[who_sends], batch, now=NOW)
            batch = []
        who_sends = who
        if keep((who, case, kind, hour)):
            batch.append({"event_id": f"{prefix}-{who}-{len(batch)}-{next(runs)}", "case_no": f"{prefix}-C{case}",
                          "type": "fee_charged" if kind == "fee_bogus" else kind,
                          "occurred_at": (T0 + timedelta(hours=hour)).isoformat(), **fields(kind, who)})
        if cut and batch:
            ingest(clients[who], batch, now=NOW)
            batch = []
    if batch:
        ingest(clients[who_sends], batch, now=NOW)


def state(prefix, case):
    row = Case.objects.filter(case_no=f"{prefix}-C{case}").values(*CASE_FIELDS).first()
    alerts = set(Alert.objects.filter(subject_type="case", subject_key=f"{prefix}-C{case}")
                 .values_list("rule", "step", "level", "status"))
    return row, alerts


@pytest.mark.django_db
def test_no_out_of_scope_event_ever_changes_a_case(org, items):
    clients = {"A": new_client("prop-a", departments=[org["dept"]])[0],
               "B": new_client("prop-b", departments=[org["other_dept"]])[0]}

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(histories())
    def check(history):
        order, cuts = history
        n = next(runs)
        mixed, alone = f"M{n}", f"S{n}"
        send(clients, order, cuts, mixed)
        # the owner of a case: the client whose 'received' for it was sent first
        owner = {}
        for who, case, kind, _ in order:
            if kind == "received":
                owner.setdefault(case, who)
        send(clients, order, cuts, alone, keep=lambda e: owner[e[1]] == e[0])
        for case in owner:
            got, want = state(mixed, case), state(alone, case)
            assert got[0] is not None and got[0]["department_id"] == (org["dept"] if owner[case] == "A"
                                                                       else org["other_dept"]).pk
            assert got[0] == want[0]
            assert got[1] == want[1]
        numbers = list(Case.objects.values_list("case_no", flat=True))
        assert len(numbers) == len(set(numbers))

    check()
