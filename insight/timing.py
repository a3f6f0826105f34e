"""Where the time goes, per case: the step timings and the process variant of one case, from the pure
clock's state and the case's events. Pure: no Django import.

Only steps that happened count: in an ended case, a step never completed was skipped. A step's working
days used are counted like the case's own: against the step's due (which a suspension
moves), used = limit − working days left to its due at its end (negative left past it), so a step that
ends on its due day used exactly its limit. The wait before a step is the working days from the previous
step's completion (in start order) to its start. A step was suspended (or had a supplement requested)
when such an event occurred between its start and its end."""
from dataclasses import dataclass

SEPARATOR = "›"
SKIPPED, OUT_OF_ORDER = "STEP_SKIPPED", "STEP_OUT_OF_ORDER"


@dataclass(frozen=True)
class StepRow:
    step: str
    position: int  # in the item's order, from 0
    start: object  # date
    end: object  # date or None while running
    used: int
    limit: int
    overdue: bool
    wait: int | None  # None for the first step started
    suspended: bool
    supplemented: bool


@dataclass(frozen=True)
class Trace:
    variant: str  # the step codes in the order they started
    skipped: bool
    out_of_order: bool
    used: int | None  # working days of the whole case (clock start to end), None while open


def left(cal, day, due):
    return cal.wd_between(day, due) if day <= due else -cal.wd_between(due, day)


def local_day(instant, zone):
    return instant.astimezone(zone).date()


def steps_of(state, events, cal, zone, today):
    """[StepRow] of the started steps of a clock state (cases.clock.CaseState), in start order."""
    marks = {"suspended": [], "supplement_requested": []}
    for e in events:
        if e.type in marks:
            marks[e.type].append(local_day(e.occurred_at, zone))
    ended = local_day(state.ended_at, zone) if state.ended_at is not None else None
    # a step still open when the case ended never happened (skipped): the clock starts the next step
    # implicitly when one completes, and that start is all it had
    started = sorted((s for s in state.steps if s.started_at is not None and s.start_day is not None
                      and (ended is None or s.completed_at is not None)), key=lambda s: s.started_at)
    position = {s.code: i for i, s in enumerate(state.steps)}
    rows, previous_end = [], None
    for s in started:
        end = local_day(s.completed_at, zone) if s.completed_at is not None else None
        upto = end or today
        wait = None
        if rows:
            wait = cal.wd_between(previous_end, s.start_day) if previous_end is not None else 0
        rows.append(StepRow(s.code, position[s.code], s.start_day, end,
                            s.limit_days - left(cal, upto, s.due) if s.due else cal.wd_between(s.start_day, upto),
                            s.limit_days, bool(s.overdue or (s.due and upto > s.due)), wait,
                            any(s.start_day <= d <= upto for d in marks["suspended"]),
                            any(s.start_day <= d <= upto for d in marks["supplement_requested"])))
        previous_end = end
    return rows


def trace_of(state, rows, promised_days, cal, zone):
    rules = {f.rule for f in state.alerts}
    used = None
    if state.ended_at is not None and state.promised_due is not None:
        used = promised_days + state.extension_days - left(cal, local_day(state.ended_at, zone), state.promised_due)
    return Trace(SEPARATOR.join(r.step for r in rows), SKIPPED in rules, OUT_OF_ORDER in rules, used)


def quantile(values, q):
    """The q-quantile of a list of numbers (linear interpolation, as numpy's default), None when empty."""
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def quantile_of_counts(counts, *qs):
    """quantile() of the values a histogram {value: how many} stands for, without expanding it (the same
    interpolation, the same float arithmetic); None when it is empty. Several q: a tuple, one sort."""
    items = sorted((v, n) for v, n in counts.items() if n > 0)
    total = sum(n for _v, n in items)
    found = tuple(_at(items, total, q) if total else None for q in qs)
    return found if len(qs) > 1 else found[0]


def _at(items, total, q):
    k = (total - 1) * q
    lo = int(k)
    hi = min(lo + 1, total - 1)
    low = high = None
    seen = 0
    for v, n in items:
        seen += n
        if low is None and lo < seen:
            low = v
        if hi < seen:
            high = v
            break
    return low + (high - low) * (k - lo)
