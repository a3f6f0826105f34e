"""The case clock against an independent implementation (reference_clock.py, written from DOMAIN.md
alone) on random case histories posted out of order: every field of GET /api/v1/cases must agree.

The histories are made to hit the hard places: events at 00:00 and 23:59, several events at one
instant, junk (unknown steps, extensions out of range, suspensions with no clock, events before
`received` or after the end), holidays and a make-up working day, and as_of anywhere in the case.
"""
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases.clock import Event, ItemRules, StepRule, compute
from cases.tests import reference_clock
from workdays.arith import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
HOLIDAYS = [date(2025, 10, d) for d in range(1, 9)] + [date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 17)]
MAKE_UP = [date(2025, 10, 11), date(2026, 2, 14)]
CAL = WorkCalendar({**{d: False for d in HOLIDAYS}, **{d: True for d in MAKE_UP}})
MINUTES = [0, 1, 9 * 60, 9 * 60 + 10, 15 * 60, 23 * 60 + 59]
TYPES = (["accepted"] * 3 + ["suspended"] * 3 + ["resumed"] * 3 + ["step_started"] * 2 + ["step_completed"] * 3
         + ["supplement_requested", "supplement_received", "extended", "fee_charged", "completed", "rejected",
            "withdrawn", "received"])
CASES_PER_SEED = 2500
KINDS = ["", "handle", "review", "approve"]
STAFF = ["A", " a ", "A", "B", None]  # the same person written two ways, another, and nobody


def random_case(rnd, types=TYPES):
    """(item, [(occurred_at, type, data)] in arrival order, as_of)."""
    promised = rnd.randint(0, 10)
    kinds = rnd.random() < 0.4  # else the first step handles and the last approves
    steps = tuple(StepRule(f"s{i}", rnd.randint(0, 4), rnd.random() < 0.6, rnd.choice(KINDS) if kinds else "")
                  for i in range(rnd.randint(0, 3)))
    item = ItemRules(promised, promised + rnd.randint(0, 12), rnd.randint(0, 3), 10, steps,
                     rnd.choice([{}, {"F1": Decimal("50")}]))
    base = datetime(2025, 9, 8, tzinfo=TZ) + timedelta(days=rnd.randint(0, 320), hours=9)
    events = [(base, "received", {"item_code": "X"})] if rnd.random() < 0.9 else []
    for _ in range(rnd.randint(0, 12)):
        instant = base + timedelta(days=rnd.randint(0, 30), minutes=rnd.choice(MINUTES) + rnd.randint(0, 1))
        if events and rnd.random() < 0.2:
            instant = rnd.choice(events)[0]  # the same instant as another event
        kind = rnd.choice(types)
        events.append((instant, kind, event_data(rnd, kind, steps)))
    rnd.shuffle(events)  # posted out of order
    as_of = base + timedelta(days=rnd.randint(0, 45), minutes=rnd.choice(MINUTES))
    return item, events, as_of


def event_data(rnd, kind, steps):
    if kind in ("step_started", "step_completed"):
        return {"step": rnd.choice([s.code for s in steps] + ["zz"]), "staff": rnd.choice(STAFF)}
    if kind == "extended":
        return {"days": rnd.randint(-1, 12), "approved_by": rnd.choice(["", "head"])}
    if kind == "fee_charged":
        return {"fee_code": rnd.choice(["F1", "F2"]), "amount": rnd.choice(["10", "50", "60"])}
    if kind == "completed":
        return {"result": rnd.choice(["approved", "denied"])}
    return {}


def ours(item, events, as_of):
    s = compute(item, [Event(i, kind, at, data) for i, (at, kind, data) in enumerate(events)], CAL, as_of, TZ)
    alerts = [{"rule": f.rule, "level": f.level, "step": f.step, "raised_at": f.raised_at,
               "status": "closed" if f.closed_at is not None else "open"} for f in s.alerts]
    return {"status": s.status, "received_at": s.received_at, "clock_start": s.clock_start,
            "deemed_accepted": s.deemed_accepted, "promised_due": s.promised_due, "legal_due": s.legal_due,
            "suspended_working_days": s.suspended_working_days, "extension_days": s.extension_days,
            "remaining_working_days": s.remaining_working_days, "late": s.late, "ended_at": s.ended_at,
            "alert_level": s.alert_level, "alerts": sorted(alerts, key=_alert_order)}


def reference_item(item):
    """An ItemRules as the reference clock reads an item."""
    return {"promised_days": item.promised_days, "legal_days": item.legal_days, "warn_days": item.warn_days,
            "max_extension_days": item.max_extension_days, "fees": dict(item.fees),
            "steps": [{"code": s.code, "limit_days": s.limit_days, "required": s.required, "kind": s.kind}
                      for s in item.steps]}


def reference(item, events, as_of):
    raw = [{"type": kind, "occurred_at": at, **data} for at, kind, data in events]
    result = reference_clock.compute(reference_item(item), raw, CAL.is_workday, as_of, TZ)
    return {**result, "alerts": sorted(result["alerts"], key=_alert_order)}


def _alert_order(alert):
    return alert["raised_at"], alert["rule"], alert["step"] or ""


def describe(item, events, as_of):
    lines = [f"{at.isoformat()} [arrived {i}] {kind} {data}"
             for i, (at, kind, data) in sorted(enumerate(events), key=lambda e: (e[1][0], e[0]))]
    return "\n".join([repr(item), *lines, f"as_of {as_of.isoformat()}"])


@pytest.mark.parametrize("seed", range(4))
def test_the_clock_agrees_with_the_independent_implementation(seed):
    rnd = random.Random(seed)
    for _ in range(CASES_PER_SEED):
        item, events, as_of = random_case(rnd)
        mine, theirs = ours(item, events, as_of), reference(item, events, as_of)
        differing = {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}
        assert not differing, f"{describe(item, events, as_of)}\n(ours, reference): {differing}"


# steps completed by one person, several people or nobody: separation of duties (SAME_HANDLER_APPROVAL)
STEP_TYPES = ["accepted", "step_completed", "step_completed", "step_completed", "step_started"]


def test_the_clock_agrees_on_who_did_which_step():
    rnd = random.Random(14)
    raised = 0
    for _ in range(CASES_PER_SEED):
        item, events, as_of = random_case(rnd, STEP_TYPES)
        mine, theirs = ours(item, events, as_of), reference(item, events, as_of)
        differing = {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}
        assert not differing, f"{describe(item, events, as_of)}\n(ours, reference): {differing}"
        raised += any(a["rule"] == "SAME_HANDLER_APPROVAL" for a in mine["alerts"])
    assert raised > CASES_PER_SEED // 50  # the histories do reach the rule (85 times)


def test_the_comparison_sees_a_wrong_answer():
    """The harness compares real results: an item with a different limit changes the answer."""
    rnd = random.Random(99)
    item, events, as_of = random_case(rnd)
    while ours(item, events, as_of)["promised_due"] is None:
        item, events, as_of = random_case(rnd)
    longer = ItemRules(item.promised_days + 1, item.legal_days + 1, item.warn_days, 10, item.steps, item.fees)
    assert ours(longer, events, as_of)["promised_due"] != reference(item, events, as_of)["promised_due"]
