"""Benchmark: the pure case clock, `cases.clock.compute`, on a few typical case shapes.

    .venv/bin/python bench/clock.py [--repeat 7] [--number 2000]

No database and no Django: the calendar is built straight from the `chinese-calendar` package as the
seeded one is (every day of 2004–2026 overridden, see workdays.seed), and the cases are built in
memory. Prints the median µs per compute of each shape over --repeat runs of --number computes and
writes bench/results/clock.json.
"""
import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import write_result  # noqa: E402

from cases.clock import Event, ItemRules, StepRule, compute  # noqa: E402
from workdays.arith import WorkCalendar  # noqa: E402
from workdays.seed import package_years, seed_rows  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
ITEM = ItemRules(promised_days=10, legal_days=20, warn_days=2, max_extension_days=10,
                 steps=(StepRule("accept", 2), StepRule("review", 5), StepRule("approve", 3)),
                 fees={"F1": Decimal("50")})


def seeded_calendar():
    """The calendar as `seed_calendar` stores it: every day of the package's years."""
    return WorkCalendar({d: row[0] for d, row in seed_rows(package_years()).items()})


def at(day, hour=9, minute=0):
    return datetime(2025, 9, 1, hour, minute, tzinfo=TZ) + timedelta(days=day)


def history(*rows):
    """[(day, hour, type, data)] -> events in arrival order."""
    return [Event(i + 1, type_, at(day, hour), data or {}) for i, (day, hour, type_, data) in enumerate(rows)]


def steps_of(days):
    """step_started/step_completed for the three steps, on the given (start, end) day pairs, each step
    by another person (so that separation of duties compares them)."""
    rows = []
    for (start, end), code, staff in zip(days, ("accept", "review", "approve"), ("s1", "s2", "s3")):
        rows += [(start, 10, "step_started", {"step": code, "staff": staff}),
                 (end, 16, "step_completed", {"step": code, "staff": staff})]
    return rows


SHAPES = {
    # 10 events: a supplement round, three steps (the first started implicitly on acceptance),
    # completed on time; looked at after the end
    "completed": (history(
        (0, 9, "received", {"item_code": "X"}), (1, 10, "supplement_requested", {"materials": ["a"]}),
        (3, 11, "supplement_received", None), (4, 9, "accepted", {"staff": "s"}),
        *steps_of([(4, 6), (7, 10), (11, 14)])[1:], (15, 9, "completed", {"result": "approved"})), at(40, 12)),
    # 9 events: the same (the first step started explicitly), still open in its last step, looked at on a working day
    "open": (history(
        (0, 9, "received", {"item_code": "X"}), (1, 10, "supplement_requested", {"materials": ["a"]}),
        (3, 11, "supplement_received", None), (4, 9, "accepted", {"staff": "s"}),
        *steps_of([(4, 6), (7, 10)]), (11, 10, "step_started", {"step": "approve"})), at(15, 12)),
    # 7 events: accepted at once, three steps, open and past both due dates and the last step's
    "overdue": (history(
        (0, 9, "received", {"item_code": "X"}), (0, 9, "accepted", {"staff": "s"}),
        *steps_of([(0, 3), (5, 20)]), (22, 10, "step_started", {"step": "approve"})), at(45, 12)),
    # 13 events: fee, suspension, extension, three steps, completed
    "suspended_extended": (history(
        (0, 9, "received", {"item_code": "X"}), (2, 9, "accepted", {"staff": "s"}),
        (2, 11, "fee_charged", {"fee_code": "F1", "amount": "40"}),
        *steps_of([(2, 4), (7, 21)])[:3], (10, 15, "suspended", {"kind": "other", "reason": "r"}),
        (16, 10, "resumed", None), (17, 9, "extended", {"days": 5, "approved_by": "head", "reason": "r"}),
        (21, 16, "step_completed", {"step": "review"}), *steps_of([(0, 0), (0, 0), (22, 30)])[-2:],
        (31, 9, "completed", {"result": "approved"})), at(50, 12)),
    # 2 events: received and accepted at once, looked at the next day
    "minimal": (history((0, 9, "received", {"item_code": "X"}), (0, 9, "accepted", {"staff": "s"})),
                at(1, 12)),
}


def measure(cal, events, as_of, repeat, number):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            compute(ITEM, events, cal, as_of, TZ)
        runs.append((time.perf_counter() - start) / number * 1e6)
    return runs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()
    start = time.perf_counter()
    cal = seeded_calendar()
    build_ms = (time.perf_counter() - start) * 1000
    print(f"calendar: {cal!r}, built in {build_ms:.0f} ms")
    results = {}
    for name, (events, as_of) in SHAPES.items():
        runs = measure(cal, events, as_of, args.repeat, args.number)
        state = compute(ITEM, events, cal, as_of, TZ)
        results[name] = {"events": len(events), "median_us": round(statistics.median(runs), 1),
                         "min_us": round(min(runs), 1), "status": state.status,
                         "alerts": [f.rule for f in state.alerts]}
        print(f"{name:20} {len(events):>2} events  median {statistics.median(runs):7.1f} µs  "
              f"min {min(runs):7.1f} µs  ({state.status}, {[f.rule for f in state.alerts]})")
    write_result("clock", {"repeat": args.repeat, "number": args.number, "calendar_build_ms": round(build_ms),
                           "shapes": results})


if __name__ == "__main__":
    main()
