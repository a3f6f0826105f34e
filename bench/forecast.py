"""Backtest of the breach forecast (insight.model) against the calendar baseline.

    .venv/bin/python bench/forecast.py [--fit-days 60] [--test-days 30] [--scale 1.0] [--seed 2025]

No database: the demo region's generated history (demo.history, played to its end), the pure clock
(cases.clock.compute) and the seeded holiday calendar. The model is fitted on what was known at the end of
the first --fit-days calendar days (cases ended by then are observed ends, cases still open are censored),
then asked at each local midnight of the following --test-days days about every case whose clock was
running; the truth is whether that case ended after its promised due date (`late`, from its full history).
The baseline is DUE_SOON's calendar rule: 1 when remaining ≤ warn_days, else 0. Two forecasts are scored:
the Kaplan–Meier curve alone ("km") and the curve recalibrated by the case's state ("model": steps
completed, supplements requested, suspension under way; insight.model.Adjuster), whose landmarks are the
cases open at the fit window's midnights from day 7 to --fit-days − 28, with the outcome known at the
cutoff (ended, or already past the limit). Prints and writes the Brier score, the AUC and the calibration
in deciles of all three to bench/results/forecast.json.
"""
import argparse
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from clock import seeded_calendar  # noqa: E402
from common import write_result  # noqa: E402

from cases.clock import Event, ItemRules, StepRule, compute  # noqa: E402
from demo import history  # noqa: E402
from demo.region import build  # noqa: E402
from insight.model import Forecaster, Landmark, Observation, state_of, used_and_limit  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
START = date(2025, 3, 3)
ENDED = ("completed", "rejected", "withdrawn")


def item_rules(item):
    return ItemRules(promised_days=item["promised_limit_days"], legal_days=item["legal_limit_days"],
                     warn_days=item.get("warn_days", 2),
                     steps=tuple(StepRule(s["code"], s["limit_days"], s.get("required", True)) for s in item["steps"]))


def midnight(day):
    return datetime.combine(day, datetime.min.time(), tzinfo=TZ)


def cases(demo, cal, end, seed, scale):
    """[(item code, department, ItemRules, [Event], final state)] of every case received from START to end."""
    items = {i["code"]: i for i in demo["catalog"]["items"]}
    rules, out = {}, []
    far = datetime(2030, 1, 1, tzinfo=TZ)
    for raw in history.generate(demo, START, end, until=far, seed=seed, cal=cal, scale=scale):
        code = raw[0]["item_code"]
        if code not in rules:
            rules[code] = item_rules(items[code])
        events = [Event(n, e["type"], datetime.fromisoformat(e["occurred_at"]), e) for n, e in enumerate(raw)]
        out.append((code, items[code]["department"], rules[code], events, compute(rules[code], events, cal, far, TZ)))
    return out


def observe(rule, state, cal, day):
    """(limit, used, remaining) of a case with a clock as it stood at `day`."""
    return used_and_limit(state, rule.promised_days, cal, TZ)


def open_at(all_cases, cal, at):
    """(code, dept, rule, events, final, state at `at`, limit, used, remaining, State) of every case whose
    clock was running at `at`."""
    for code, dept, rule, events, final in all_cases:
        if events[0].occurred_at >= at or final.ended_at is not None and final.ended_at <= at:
            continue
        state = compute(rule, events, cal, at, TZ)
        if state.clock_start is None or state.ended_at is not None or state.promised_due is None:
            continue
        limit, used, remaining = observe(rule, state, cal, at.date())
        seen = state_of([e for e in events if e.occurred_at <= at], len(rule.steps), state.status)
        yield code, dept, rule, events, final, state, limit, used, remaining, seen


def landmarks(all_cases, cal, model, cutoff, fit_days):
    """Training rows of the Adjuster: cases open at the fit window's midnights (days 7 to fit_days − 28),
    with the outcome known at the cutoff: ended by then, or still open and already past the limit."""
    rows = []
    for n in range(7, max(fit_days - 28, 8)):
        at = midnight(START + timedelta(days=n))
        for code, dept, rule, events, final, _s, limit, used, _r, seen in open_at(all_cases, cal, at):
            then = compute(rule, events, cal, cutoff, TZ)
            if then.ended_at is None and (then.remaining_working_days or 0) >= 0:
                continue  # its outcome was not known at the cutoff
            forecast = model.predict(code, dept, limit, used)
            if forecast is not None:
                rows.append(Landmark(forecast.probability, used, limit, seen, bool(then.late or then.ended_at is None)))
    return rows


