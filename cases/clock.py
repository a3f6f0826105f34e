"""The case clock: (item rules, events, calendar, instant) -> the case as it stood at that instant.

Pure: no Django, no `now()`; time is a parameter. DOMAIN.md "The case clock" and "Alert rules" are
the specification; docs/clock.md records how each sentence is implemented and the decisions taken
where the text is silent.

The case is replayed as a timeline. Events are applied in (occurred_at, arrival) order; between two
events the only instants at which anything time-based can change are local midnights, and of those
only a few matter (an acceptance window's lapse, the day DUE_SOON starts holding, the day after a due
date). The walk jumps from one such midnight to the next, so its cost does not grow with the length
of the case, and the same computation yields `next_check_at`.

It is the hot path of ingest, the sweeper and the case API, hence a few caches (see _Run): the due
dates and each step's due are kept until what they depend on changes; every local day is computed
once per event or midnight; the time rules are judged and the next midnight found in one pass.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Mapping, Sequence
from zoneinfo import ZoneInfo

from . import rules
from .rules import Finding

DEFAULT_TZ = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class StepRule:
    code: str
    limit_days: int
    required: bool = True
    kind: str = ""  # the catalog's optional kind: handle / review / approve (rules.STEP_KINDS)
    name: str = ""  # the catalog's name (承办, 审核…): what an alert's detail says, never the code


@dataclass(frozen=True)
class ItemRules:
    """The clock's view of one item version."""
    promised_days: int
    legal_days: int
    warn_days: int = 2
    max_extension_days: int = 10
    steps: tuple = ()
    fees: Mapping[str, Decimal] = field(default_factory=dict)  # fee code -> max_amount; empty = free
    fee_names: Mapping[str, str] = field(default_factory=dict)  # fee code -> name, for alert details
    accept_days: int = 5  # the acceptance window (Administrative Licensing Law art. 32)
    # step code -> rules.HANDLE / rules.APPROVE: the steps SAME_HANDLER_APPROVAL opposes (derived once
    # per item version, not per case)
    duties: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "duties", rules.duty_steps((s.code, s.kind) for s in self.steps))


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
    completed_by: str | None = None  # the `staff` of the completion that counts (the first)
    due: date | None = None
    status: str = "pending"  # pending, in_progress, completed
    overdue: bool = False
    name: str = ""  # the catalog's step name, for alert details


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

    `events` are Event objects or anything with their seq, type, occurred_at and data (the
    projection passes the rows it read); `cal` is a working-day calendar (workdays.arith.WorkCalendar
    or anything with is_workday, add_wd and wd_between); `levels` overrides the default level of any rule.
    """
    _require_aware(as_of, "as_of")
    for event in events:
        at = event.occurred_at
        if not (isinstance(at, datetime) and type(at.tzinfo) in _ALWAYS_AWARE):  # the common case, cheaply
            _require_aware(at, f"event {event.seq} occurred_at")
    ordered = sorted([e for e in events if e.occurred_at <= as_of], key=_order)
    run = _Run(item, cal, tz, levels or {})
    last = len(ordered) - 1
    for i, event in enumerate(ordered):
        at = event.occurred_at
        run.advance(at)
        run.apply(event)
        if i == last or ordered[i + 1].occurred_at != at:  # the case at `at` is after all its events
            run.settle(at, run.today)
    run.advance(as_of)
    return run.state(as_of)


def _order(event):
    """occurred_at, then arrival (DOMAIN.md: "ties: arrival order"), except that a `received` goes
    first among events of the very same instant: DOMAIN.md applies events "whatever order they
    arrive in", and a 即办 case's `received` and `accepted` share their instant (the worked example)."""
    return (event.occurred_at, event.type != "received", event.seq)


# tzinfo classes whose utcoffset() is never None: a datetime with one of these is aware
_ALWAYS_AWARE = (timezone, ZoneInfo)


def _require_aware(instant, name):
    if not isinstance(instant, datetime) or instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name}: an aware datetime (with a UTC offset) is required, got {instant!r}")


