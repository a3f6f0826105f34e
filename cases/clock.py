"""The case clock: (item rules, events, calendar, instant) -> the case as it stood at that instant.

Pure: no Django, no `now()`; time is a parameter. DOMAIN.md "The case clock" and "Alert rules" are
the specification; docs/clock.md records how each sentence is implemented and the decisions taken
where the text is silent.

The case is replayed as a timeline. Events are applied in (occurred_at, arrival) order; between two
events the only instants at which anything time-based can change are local midnights, and of those
only a few matter (an acceptance window's lapse, the day DUE_SOON starts holding, the day after a due
date). The walk jumps from one such midnight to the next, so its cost does not grow with the length
of the case, and the same computation yields `next_check_at`.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Mapping, Sequence
from zoneinfo import ZoneInfo

from . import rules
from .rules import Finding

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
END_TYPES = ("completed", "rejected", "withdrawn")
DECISIONS = ("accepted", "rejected", "supplement_requested")


@dataclass(frozen=True)
class StepRule:
    code: str
    limit_days: int
    required: bool = True


@dataclass(frozen=True)
class ItemRules:
    """The clock's view of one item version."""
    promised_days: int
    legal_days: int
    warn_days: int = 2
    max_extension_days: int = 10
    steps: tuple = ()
    fees: Mapping[str, Decimal] = field(default_factory=dict)  # fee code -> max_amount; empty = free
    accept_days: int = 5  # the acceptance window (Administrative Licensing Law art. 32)


@dataclass(frozen=True)
class Event:
    seq: int  # arrival order: breaks ties between events that occurred at the same instant
    type: str
    occurred_at: datetime  # aware
    data: Mapping = field(default_factory=dict)


@dataclass
class StepState:
    code: str
    limit_days: int
    required: bool
    started_at: datetime | None = None
    start_day: date | None = None  # the day its limit counts from (S for an implicit first step)
    completed_at: datetime | None = None
    due: date | None = None
    status: str = "pending"  # pending, in_progress, completed
    overdue: bool = False


@dataclass
class CaseState:
    status: str
    received_at: datetime | None = None
    clock_start: date | None = None
    deemed_accepted: bool = False
    promised_limit_days: int | None = None
    legal_limit_days: int | None = None
    promised_due: date | None = None
    legal_due: date | None = None
    suspended_working_days: int = 0
    extension_days: int = 0
    remaining_working_days: int | None = None
    late: bool = False
    ended_at: datetime | None = None
    alerts: list = field(default_factory=list)  # [Finding], in raised order
    alert_level: str | None = None  # highest level among findings not closed
    steps: list = field(default_factory=list)  # [StepState], in the item's order
    notes: list = field(default_factory=list)  # data-quality notes: [{"note", "seq", "type", "occurred_at", "detail"}]
    next_check_at: datetime | None = None


def compute(item: ItemRules, events: Sequence[Event], cal, as_of: datetime, tz: ZoneInfo = DEFAULT_TZ,
            levels: Mapping[str, str] | None = None) -> CaseState:
    """The case as it stood at `as_of`: events with occurred_at <= as_of, time rules evaluated then.

    `cal` is a working-day calendar (workdays.arith.WorkCalendar or anything with is_workday, add_wd
    and wd_between); `levels` overrides the default level of any rule.
    """
    _require_aware(as_of, "as_of")
    for event in events:
        _require_aware(event.occurred_at, f"event {event.seq} occurred_at")
    ordered = sorted((e for e in events if e.occurred_at <= as_of), key=_order)
    run = _Run(item, cal, tz, levels or {}, ordered)
    for event in ordered:
        run.advance(event.occurred_at)
        run.apply(event)
        run.evaluate(event.occurred_at)
    run.advance(as_of)
    return run.state(as_of)


def _order(event):
    """occurred_at, then arrival; a `received` goes first among events of the very same instant."""
    return (event.occurred_at, event.type != "received", event.seq)


def _require_aware(instant, name):
    if not isinstance(instant, datetime) or instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name}: an aware datetime (with a UTC offset) is required, got {instant!r}")