def training(all_cases, cal, cutoff):
    obs = []
    for code, dept, rule, events, _final in all_cases:
        if events[0].occurred_at >= cutoff:
            continue
        state = compute(rule, events, cal, cutoff, TZ)
        if state.clock_start is None or state.promised_due is None:
            continue
        limit, used, _ = observe(rule, state, cal, cutoff.date())
        obs.append(Observation(code, dept, limit, used, state.ended_at is not None))
    return obs


def brier(p, y):
    return sum((a - b) ** 2 for a, b in zip(p, y)) / len(y)


def auc(p, y):
    """Mann–Whitney: the chance a late case scores above an on-time one (ties count half)."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    ranks, i = [0.0] * len(p), 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and p[order[j + 1]] == p[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(y)
    neg = len(y) - pos
    if not pos or not neg:
        return None
    return (sum(r for r, t in zip(ranks, y) if t) - pos * (pos + 1) / 2) / (pos * neg)


def deciles(p, y):
    pairs = sorted(zip(p, y), key=lambda pair: pair[0])  # by prediction only: ties keep their order
    out = []
    for d in range(10):
        chunk = pairs[len(pairs) * d // 10: len(pairs) * (d + 1) // 10]
        if chunk:
            out.append({"decile": d + 1, "n": len(chunk), "predicted": round(sum(a for a, _ in chunk) / len(chunk), 4),
                        "observed": round(sum(b for _, b in chunk) / len(chunk), 4)})
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--fit-days", type=int, default=60)
    parser.add_argument("--test-days", type=int, default=30)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    started = time.perf_counter()
    cal, demo = seeded_calendar(), build()
    cutoff = midnight(START + timedelta(days=args.fit_days))
    end = START + timedelta(days=args.fit_days + args.test_days)
    all_cases = cases(demo, cal, end, args.seed, args.scale)
    finished = [c for c in all_cases if c[4].clock_start is not None]
    late_share = sum(c[4].late for c in finished) / len(finished)
    model = Forecaster(training(all_cases, cal, cutoff))
    adjuster = model.fit_adjuster(landmarks(all_cases, cal, model, cutoff, args.fit_days))
    p_km, p_model, p_base, truth = [], [], [], []
    for n in range(args.test_days):
        at = midnight(cutoff.date() + timedelta(days=n))
        for code, dept, rule, events, final, state, limit, used, remaining, seen in open_at(all_cases, cal, at):
            forecast = model.predict(code, dept, limit, used, seen)
            if forecast is None:
                continue
            p_km.append(forecast.km)
            p_model.append(forecast.probability)
            soon = rule.warn_days >= rule.promised_days or remaining <= rule.warn_days  # DUE_SOON's condition
            p_base.append(1.0 if soon else 0.0)
            truth.append(1 if final.late else 0)
    result = {
        "fit_days": args.fit_days, "test_days": args.test_days, "seed": args.seed, "scale": args.scale,
        "cases": len(all_cases), "cases_with_clock": len(finished), "late_share": round(late_share, 4),
        "predictions": len(truth), "late_predictions": sum(truth),
        "km": {"brier": round(brier(p_km, truth), 4), "auc": round(auc(p_km, truth), 4),
               "calibration": deciles(p_km, truth)},
        "model": {"brier": round(brier(p_model, truth), 4), "auc": round(auc(p_model, truth), 4),
                  "calibration": deciles(p_model, truth)},
        "adjuster": adjuster.as_dict() if adjuster else None,
        "baseline": {"brier": round(brier(p_base, truth), 4), "auc": round(auc(p_base, truth), 4),
                     "calibration": deciles(p_base, truth)},
        "seconds": round(time.perf_counter() - started, 1),
    }
    result["model_beats_baseline"] = (result["model"]["brier"] < result["baseline"]["brier"]
                                      and result["model"]["auc"] > result["baseline"]["auc"])
    for name in ("km", "model", "baseline"):
        print(f"{name:9} Brier {result[name]['brier']:.4f}  AUC {result[name]['auc']:.4f}  deciles "
              + " ".join(f"{d['predicted']:.2f}/{d['observed']:.2f}" for d in result[name]["calibration"]))
    print("adjuster", result["adjuster"])
    print(f"{len(truth)} predictions on {result['cases_with_clock']} cases with a clock, "
          f"{result['late_share']:.1%} late; model beats baseline: {result['model_beats_baseline']}")
    write_result("forecast", result)


if __name__ == "__main__":
    main()
