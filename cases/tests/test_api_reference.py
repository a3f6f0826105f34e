"""The exchange API end to end against the independent clock (reference_clock.py): random case
histories posted shuffled in random batches, then GET /api/v1/cases/{no}?as_of= at several instants.
This checks what the clock comparison cannot: holding events until `received`, the stored
events read back, the item version and calendar, and how the answer is written."""
import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from cases.projection import item_rules
from cases.tests import reference_clock
from cases.tests.test_clock_reference import MINUTES, TYPES, TZ, reference_item
from workdays.models import load_calendar

from clearwindow.testing.events import ev, get_case, post

FIELDS = {  # what the API requires of each type (the clock reads only some of it)
    "received": {"staff": "王芳"}, "accepted": {"staff": "王芳"}, "rejected": {"staff": "王芳", "reason": "不符合条件"},
    "supplement_requested": {"materials": ["身份证复印件"]}, "suspended": {"kind": "other", "reason": "现场核查"},
    "extended": {"reason": "情况复杂"}, "completed": {"staff": "王芳"}, "withdrawn": {"reason": "申请人撤回"},
    "step_started": {"staff": "李明"}, "step_completed": {"staff": "李明"},
}
CASES = 40


def random_history(rnd, no, item_code, steps):
    base = datetime(2025, 9, 8, tzinfo=TZ) + timedelta(days=rnd.randint(0, 250), hours=9)
    events = [(base, "received", {"item_code": item_code})] if rnd.random() < 0.9 else []
    for _ in range(rnd.randint(0, 12)):
        instant = base + timedelta(days=rnd.randint(0, 30), minutes=rnd.choice(MINUTES) + rnd.randint(0, 1))
        if events and rnd.random() < 0.2:
            instant = rnd.choice(events)[0]
        kind = rnd.choice(TYPES)
        if kind.startswith("step_") and not steps:
            continue  # a step code of another item is an input error, not what this test is about
        events.append((instant, kind, data_for(rnd, kind, item_code, steps)))
    return [ev(no, kind, written(rnd, at), **FIELDS.get(kind, {}), **data) for at, kind, data in events], base


def written(rnd, instant):
    """The instant as an integrator may write it: local time, UTC with Z, or another offset."""
    style = rnd.choice(["local", "utc", "tokyo"])
    if style == "utc":
        return instant.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return instant.astimezone(ZoneInfo("Asia/Tokyo")).isoformat() if style == "tokyo" else instant.isoformat()


def data_for(rnd, kind, item_code, steps):
    if kind == "received":
        return {"item_code": item_code}
    if kind in ("step_started", "step_completed"):
        return {"step": rnd.choice(steps)}
    if kind == "extended":
        return {"days": rnd.randint(-1, 12), **({"approved_by": "局长"} if rnd.random() < 0.7 else {})}
    if kind == "fee_charged":
        return {"fee_code": rnd.choice(["GB", "XX"]), "amount": rnd.choice(["5.00", "10.00", "12.50"])}
    if kind == "completed":
        return {"result": rnd.choice(["approved", "denied"])}
    return {}


def expected(events, version, as_of, cal):
    """The reference's answer, written as the API writes it."""
    item = reference_item(item_rules(version))
    raw = [{**e, "occurred_at": datetime.fromisoformat(e["occurred_at"].replace("Z", "+00:00"))} for e in events]
    result = reference_clock.compute(item, raw, cal.is_workday, as_of, TZ)
    text = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in result.items() if k != "alerts"}
    alerts = [{"rule": a["rule"], "level": a["level"], "step": a["step"] or "",
               "raised_at": a["raised_at"].astimezone(TZ).isoformat(), "status": a["status"]} for a in result["alerts"]]
    return text, sorted(alerts, key=lambda a: (a["raised_at"], a["rule"], a["step"]))


@pytest.mark.parametrize("seed", [2026, 7])
def test_the_api_answers_as_the_independent_clock_does(client, api_client, items, seed):
    _, key = api_client
    rnd = random.Random(seed)
    versions = {code: items[name].versions.get() for name, code in (("plain", "ITEM-PLAIN"), ("steps", "ITEM-STEPS"))}
    histories = {}
    for n in range(CASES):
        code = rnd.choice(list(versions))
        steps = [s["code"] for s in versions[code].steps]
        histories[f"XL-REF-{n:03d}"] = (code, *random_history(rnd, f"XL-REF-{n:03d}", code, steps))
    posted = [e for _, events, _ in histories.values() for e in events]
    rnd.shuffle(posted)
    arrival = {e["event_id"]: i for i, e in enumerate(posted)}  # ties in occurred_at go by arrival
    while posted:
        size = rnd.randint(1, 30)
        batch, posted = posted[:size], posted[size:]
        reply = post(client, key, batch)
        assert reply.status_code == 200 and reply.json()["rejected"] == [], reply.json()
    cal = load_calendar()
    compared = 0
    for no, (code, events, base) in histories.items():
        if not any(e["type"] == "received" for e in events):
            continue  # no item yet: nothing to compare (the API says so; see test_events_api)
        for days in (2, 9, 20, 40):
            as_of = base + timedelta(days=days, minutes=rnd.choice(MINUTES))
            got = get_case(client, key, no, as_of=written(rnd, as_of)).json()
            in_arrival = sorted(events, key=lambda e: arrival[e["event_id"]])
            fields, alerts = expected(in_arrival, versions[code], as_of, cal)
            mine = {k: got[k] for k in fields}
            mine_alerts = sorted(({**{k: a[k] for k in ("rule", "level", "raised_at", "status")}, "step": a["step"] or ""}
                                  for a in got["alerts"]), key=lambda a: (a["raised_at"], a["rule"], a["step"]))
            context = f"{no} as of {as_of.isoformat()}:\n" + "\n".join(map(str, in_arrival))
            assert mine == fields, context
            assert mine_alerts == alerts, context
            compared += 1
    assert compared > 100