def explicit_starts(item, ordered):
    """Step codes that get an applied `step_started` event: the first one sent for a step before
    that step's completion, among the events between the case's `received` and its end."""
    codes = {s.code for s in item.steps}
    started, completed = set(), set()
    received = False
    for event in ordered:
        if not received:
            received = event.type == "received"
            continue
        step = (event.data or {}).get("step")
        if event.type == "step_started" and step in codes and step not in completed:
            started.add(step)
        elif event.type == "step_completed" and step in codes:
            completed.add(step)
        elif event.type in END_TYPES:
            break
    return started


class _Run:
    """One replay of a case's timeline."""

    def __init__(self, item, cal, tz, levels, ordered):
        self.item, self.cal, self.tz, self.levels = item, cal, tz, levels
        self.now = None
        self.findings = {}
        self.notes = []
        self.received_at = None
        self.window_opened = None  # the day the open acceptance window opened (R or P)
        self.window_end = None  # its last day; None when no window is open
        self.awaiting_supplement = False
        self.supplements = 0
        self.clock_start = None  # S
        self.clock_at = None  # the instant the clock started (acceptance, or the lapse midnight)
        self.deemed = False
        self.suspensions = []  # closed (s, r) day pairs
        self.open_suspension = None  # s of the open one
        self.extension = 0
        self.ended_at = None
        self.end_type = None
        self.steps = [StepState(s.code, s.limit_days, s.required) for s in item.steps]
        self.step_index = {s.code: i for i, s in enumerate(self.steps)}
        self.explicit = explicit_starts(item, ordered)

    # -- time ---------------------------------------------------------------------------------
    def day(self, instant):
        return instant.astimezone(self.tz).date()

    def midnight(self, day):
        return datetime.combine(day, time(0), tzinfo=self.tz)

    def advance(self, to):
        """Apply every midnight transition up to and including `to` (before events at `to`)."""
        if self.now is None:
            self.now = to
            return
        while True:
            nxt = self.next_transition()
            if nxt is None or nxt > to:
                break
            self.now = nxt
            self.lapse_window(nxt)
            self.evaluate(nxt)
        self.now = max(self.now, to)

    def next_transition(self):
        """The next local midnight after `now` at which a time rule could fire or the case change."""
        if self.received_at is None or self.ended_at is not None:
            return None
        today = self.day(self.now)
        days = []
        if self.window_end is not None:
            days.append(self.window_end + timedelta(days=1))
        if self.open_suspension is None:
            days.extend(self.clock_days(today))
            days.extend(self.step_days(today))
        days = [d for d in days if d > today]
        return self.midnight(min(days)) if days else None

    def clock_days(self, today):
        if self.clock_start is None:
            return []
        due, legal = self.promised_due(today), self.legal_due(today)
        days = [due + timedelta(days=1)]
        if rules.LEGAL_OVERDUE not in self.raised_rules():
            days.append(legal + timedelta(days=1))
        soon = self.due_soon_day(today, due)
        if soon is not None:
            days.append(soon)
        return days

    def due_soon_day(self, today, due):
        """The first day after today on which DUE_SOON holds, if it is still to come."""
        window = rules.due_soon_window(self.item.promised_days, self.item.warn_days)
        if window is None or rules.DUE_SOON in self.raised_rules():
            return None
        lo, hi = today + timedelta(days=1), due
        if lo > hi:
            return None
        while lo < hi:  # smallest d in [lo, hi] with wd_between(d, due) <= window (monotone in d)
            mid = lo + timedelta(days=(hi - lo).days // 2)
            if self.cal.wd_between(mid, due) <= window:
                hi = mid
            else:
                lo = mid + timedelta(days=1)
        return lo

    def step_days(self, today):
        return [self.step_due(step, today) + timedelta(days=1) for step in self.active_steps()
                if (rules.STEP_OVERDUE, step.code) not in self.findings]

    # -- the clock ----------------------------------------------------------------------------
    def suspended_days(self, today, since=None, until=None):
        """Working days suspended, the open suspension counted to `today`; only days after `since`
        and up to `until` when given (a step's own span)."""
        spans = list(self.suspensions)
        if self.open_suspension is not None:
            spans.append((self.open_suspension, today))
        total = 0
        for start, end in spans:
            if since is not None:
                start = max(start, since)
            if until is not None:
                end = min(end, until)
            if end > start:
                total += self.cal.wd_between(start, end)
        return total

    def promised_due(self, today):
        return self.cal.add_wd(self.clock_start, self.item.promised_days + self.suspended_days(today) + self.extension)

    def legal_due(self, today):
        return self.cal.add_wd(self.clock_start, self.item.legal_days + self.suspended_days(today) + self.extension)

    def remaining(self, today):
        due = self.promised_due(today)
        if today <= due:
            return self.cal.wd_between(today, due)
        return -self.cal.wd_between(due, today)

    def step_due(self, step, today):
        until = self.day(step.completed_at) if step.completed_at else None
        extra = self.suspended_days(today, since=step.start_day, until=until)
        return self.cal.add_wd(step.start_day, step.limit_days + extra)

    def active_steps(self):
        return [s for s in self.steps if s.started_at is not None and s.completed_at is None]

    # -- findings -----------------------------------------------------------------------------
    def raised_rules(self):
        return {rule for rule, _ in self.findings}

    def raise_(self, rule, at, step=None, detail=""):
        key = (rule, step if rule in rules.PER_STEP else None)
        if key not in self.findings:
            self.findings[key] = Finding(rule, rules.level_of(rule, self.levels), key[1], at, detail)

    def close_due_soon(self, at):
        finding = self.findings.get((rules.DUE_SOON, None))
        if finding is not None and finding.closed_at is None:
            finding.closed_at = at

    def note(self, event, code, detail=""):
        self.notes.append({"note": code, "seq": event.seq, "type": event.type,
                           "occurred_at": event.occurred_at.isoformat(), "detail": detail})

    def evaluate(self, at):
        """Raise the time rules that hold at instant `at`."""
        if self.received_at is None or self.ended_at is not None or self.open_suspension is not None:
            return
        today = self.day(at)
        if self.clock_start is not None:
            self.evaluate_clock(at, today)
        for step in self.active_steps():
            due = self.step_due(step, today)
            if today > due:
                self.raise_(rules.STEP_OVERDUE, at, step.code, f"环节 {step.code} 应于 {due.isoformat()} 前完成")

    def evaluate_clock(self, at, today):
        """DUE_SOON is judged on its own condition, like every rule; when it first holds while the case
        is already past due (a clock that starts late: deemed acceptance of a short item), it is raised
        and closed at the same instant, since DUE_SOON closes when the case turns OVERDUE."""
        due, legal = self.promised_due(today), self.legal_due(today)
        remaining = self.remaining(today)
        if rules.due_soon_holds(self.item.promised_days, self.item.warn_days, remaining):
            self.raise_(rules.DUE_SOON, at, detail=f"距承诺办结日 {due.isoformat()} 还剩 {remaining} 个工作日")
        if today > due:
            self.raise_(rules.OVERDUE, at, detail=f"已超过承诺办结日 {due.isoformat()}")
            self.close_due_soon(at)
        if today > legal:
            self.raise_(rules.LEGAL_OVERDUE, at, detail=f"已超过法定办结日 {legal.isoformat()}")

    # -- transitions --------------------------------------------------------------------------
    def lapse_window(self, at):
        """At the midnight after an acceptance window's last day: ACCEPT_LATE, deemed acceptance."""
        if self.window_end is None or self.day(at) <= self.window_end:
            return
        opened, end = self.window_opened, self.window_end
        self.raise_(rules.ACCEPT_LATE, at, detail=f"至 {end.isoformat()} 仍未作出受理决定，视为受理")
        self.start_clock(at, opened, deemed=True)

    def start_clock(self, at, day, deemed):
        self.clock_start, self.clock_at, self.deemed = day, at, deemed
        self.window_end = self.window_opened = None
        self.awaiting_supplement = False
        if self.steps and self.steps[0].code not in self.explicit:
            self.start_step(self.steps[0], at, day)

    def start_step(self, step, at, day):
        if step.started_at is None and step.completed_at is None:
            step.started_at, step.start_day = at, day

    def open_window(self, day):
        self.window_opened, self.window_end = day, self.cal.add_wd(day, self.item.accept_days)

    def end(self, event):
        today = self.day(event.occurred_at)
        if self.open_suspension is not None:
            self.suspensions.append((self.open_suspension, today))
            self.open_suspension = None
        self.ended_at, self.end_type = event.occurred_at, event.type
        self.window_end = self.window_opened = None
        self.close_due_soon(event.occurred_at)

    # -- events -------------------------------------------------------------------------------
    def apply(self, event):
        if event.type == "fee_charged":
            return self.on_fee(event)
        if self.received_at is None and event.type != "received":
            return self.note(event, "before_received", "occurred before the case's received event; ignored")
        if self.ended_at is not None:
            return self.note(event, "after_end", f"occurred after the case ended ({self.end_type}); ignored")
        handler = getattr(self, f"on_{event.type}", None)
        if handler is None:
            return self.note(event, "unknown_type", "not an event type the clock knows")
        handler(event)

    def on_received(self, event):
        if self.received_at is not None:
            return self.note(event, "duplicate_received", "the case was already received; ignored")
        self.received_at = event.occurred_at
        self.open_window(self.day(event.occurred_at))

    def on_supplement_requested(self, event):
        self.supplements += 1
        if self.supplements > 1:
            self.raise_(rules.REPEATED_SUPPLEMENT, event.occurred_at,
                        detail=f"第 {self.supplements} 次要求补正材料（违反一次性告知）")
        if self.clock_start is not None:
            return self.note(event, "supplement_after_acceptance",
                             "the case was already accepted; the clock is unchanged")
        self.awaiting_supplement = True
        self.window_end = self.window_opened = None

    def on_supplement_received(self, event):
        if not self.awaiting_supplement:
            return self.note(event, "no_open_supplement", "no supplement request is open; ignored")
        self.awaiting_supplement = False
        self.open_window(self.day(event.occurred_at))

    def on_accepted(self, event):
        if self.clock_start is not None:
            how = "deemed accepted" if self.deemed else "accepted"
            return self.note(event, "already_accepted", f"the case was already {how}; ignored")
        self.start_clock(event.occurred_at, self.day(event.occurred_at), deemed=False)

    def on_rejected(self, event):
        self.end(event)

    def on_withdrawn(self, event):
        self.end(event)

    def on_completed(self, event):
        at = event.occurred_at
        if self.clock_start is None:
            self.raise_(rules.NO_ACCEPTANCE, at, detail="未受理即办结（先办后受）")
        missing = [s.code for s in self.steps if s.required and s.completed_at is None]
        if missing:
            self.raise_(rules.STEP_SKIPPED, at, detail="必经环节未完成：" + "、".join(missing))
        self.end(event)

    def step_of(self, event):
        step = (event.data or {}).get("step")
        if step not in self.step_index:
            self.note(event, "unknown_step", f"step {step!r} is not a step of this item; ignored")
            return None
        return self.steps[self.step_index[step]]

    def check_step_event(self, event, step, verb):
        at = event.occurred_at
        if self.clock_start is None:
            self.raise_(rules.NO_ACCEPTANCE, at, detail=f"环节 {step.code} 在受理前{verb}（先办后受）")
        earlier = [s.code for s in self.steps[: self.step_index[step.code]] if s.required and s.completed_at is None]
        if earlier:
            self.raise_(rules.STEP_OUT_OF_ORDER, at, step.code,
                        f"环节 {step.code} 在 {'、'.join(earlier)} 完成前{verb}")

    def on_step_started(self, event):
        step = self.step_of(event)
        if step is None:
            return
        if step.completed_at is not None:
            return self.note(event, "step_start_after_completion", f"step {step.code} already completed; ignored")
        if step.started_at is not None:  # only an explicit start can precede this (see explicit_starts)
            return self.note(event, "duplicate_step_start", f"step {step.code} already started; ignored")
        self.check_step_event(event, step, "开始")
        step.started_at, step.start_day = event.occurred_at, self.day(event.occurred_at)

    def on_step_completed(self, event):
        step = self.step_of(event)
        if step is None:
            return
        if step.completed_at is not None:
            return self.note(event, "duplicate_step_completion", f"step {step.code} already completed; ignored")
        self.check_step_event(event, step, "完成")
        at, today = event.occurred_at, self.day(event.occurred_at)
        if step.started_at is None:
            step.started_at, step.start_day = at, today
        step.completed_at = at
        index = self.step_index[step.code]
        if index + 1 < len(self.steps) and self.steps[index + 1].code not in self.explicit:
            self.start_step(self.steps[index + 1], at, today)

    def on_suspended(self, event):
        if self.clock_start is None:
            return self.note(event, "suspended_not_running", "the clock is not running; ignored")
        if self.open_suspension is not None:
            return self.note(event, "already_suspended", "a suspension is already open; ignored")
        today = self.day(event.occurred_at)
        due = self.promised_due(today)
        if today > due:
            self.raise_(rules.SUSPENSION_AFTER_DUE, event.occurred_at,
                        detail=f"{today.isoformat()} 暂停计时，已晚于承诺办结日 {due.isoformat()}")
        self.open_suspension = today

    def on_resumed(self, event):
        if self.open_suspension is None:
            return self.note(event, "resumed_not_suspended", "no suspension is open; ignored")
        self.suspensions.append((self.open_suspension, self.day(event.occurred_at)))
        self.open_suspension = None

    def on_extended(self, event):
        today = self.day(event.occurred_at)
        due = self.promised_due(today) if self.clock_start is not None else None
        problem = rules.extension_problem(event.data or {}, self.item.max_extension_days, self.extension > 0,
                                          today, due)
        if problem:
            self.raise_(rules.EXTENSION_INVALID, event.occurred_at, detail=problem)
            return self.note(event, "extension_invalid", problem + "; not applied")
        self.extension = rules.extension_days(event.data or {})

    def on_fee(self, event):
        data = event.data or {}
        result = rules.fee_finding(self.item.fees, data.get("fee_code"), data.get("amount"))
        if result is not None:
            self.raise_(result[0], event.occurred_at, detail=result[1])
        elif rules.parse_amount(data.get("amount")) is None:
            self.note(event, "unreadable_amount", f"amount {data.get('amount')!r} is not a decimal number")

    # -- the result ---------------------------------------------------------------------------
    def status(self):
        if self.received_at is None:
            return "incomplete"
        if self.ended_at is not None:
            return self.end_type
        if self.open_suspension is not None:
            return "suspended"
        if self.clock_start is not None:
            return "in_progress"
        return "awaiting_supplement" if self.awaiting_supplement else "received"

    def state(self, as_of):
        today = self.day(as_of)
        state = CaseState(status=self.status(), received_at=self.received_at, ended_at=self.ended_at,
                          notes=self.notes)
        if self.received_at is not None:
            state.promised_limit_days, state.legal_limit_days = self.item.promised_days, self.item.legal_days
        state.suspended_working_days = self.suspended_days(today)
        state.extension_days = self.extension
        if self.clock_start is not None:
            self.clock_state(state, today)
        state.steps = [self.step_state(step, today) for step in self.steps]
        state.alerts = sorted(self.findings.values(), key=lambda f: f.raised_at)
        state.alert_level = rules.highest(f.level for f in state.alerts if f.closed_at is None)
        if self.ended_at is None and self.open_suspension is None:
            state.next_check_at = self.next_transition()
        return state

    def clock_state(self, state, today):
        state.clock_start, state.deemed_accepted = self.clock_start, self.deemed
        state.promised_due, state.legal_due = self.promised_due(today), self.legal_due(today)
        if self.ended_at is None:
            state.remaining_working_days = self.remaining(today)
            state.late = today > state.promised_due
        else:
            state.late = self.day(self.ended_at) > state.promised_due

    def step_state(self, step, today):
        if step.started_at is not None:
            step.due = self.step_due(step, today)
            step.status = "completed" if step.completed_at is not None else "in_progress"
            step.overdue = (rules.STEP_OVERDUE, step.code) in self.findings
        return step