class _Run:
    """One replay of a case's timeline.

    `now` is the instant reached and `today` its local day (computed once per event or midnight).

    Caches (the due dates are asked for at every event and midnight, but change only at a few):
    - `_dues`: (promised_due, legal_due), and `_step_dues`: step code -> its due. Whatever changes S,
      the suspensions or the extension calls `clock_changed()` (start_clock, suspend, resume,
      on_extended), which drops both; whatever changes a step's start or completion calls
      `step_changed(step)`, which drops that step's. While a suspension is open the due dates
      depend on `today` (its days so far count): they are then computed afresh, not cached.
    - `_soon`: the first day on which DUE_SOON's remaining condition can hold, for `_dues`
      (dropped with it).
    """

    __slots__ = ("item", "cal", "tz", "levels", "now", "today", "next_at", "findings", "notes", "received_at",
                 "window_opened", "window_end", "awaiting_supplement", "supplements", "clock_start", "clock_at",
                 "deemed", "suspensions", "open_suspension", "extension", "ended_at", "end_type", "steps",
                 "step_index", "completed_day", "implicit", "soon_window", "timed_steps", "_dues", "_promised_wd",
                 "_soon", "_step_dues", "_midnights", "duties",
                 "duty_staff")  # one run per compute: slots make it cheaper to set up

    def __init__(self, item, cal, tz, levels):
        self.item, self.cal, self.tz, self.levels = item, cal, tz, levels
        self.now = self.today = None
        self.next_at = None  # the next transition after `now`, as the case stood after `now` (settle)
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
        self.suspensions = []  # closed (s, r) day pairs; only ever appended to
        self.open_suspension = None  # s of the open one
        self.extension = 0
        self.ended_at = None
        self.end_type = None
        self.steps = [StepState(s.code, s.limit_days, s.required, name=s.name or s.code) for s in item.steps]
        self.step_index = {s.code: i for i, s in enumerate(self.steps)}
        self.completed_day = {}  # step code -> local day of its completed_at
        self.implicit = set()  # codes of steps started implicitly, not (yet) by their own step_started
        self.soon_window = rules.due_soon_window(item.promised_days, item.warn_days)
        self._dues = None
        self._promised_wd = None  # promised_due = add_wd(S, _promised_wd), with _dues
        self._soon = None
        self._step_dues = {}
        self._midnights = {}
        self.timed_steps = []  # see find_timed_steps
        self.duties = item.duties
        self.duty_staff = None  # {HANDLE: {staff key: step code}, APPROVE: {…}}, once a duty step completes

    # -- time ---------------------------------------------------------------------------------
    def day(self, instant):
        return instant.astimezone(self.tz).date()

    def midnight(self, day):
        """00:00 local of `day`; kept, as a case asks for the same few midnights again and again."""
        at = self._midnights.get(day)
        if at is None:
            at = self._midnights[day] = datetime.combine(day, time(0), tzinfo=self.tz)
        return at

    def advance(self, to):
        """Apply every midnight transition up to and including `to` (before events at `to`).
        Events come in time order, so `to` is never before `now`."""
        if self.now is not None:
            nxt = self.next_at
            while nxt is not None and not nxt > to:
                self.now, self.today = nxt, self.day(nxt)
                self.lapse_window(nxt, self.today)
                self.settle(nxt, self.today)
                nxt = self.next_at
        self.now, self.today = to, to.astimezone(self.tz).date()

    def settle(self, at, today):
        """After all that happens at instant `at` (on local day `today`): raise the time rules that
        hold then, and keep in `next_at` the next transition (see `scan`)."""
        self.next_at = self.scan(today, at)

    def next_transition(self):
        """The next local midnight after `now` at which a time rule could fire or the case change."""
        return self.scan(self.today)

    def scan(self, today, at=None):
        """The next local midnight after `today` at which a time rule could fire or the case change
        (None: none); when `at` is given, first raise the time rules that hold at that instant. One
        pass does both: they look at the same due dates."""
        if self.received_at is None or self.ended_at is not None:
            return None
        days = []
        if self.window_end is not None:
            days.append(self.window_end + ONE_DAY)
        if self.open_suspension is None:  # while suspended no time rule fires
            if self.clock_start is not None:
                due, legal = self.dues(today)
                if at is not None:
                    self.evaluate_clock(at, today, due, legal)
                self.add_clock_days(days, today, due, legal)
            if self.timed_steps:
                self.scan_steps(days, today, at)
        first = None
        for d in days:
            if d > today and (first is None or d < first):
                first = d
        return None if first is None else self.midnight(first)

    def scan_steps(self, days, today, at):
        """STEP_OVERDUE for the steps it watches: raised at `at` (if given) past a step's due, else
        the day after the due is a transition."""
        raised = False
        for step in self.timed_steps:
            due = self.step_due(step, today)
            if at is not None and today > due:
                self.raise_(rules.STEP_OVERDUE, at, step.code, f"环节 {step.name} 应于 {due.isoformat()} 前完成")
                raised = True
            else:
                days.append(due + ONE_DAY)
        if raised:
            self.find_timed_steps()

    def add_clock_days(self, days, today, due, legal):
        days.append(due + ONE_DAY)
        findings = self.findings
        if (rules.LEGAL_OVERDUE, None) not in findings:
            days.append(legal + ONE_DAY)
        if self.soon_window is not None and (rules.DUE_SOON, None) not in findings:
            # the first day after today on which DUE_SOON holds, if it is still to come
            lo = today + ONE_DAY
            if lo <= due:
                days.append(max(lo, self.first_soon_day(lo, due)))

    def first_soon_day(self, lo, due):
        """A day D such that the smallest d in [lo, due] with wd_between(d, due) <= window (a
        condition monotone in d) is max(lo, D)."""
        n, window = self._promised_wd, self.soon_window
        if n - window < 1:
            return self.first_day_within_window(lo, due)
        # promised_due is the n-th working day after S. The (n - window)-th, D, has exactly `window`
        # working days in (D, due], and any day before D has more: D is the first day d at all with
        # wd_between(d, due) <= window. It changes with the due date only.
        if self._soon is None:
            self._soon = self.cal.add_wd(self.clock_start, n - window)
        return self._soon

    def first_day_within_window(self, lo, hi):
        """The smallest d in [lo, hi] with wd_between(d, hi) <= soon_window (binary search)."""
        due, window = hi, self.soon_window
        while lo < hi:
            mid = lo + timedelta(days=(hi - lo).days // 2)
            if self.cal.wd_between(mid, due) <= window:
                hi = mid
            else:
                lo = mid + ONE_DAY
        return lo

    # -- the clock ----------------------------------------------------------------------------
    def suspended_days(self, today, since=None, until=None):
        """Working days suspended, the open suspension counted to `today`; only days after `since`
        and up to `until` when given (a step's own span)."""
        spans = self.suspensions
        if self.open_suspension is not None:
            spans = spans + [(self.open_suspension, today)]
        total = 0
        for start, end in spans:
            if since is not None and since > start:
                start = since
            if until is not None and until < end:
                end = until
            if end > start:
                total += self.cal.wd_between(start, end)
        return total

    def clock_changed(self):
        """S, a suspension or the extension changed: the cached due dates no longer hold."""
        self._dues = self._promised_wd = self._soon = None
        self._step_dues.clear()

    def step_changed(self, step):
        """A step's start or completion changed: its cached due no longer holds, and it may have
        joined or left the timed steps."""
        self._step_dues.pop(step.code, None)
        self.find_timed_steps()

    def find_timed_steps(self):
        """The steps STEP_OVERDUE still watches: started, not completed, not yet raised; item order.
        Called when a step starts or completes (step_changed) and when STEP_OVERDUE is raised."""
        self.timed_steps = [s for s in self.steps if s.started_at is not None and s.completed_at is None
                            and (rules.STEP_OVERDUE, s.code) not in self.findings]

    def dues(self, today):
        """(promised_due, legal_due) as of `today`."""
        if self._dues is not None and self.open_suspension is None:
            return self._dues
        days = self.suspended_days(today) + self.extension
        start, item = self.clock_start, self.item
        dues = (self.cal.add_wd(start, item.promised_days + days), self.cal.add_wd(start, item.legal_days + days))
        if self.open_suspension is None:
            self._dues, self._promised_wd = dues, item.promised_days + days
        return dues

    def promised_due(self, today):
        return self.dues(today)[0]

    def legal_due(self, today):
        return self.dues(today)[1]

    def remaining(self, today, due=None):
        """Working days from today to promised_due (`due`, when the caller has it), negative past it."""
        if due is None:
            due = self.promised_due(today)
        if today <= due:
            return self.cal.wd_between(today, due)
        return -self.cal.wd_between(due, today)

    def step_due(self, step, today):
        if self.open_suspension is None:
            due = self._step_dues.get(step.code)
            if due is None:
                due = self._step_dues[step.code] = self.compute_step_due(step, today)
            return due
        return self.compute_step_due(step, today)

    def compute_step_due(self, step, today):
        until = self.completed_day[step.code] if step.completed_at is not None else None
        extra = self.suspended_days(today, since=step.start_day, until=until)
        return self.cal.add_wd(step.start_day, step.limit_days + extra)

    # -- findings -----------------------------------------------------------------------------
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

    def evaluate_clock(self, at, today, due, legal):
        """Raise the clock's time rules that hold at `at`; a rule already raised is not judged again
        (raising it would change nothing).

        DUE_SOON is judged on its own condition, like every rule; when it first holds while the case
        is already past due (a clock that starts late: deemed acceptance of a short item), it is raised
        and closed at the same instant, since DUE_SOON closes when the case turns OVERDUE."""
        findings = self.findings
        if self.soon_window is not None and (rules.DUE_SOON, None) not in findings:
            remaining = self.remaining(today, due)
            if remaining <= self.soon_window and rules.due_soon_holds(self.item.promised_days, self.item.warn_days,
                                                                      remaining):
                self.raise_(rules.DUE_SOON, at, detail=rules.due_soon_detail(due, remaining))
        if today > due:
            if (rules.OVERDUE, None) not in findings:
                self.raise_(rules.OVERDUE, at, detail=f"已超过承诺办结日 {due.isoformat()}")
            self.close_due_soon(at)
        if today > legal and (rules.LEGAL_OVERDUE, None) not in findings:
            self.raise_(rules.LEGAL_OVERDUE, at, detail=f"已超过法定办结日 {legal.isoformat()}")

    # -- transitions --------------------------------------------------------------------------
    def lapse_window(self, at, today):
        """At the midnight after an acceptance window's last day: ACCEPT_LATE, deemed acceptance."""
        if self.window_end is None or today <= self.window_end:
            return
        opened, end = self.window_opened, self.window_end
        self.raise_(rules.ACCEPT_LATE, at, detail=f"至 {end.isoformat()} 仍未作出受理决定，视为受理")
        self.start_clock(at, opened, deemed=True)

    def start_clock(self, at, day, deemed):
        self.clock_start, self.clock_at, self.deemed = day, at, deemed
        self.clock_changed()
        self.window_end = self.window_opened = None
        self.awaiting_supplement = False
        if self.steps:
            self.start_step(self.steps[0], at, day)

    def start_step(self, step, at, day):
        """An implicit start (no step_started of its own so far): a later step_started replaces it."""
        if step.started_at is None and step.completed_at is None:
            step.started_at, step.start_day = at, day
            self.implicit.add(step.code)
            self.step_changed(step)

    def open_window(self, day):
        self.window_opened, self.window_end = day, self.cal.add_wd(day, self.item.accept_days)

    def end(self, event):
        if self.open_suspension is not None:
            self.resume(self.today)
        self.ended_at, self.end_type = event.occurred_at, event.type
        self.window_end = self.window_opened = None
        self.close_due_soon(event.occurred_at)

    # -- events -------------------------------------------------------------------------------
    # Each event is applied right after advance(event.occurred_at): `self.today` is its local day.
    def apply(self, event):
        if event.type == "fee_charged":
            return self.on_fee(event)
        if self.received_at is None and event.type != "received":
            self.check_before_received(event)
            return self.note(event, "before_received", "occurred before the case's received event; ignored")
        if self.ended_at is not None:
            return self.note(event, "after_end", f"occurred after the case ended ({self.end_type}); ignored")
        handler = _HANDLERS.get(event.type) if isinstance(event.type, str) else None
        if handler is None:
            return self.note(event, "unknown_type", "not an event type the clock knows")
        handler(self, event)

    def check_before_received(self, event):
        """A step of the item, or a completion, that occurred before the case was even received was
        done before acceptance (先办后受): NO_ACCEPTANCE, though the event is otherwise ignored."""
        if event.type == "completed" or (event.type in ("step_started", "step_completed")
                                          and (event.data or {}).get("step") in self.step_index):
            self.raise_(rules.NO_ACCEPTANCE, event.occurred_at, detail="受理（收件）前已办理（先办后受）")

    def on_received(self, event):
        if self.received_at is not None:
            return self.note(event, "duplicate_received", "the case was already received; ignored")
        self.received_at = event.occurred_at
        self.open_window(self.today)

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
        self.open_window(self.today)

    def on_accepted(self, event):
        if self.clock_start is not None:
            how = "deemed accepted" if self.deemed else "accepted"
            return self.note(event, "already_accepted", f"the case was already {how}; ignored")
        self.start_clock(event.occurred_at, self.today, deemed=False)

    def on_rejected(self, event):
        self.end(event)

    def on_withdrawn(self, event):
        self.end(event)

    def on_completed(self, event):
        at = event.occurred_at
        if self.clock_start is None:
            self.raise_(rules.NO_ACCEPTANCE, at, detail="未受理即办结（先办后受）")
        missing = [s.name for s in self.steps if s.required and s.completed_at is None]
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
            self.raise_(rules.NO_ACCEPTANCE, at, detail=f"环节 {step.name} 在受理前{verb}（先办后受）")
        earlier = [s.name for s in self.steps[: self.step_index[step.code]] if s.required and s.completed_at is None]
        if earlier:
            self.raise_(rules.STEP_OUT_OF_ORDER, at, step.code,
                        f"环节 {step.name} 在 {'、'.join(earlier)} 完成前{verb}")

    def on_step_started(self, event):
        step = self.step_of(event)
        if step is None:
            return
        if step.completed_at is not None:
            return self.note(event, "step_start_after_completion", f"step {step.code} already completed; ignored")
        if step.started_at is not None and step.code not in self.implicit:
            return self.note(event, "duplicate_step_start", f"step {step.code} already started; ignored")
        self.check_step_event(event, step, "开始")
        self.implicit.discard(step.code)
        step.started_at, step.start_day = event.occurred_at, self.today
        self.step_changed(step)

    def on_step_completed(self, event):
        step = self.step_of(event)
        if step is None:
            return
        if step.completed_at is not None:
            return self.note(event, "duplicate_step_completion", f"step {step.code} already completed; ignored")
        self.check_step_event(event, step, "完成")
        at, today = event.occurred_at, self.today
        if step.started_at is None:
            step.started_at, step.start_day = at, today
        step.completed_at = at
        step.completed_by = (event.data or {}).get("staff")
        self.completed_day[step.code] = today
        self.step_changed(step)
        if self.duties and step.code in self.duties:
            self.check_duties(event, step, self.duties[step.code])
        index = self.step_index[step.code]
        if index + 1 < len(self.steps):
            self.start_step(self.steps[index + 1], at, today)

    def check_duties(self, event, step, kind):
        """SAME_HANDLER_APPROVAL: the staff completing a handling (approval) step already completed an
        approval (handling) step of this case (一人既承办又审批); raised at this, the later, completion."""
        staff, code = step.completed_by, step.code
        who = rules.staff_key(staff)
        if who is None:
            return
        seen = self.duty_staff
        if seen is None:
            seen = self.duty_staff = {rules.HANDLE: {}, rules.APPROVE: {}}
        other = seen[rules.APPROVE if kind == rules.HANDLE else rules.HANDLE].get(who)
        if other is not None:
            handle, approve = (code, other) if kind == rules.HANDLE else (other, code)
            handle, approve = (self.steps[self.step_index[c]].name for c in (handle, approve))
            self.raise_(rules.SAME_HANDLER_APPROVAL, event.occurred_at,
                        detail=f"{staff.strip()} 既完成了承办环节 {handle}，又完成了审批环节 {approve}")
        seen[kind].setdefault(who, code)

    def on_suspended(self, event):
        if self.clock_start is None:
            return self.note(event, "suspended_not_running", "the clock is not running; ignored")
        if self.open_suspension is not None:
            return self.note(event, "already_suspended", "a suspension is already open; ignored")
        today = self.today
        due = self.promised_due(today)
        if today > due:
            self.raise_(rules.SUSPENSION_AFTER_DUE, event.occurred_at,
                        detail=f"{today.isoformat()} 暂停计时，已晚于承诺办结日 {due.isoformat()}")
        self.suspend(today)

    def on_resumed(self, event):
        if self.open_suspension is None:
            return self.note(event, "resumed_not_suspended", "no suspension is open; ignored")
        self.resume(self.today)

    def suspend(self, day):
        self.open_suspension = day
        self.clock_changed()

    def resume(self, day):
        self.suspensions.append((self.open_suspension, day))
        self.open_suspension = None
        self.clock_changed()

    def on_extended(self, event):
        today = self.today
        due = self.promised_due(today) if self.clock_start is not None else None
        problem = rules.extension_problem(event.data or {}, self.item.max_extension_days, self.extension > 0,
                                          today, due)
        if problem:
            self.raise_(rules.EXTENSION_INVALID, event.occurred_at, detail=problem)
            return self.note(event, "extension_invalid", problem + "; not applied")
        self.extension = rules.extension_days(event.data or {})
        self.clock_changed()

    def on_fee(self, event):
        data = event.data or {}
        result = rules.fee_finding(self.item.fees, data.get("fee_code"), data.get("amount"), self.item.fee_names)
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
        today = self.today  # advance(as_of) came last
        state = CaseState(status=self.status(), received_at=self.received_at, ended_at=self.ended_at,
                          notes=self.notes)
        if self.received_at is not None:
            state.promised_limit_days, state.legal_limit_days = self.item.promised_days, self.item.legal_days
        state.suspended_working_days = self.suspended_days(today)
        state.extension_days = self.extension
        if self.clock_start is not None:
            self.clock_state(state, today)
        state.steps = [self.step_state(step, today) for step in self.steps]
        if self.findings:  # else the defaults: no alerts, no level
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


# event type -> _Run.on_<type> (every on_ method, as getattr(run, f"on_{type}") would find it)
_HANDLERS = {name[3:]: method for name, method in vars(_Run).items() if name.startswith("on_")}
