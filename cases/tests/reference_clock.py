"""Independent reference implementation of the case clock, the oracle of test_clock_reference.py.

Written from DOMAIN.md alone ("SPEC") by a developer who never read cases/clock.py, for clarity, not
speed: a day-by-day replay, where cases/clock.py jumps from one due midnight to the next. Its
decisions are in reference_clock_decisions.md; the lines marked `CW:` are the three points where
ClearWindow kept its own reading and the reference was changed to match (see that file's head).

Interface: compute(item: dict, events: [dict in arrival order], is_workday, as_of, tz) -> dict of
the GET /api/v1/cases fields (less the catalog ones).  Time is simulated literally: the case
history is replayed checkpoint by checkpoint, where a checkpoint is either
an event instant or a local midnight (00:00 in ``tz``).  The spec says time
conditions change only at those instants (clause 9), so evaluating every
time rule at every checkpoint finds the first instant each condition holds.

At one checkpoint instant ``t``:
  1. every event with occurred_at == t is applied, in arrival order;
  2. then the time rules are evaluated once, on the resulting state.
So "the state at instant t" always includes every event with
occurred_at <= t, exactly as ``GET ...?as_of=t`` does.

Every interpretation of an unclear point is listed in reference_clock_decisions.md; the code
refers to them as [D#].
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

ACCEPTANCE_WINDOW_DAYS = 5
DEFAULT_WARN_DAYS = 2
DEFAULT_MAX_EXTENSION_DAYS = 10

DEFAULT_LEVELS = {
    "ACCEPT_LATE": "yellow",
    "DUE_SOON": "notice",
    "OVERDUE": "yellow",
    "LEGAL_OVERDUE": "red",
    "STEP_OVERDUE": "notice",
    "NO_ACCEPTANCE": "red",
    "STEP_OUT_OF_ORDER": "yellow",
    "STEP_SKIPPED": "red",
    "REPEATED_SUPPLEMENT": "yellow",
    "SUSPENSION_AFTER_DUE": "red",
    "FEE_OVER_STANDARD": "red",
    "FEE_UNLISTED": "red",
    "EXTENSION_INVALID": "yellow",
    "SAME_HANDLER_APPROVAL": "yellow",
}
LEVEL_RANK = {"notice": 1, "yellow": 2, "red": 3}

END_STATUS = {"completed": "completed", "rejected": "rejected", "withdrawn": "withdrawn"}


# ---------------------------------------------------------------------------
# Working days  (SPEC "Working days")
# ---------------------------------------------------------------------------

def add_wd(d: date, n: int, is_workday) -> date:
    """The n-th working day after d; add_wd(d, 0) == d.

    A negative n walks backwards (never needed for valid items) [D39].
    """
    direction = 1 if n >= 0 else -1
    left = abs(n)
    while left > 0:
        d = d + timedelta(days=direction)
        if is_workday(d):
            left -= 1
    return d


def wd_between(a: date, b: date, is_workday) -> int:
    """Number of working days d with a < d <= b (0 when b <= a)."""
    count = 0
    d = a
    while d < b:
        d = d + timedelta(days=1)
        if is_workday(d):
            count += 1
    return count


def duty_step_codes(steps: list) -> tuple[set, set]:
    """(handling step codes, approval step codes). The catalog's optional step `kind` decides
    wherever any step of the item carries one; otherwise the first step handles and the last approves
    (a single step is both, so nothing to separate)."""
    if any(s.get("kind") for s in steps):
        return ({s["code"] for s in steps if s.get("kind") == "handle"},
                {s["code"] for s in steps if s.get("kind") == "approve"})
    if len(steps) <= 1:
        return set(), set()
    return {steps[0]["code"]}, {steps[-1]["code"]}


def same_person_key(staff):
    """`staff` as compared between two steps: trimmed, letter case ignored; blank = nobody."""
    if not isinstance(staff, str) or not staff.strip():
        return None
    return staff.strip().lower()


# ---------------------------------------------------------------------------
# Local time helpers
# ---------------------------------------------------------------------------

def local_date(t: datetime, tz) -> date:
    return t.astimezone(tz).date()


def local_midnight(d: date, tz) -> datetime:
    """00:00 local on day d."""
    return datetime.combine(d, time(0, 0), tzinfo=tz)


def end_of_day(d: date, tz) -> datetime:
    """The instant at which local day d ends = 00:00 local of the next day [D1]."""
    return local_midnight(d + timedelta(days=1), tz)


def as_aware_datetime(value):
    """The event's occurred_at as an aware datetime, or None if unusable [D29]."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        return None
    return value


def as_decimal(value):
    """A finite Decimal, or None when the value cannot be read as one [D30]."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    return number


# ---------------------------------------------------------------------------
# Case state
# ---------------------------------------------------------------------------

@dataclass
class Step:
    code: str
    limit: int
    required: bool
    start: date | None = None      # date the step started (explicit or implicit)
    start_explicit: bool = False   # True once a step_started event set the start
    completed: bool = False


@dataclass
class Suspension:
    start: date
    end: date | None = None        # None while the suspension is open


class Case:
    def __init__(self, item: dict, is_workday, tz):
        self.is_workday = is_workday
        self.tz = tz
        self.N = int(item.get("promised_days", 0) or 0)
        self.L = int(item.get("legal_days", 0) or 0)
        warn = item.get("warn_days")
        self.warn_days = DEFAULT_WARN_DAYS if warn is None else int(warn)
        max_ext = item.get("max_extension_days")
        self.max_extension_days = DEFAULT_MAX_EXTENSION_DAYS if max_ext is None else int(max_ext)
        self.fees = {code: as_decimal(amount) for code, amount in (item.get("fees") or {}).items()}
        self.steps = [
            Step(code=s["code"], limit=int(s.get("limit_days", 0) or 0), required=bool(s.get("required", False)))
            for s in (item.get("steps") or [])
        ]

        self.handling_steps, self.approval_steps = duty_step_codes(item.get("steps") or [])
        self.completed_by: dict[str, str] = {}      # step code -> who completed it [SAME_HANDLER_APPROVAL]

        self.received_at: datetime | None = None
        self.window_opened: date | None = None     # R or P of the open acceptance window
        self.window_end: date | None = None        # add_wd(R or P, 5); None = no open window
        self.awaiting_supplement = False
        self.supplement_requests = 0
        self.clock_start: date | None = None       # S
        self.deemed = False
        self.suspensions: list[Suspension] = []
        self.extension_days = 0
        self.ended_at: datetime | None = None
        self.end_status: str | None = None
        self.alerts: dict[tuple, dict] = {}        # (rule, step) -> alert
        self.notes: list[str] = []                 # data-quality notes (not returned) [D32]

    # ---- simple predicates -------------------------------------------------

    @property
    def received(self) -> bool:
        return self.received_at is not None

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    @property
    def has_clock(self) -> bool:
        return self.clock_start is not None

    @property
    def suspended(self) -> bool:
        return bool(self.suspensions) and self.suspensions[-1].end is None

    def day(self, t: datetime) -> date:
        return local_date(t, self.tz)

    def find_step(self, code):
        for index, step in enumerate(self.steps):
            if step.code == code:
                return index, step
        return None, None

    def note(self, text: str) -> None:
        self.notes.append(text)

    # ---- alerts ------------------------------------------------------------

    def raise_alert(self, rule: str, raised_at: datetime, step: str | None = None) -> None:
        """One alert per (case, rule), or per (case, rule, step) for step rules."""
        key = (rule, step)
        if key in self.alerts:
            return
        self.alerts[key] = {
            "rule": rule,
            "level": DEFAULT_LEVELS[rule],
            "step": step,
            "raised_at": raised_at.astimezone(self.tz),
        }

    # ---- clause 3: suspended working days ----------------------------------

    def suspended_days(self, today: date) -> int:
        """wd_between(s, r) for each interval; an open one counts up to today."""
        total = 0
        for s in self.suspensions:
            total += wd_between(s.start, s.end if s.end is not None else today, self.is_workday)
        return total

    def suspended_days_after(self, start: date, today: date) -> int:
        """Suspended working days that fall after `start` (for step dues) [D24]."""
        total = 0
        for s in self.suspensions:
            end = s.end if s.end is not None else today
            total += wd_between(max(s.start, start), end, self.is_workday)
        return total

    # ---- clause 5: due dates -----------------------------------------------

    def promised_due(self, today: date) -> date | None:
        if not self.has_clock:
            return None
        return add_wd(self.clock_start, self.N + self.suspended_days(today) + self.extension_days, self.is_workday)

    def legal_due(self, today: date) -> date | None:
        if not self.has_clock:
            return None
        return add_wd(self.clock_start, self.L + self.suspended_days(today) + self.extension_days, self.is_workday)

    # ---- clause 6: remaining -----------------------------------------------

    def remaining(self, today: date) -> int | None:
        if not self.has_clock or self.ended:
            return None
        due = self.promised_due(today)
        if today <= due:
            return wd_between(today, due, self.is_workday)
        return -wd_between(due, today, self.is_workday)

    # ---- clause 7: late ----------------------------------------------------

    def late(self, today: date) -> bool:
        if not self.has_clock:
            return False
        due = self.promised_due(today)
        if self.ended:
            return self.day(self.ended_at) > due  # CW: an end at 00:00 of the next day is late
        return today > due

    # ---- clause 8: step due ------------------------------------------------

    def step_due(self, step: Step, today: date) -> date:
        extra = self.suspended_days_after(step.start, today)
        return add_wd(step.start, step.limit + extra, self.is_workday)

    # ---- clause 1: acceptance windows ----------------------------------------

    def open_window(self, opened: date) -> None:
        self.window_opened = opened
        self.window_end = add_wd(opened, ACCEPTANCE_WINDOW_DAYS, self.is_workday)
        self.awaiting_supplement = False

    def close_window(self) -> None:
        self.window_opened = None
        self.window_end = None

    # ---- clause 2: clock start (+ clause 8: first step starts on S) ---------

    def start_clock(self, start: date) -> None:
        self.clock_start = start
        if self.steps:
            first = self.steps[0]
            if first.start is None and not first.completed:       # [D22]
                first.start = start
                first.start_explicit = False

    # ---- clause 7: ends -------------------------------------------------------

    def end_case(self, t: datetime, status: str) -> None:
        if self.suspended:                                           # [D14]
            self.suspensions[-1].end = self.day(t)
        self.close_window()
        self.awaiting_supplement = False
        self.ended_at = t
        self.end_status = status

    # =========================================================================
    # Events
    # =========================================================================

    def apply_event(self, ev: dict, t: datetime) -> None:
        kind = ev.get("type")
        if kind == "fee_charged":                                    # [D30]
            self.check_fee(ev, t)
            return
        if self.ended:
            self.note(f"{kind} at {t}: after the end, ignored")
            return
        if not self.received:
            if kind == "received":
                self.on_received(ev, t)
            else:
                self.before_received(ev, t)
            return
        handler = getattr(self, f"on_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            self.note(f"unknown event type {kind!r} at {t}, ignored")   # [D29]
            return
        handler(ev, t)

    def is_known_step_event(self, ev: dict) -> bool:
        return ev.get("type") in ("step_started", "step_completed") and self.find_step(ev.get("step"))[1] is not None

    def before_received(self, ev: dict, t: datetime) -> None:
        """No case yet: only NO_ACCEPTANCE is judged; the clock ignores the event [D3]."""
        if self.is_known_step_event(ev) or ev.get("type") == "completed":
            self.raise_alert("NO_ACCEPTANCE", t)
        self.note(f"{ev.get('type')} at {t}: before received, ignored by the clock")

    def flag_no_acceptance(self, t: datetime) -> None:
        """NO_ACCEPTANCE: a step or completion before acceptance, real or deemed [D26]."""
        if not self.has_clock:
            self.raise_alert("NO_ACCEPTANCE", t)

    # ---- received / supplements / decisions --------------------------------

    def on_received(self, ev: dict, t: datetime) -> None:
        if self.received:
            self.note(f"second received at {t}, ignored")              # [D4]
            return
        self.received_at = t
        self.open_window(self.day(t))

    def on_supplement_requested(self, ev: dict, t: datetime) -> None:
        self.supplement_requests += 1
        if self.supplement_requests >= 2:
            self.raise_alert("REPEATED_SUPPLEMENT", t)
        if self.has_clock:                                           # [D7]
            self.note(f"supplement_requested at {t} after acceptance: no effect on the clock")
            return
        self.close_window()
        self.awaiting_supplement = True

    def on_supplement_received(self, ev: dict, t: datetime) -> None:
        if not self.awaiting_supplement:                             # [D6]
            self.note(f"supplement_received at {t} without an open request, ignored")
            return
        self.open_window(self.day(t))

    def on_accepted(self, ev: dict, t: datetime) -> None:
        if self.has_clock:                                           # [D9]
            self.note(f"accepted at {t}: clock already started on {self.clock_start}, ignored")
            return
        self.close_window()
        self.awaiting_supplement = False
        self.start_clock(self.day(t))

    def on_rejected(self, ev: dict, t: datetime) -> None:
        self.end_case(t, "rejected")                                 # [D12]

    def on_withdrawn(self, ev: dict, t: datetime) -> None:
        self.end_case(t, "withdrawn")

    def on_completed(self, ev: dict, t: datetime) -> None:
        self.flag_no_acceptance(t)
        if any(step.required and not step.completed for step in self.steps):   # [D27]
            self.raise_alert("STEP_SKIPPED", t)
        self.end_case(t, "completed")                                # [D13]

    # ---- steps -----------------------------------------------------------------

    def check_out_of_order(self, index: int, step: Step, t: datetime) -> None:
        """STEP_OUT_OF_ORDER: an earlier required step has not completed [D25]."""
        if any(earlier.required and not earlier.completed for earlier in self.steps[:index]):
            self.raise_alert("STEP_OUT_OF_ORDER", t, step.code)

    def on_step_started(self, ev: dict, t: datetime) -> None:
        index, step = self.find_step(ev.get("step"))
        if step is None:                                             # [D28]
            self.note(f"step_started at {t}: unknown step {ev.get('step')!r}, ignored")
            return
        self.flag_no_acceptance(t)
        if step.completed or step.start_explicit:                   # [D21]
            self.note(f"step_started {step.code} at {t}: step already completed/started, ignored")
            return
        self.check_out_of_order(index, step, t)
        step.start = self.day(t)
        step.start_explicit = True

    def on_step_completed(self, ev: dict, t: datetime) -> None:
        index, step = self.find_step(ev.get("step"))
        if step is None:                                             # [D28]
            self.note(f"step_completed at {t}: unknown step {ev.get('step')!r}, ignored")
            return
        self.flag_no_acceptance(t)
        if step.completed:
            self.note(f"step_completed {step.code} at {t}: already completed, ignored")
            return
        self.check_out_of_order(index, step, t)
        step.completed = True                                        # [D23]
        self.check_same_handler_approval(step.code, ev.get("staff"), t)
        self.start_next_step_implicitly(index, t)

    def check_same_handler_approval(self, code: str, staff, t: datetime) -> None:
        """SAME_HANDLER_APPROVAL: one person completed both the handling (承办) and the approval (审批)
        step; raised at the later completion. Only the completion that counted (the first) names who
        did a step; an unnamed completion matches nobody."""
        who = same_person_key(staff)
        if who is None:
            return
        self.completed_by[code] = who
        if code in self.handling_steps:
            opposite = self.approval_steps
        elif code in self.approval_steps:
            opposite = self.handling_steps
        else:
            return
        if any(self.completed_by.get(other) == who for other in opposite):
            self.raise_alert("SAME_HANDLER_APPROVAL", t)

    def start_next_step_implicitly(self, index: int, t: datetime) -> None:
        """Clause 8: where no step_started is sent, a step starts when the previous completes [D22]."""
        if index + 1 >= len(self.steps):
            return
        following = self.steps[index + 1]
        if following.start is None and not following.completed:
            following.start = self.day(t)
            following.start_explicit = False

    # ---- suspensions -----------------------------------------------------------

    def on_suspended(self, ev: dict, t: datetime) -> None:
        if not self.has_clock or self.suspended:                     # [D16]
            self.note(f"suspended at {t} while the clock is not running or already suspended, ignored")
            return
        today = self.day(t)
        if today > self.promised_due(today):
            self.raise_alert("SUSPENSION_AFTER_DUE", t)
        self.suspensions.append(Suspension(start=today))

    def on_resumed(self, ev: dict, t: datetime) -> None:
        if not self.suspended:
            self.note(f"resumed at {t} with no open suspension, ignored")
            return
        self.suspensions[-1].end = self.day(t)

    # ---- extension -------------------------------------------------------------

    def extension_is_valid(self, ev: dict, t: datetime) -> bool:
        """Clause 4 validity [D17]."""
        approved_by = ev.get("approved_by")
        if approved_by is None or not str(approved_by).strip():
            return False
        days = ev.get("days")
        if not isinstance(days, int) or isinstance(days, bool):
            return False
        if not 1 <= days <= self.max_extension_days:
            return False
        if self.extension_days != 0:          # a valid extension was already applied
            return False
        if not self.has_clock:                # no current promised due date to be within
            return False
        due = self.promised_due(self.day(t))
        return self.day(t) <= due  # CW: date-based

    def on_extended(self, ev: dict, t: datetime) -> None:
        if self.extension_is_valid(ev, t):
            self.extension_days = ev["days"]
        else:
            self.raise_alert("EXTENSION_INVALID", t)

    # ---- fees ------------------------------------------------------------------

    def check_fee(self, ev: dict, t: datetime) -> None:
        """FEE_UNLISTED / FEE_OVER_STANDARD, judged at any time [D30]."""
        code = ev.get("fee_code")
        if not isinstance(code, str) or code not in self.fees:
            self.raise_alert("FEE_UNLISTED", t)
            return
        amount = as_decimal(ev.get("amount"))
        maximum = self.fees[code]
        if amount is not None and maximum is not None and amount > maximum:
            self.raise_alert("FEE_OVER_STANDARD", t)

    # =========================================================================
    # Time rules (evaluated at each checkpoint, after that instant's events)
    # =========================================================================

    def evaluate_time_rules(self, t: datetime) -> None:
        if not self.received or self.ended:          # nothing time-based after the end
            return
        today = self.day(t)
        self.rule_accept_late(today)                 # [D37]
        if self.suspended:     # clause 3: no time rule while suspended
            return
        if self.has_clock:
            self.rule_due_soon(t, today)
            self.rule_overdue(t, today)
            self.rule_legal_overdue(t, today)
        self.rule_step_overdue(t, today)  # CW: a started step is timed from its start, clock or not

    def rule_accept_late(self, today: date) -> None:
        """Clause 1: window end passed with no decision -> ACCEPT_LATE + deemed acceptance."""
        if self.window_end is None or today <= self.window_end:
            return
        self.raise_alert("ACCEPT_LATE", local_midnight(self.window_end + timedelta(days=1), self.tz))
        opened = self.window_opened
        self.close_window()
        self.deemed = True
        self.start_clock(opened)                                     # [D10]

    def rule_due_soon(self, t: datetime, today: date) -> None:
        """DUE_SOON: remaining <= warn_days (remaining == 0 when N <= warn_days; never for N == 0) [D19]."""
        if self.N == 0:
            return
        rem = self.remaining(today)
        holds = rem == 0 if self.N <= self.warn_days else rem <= self.warn_days
        if holds:
            self.raise_alert("DUE_SOON", t)

    def rule_overdue(self, t: datetime, today: date) -> None:
        if today > self.promised_due(today):
            self.raise_alert("OVERDUE", t)

    def rule_legal_overdue(self, t: datetime, today: date) -> None:
        if today > self.legal_due(today):
            self.raise_alert("LEGAL_OVERDUE", t)

    def rule_step_overdue(self, t: datetime, today: date) -> None:
        """STEP_OVERDUE: a started, uncompleted step past its due [D20]."""
        for step in self.steps:
            if step.start is None or step.completed:
                continue
            if today > self.step_due(step, today):
                self.raise_alert("STEP_OVERDUE", t, step.code)

    # =========================================================================
    # Report (GET /api/v1/cases fields minus catalog ones)
    # =========================================================================

    def status(self) -> str:
        if not self.received:
            return "incomplete"
        if self.ended:
            return self.end_status
        if self.has_clock:
            return "suspended" if self.suspended else "in_progress"
        if self.awaiting_supplement:
            return "awaiting_supplement"
        return "received"

    def alert_status(self, alert: dict) -> str:
        """Only DUE_SOON closes by itself: when the case ends or turns OVERDUE [D31]."""
        if alert["rule"] == "DUE_SOON" and (self.ended or ("OVERDUE", None) in self.alerts):
            return "closed"
        return "open"

    def report(self, as_of: datetime) -> dict:
        today = self.day(as_of)
        alerts = []
        for alert in self.alerts.values():
            entry = dict(alert)
            entry["status"] = self.alert_status(alert)
            alerts.append(entry)
        alerts.sort(key=lambda a: (a["raised_at"], a["rule"], a["step"] or ""))
        open_levels = [a["level"] for a in alerts if a["status"] == "open"]
        alert_level = max(open_levels, key=LEVEL_RANK.__getitem__) if open_levels else None
        return {
            "status": self.status(),
            "received_at": self.received_at.astimezone(self.tz) if self.received_at else None,
            "clock_start": self.clock_start,
            "deemed_accepted": self.deemed,
            "promised_due": self.promised_due(today),
            "legal_due": self.legal_due(today),
            "suspended_working_days": self.suspended_days(today),
            "extension_days": self.extension_days,
            "remaining_working_days": self.remaining(today),
            "late": self.late(today),
            "ended_at": self.ended_at.astimezone(self.tz) if self.ended_at else None,
            "alert_level": alert_level,
            "alerts": alerts,
        }


# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------

def counted_events(events: list[dict], as_of: datetime):
    """(occurred_at, arrival index, event) for events with occurred_at <= as_of,
    in occurred_at order, ties by arrival order."""
    rows = []
    for index, ev in enumerate(events):
        if not isinstance(ev, dict):
            continue
        t = as_aware_datetime(ev.get("occurred_at"))
        if t is None or t > as_of:
            continue
        rows.append((t, index, ev))
    rows.sort(key=lambda row: (row[0], row[2].get("type") != "received", row[1]))  # CW: received first at a tie
    return rows


def checkpoints(rows, as_of: datetime, tz):
    """Yield (instant, [events at that instant in arrival order]) in time order.

    Instants: every event instant, and every local midnight from the day after
    the first event's local date up to as_of's local date [D38].
    """
    by_instant: dict[datetime, list] = {}
    for t, _index, ev in rows:
        by_instant.setdefault(t.astimezone(timezone.utc), []).append((t, ev))
    if rows:
        day = local_date(rows[0][0], tz) + timedelta(days=1)
        last = local_date(as_of, tz)
        while day <= last:
            by_instant.setdefault(local_midnight(day, tz).astimezone(timezone.utc), [])
            day += timedelta(days=1)
    for key in sorted(by_instant):
        batch = by_instant[key]
        yield key, batch


def simulate(item: dict, events: list[dict], is_workday, as_of: datetime, tz) -> Case:
    """Replay the history checkpoint by checkpoint up to as_of."""
    case = Case(item, is_workday, tz)
    for instant, batch in checkpoints(counted_events(events, as_of), as_of, tz):
        local = instant.astimezone(tz)
        if batch and local.hour == local.minute == local.second == local.microsecond == 0:
            case.evaluate_time_rules(instant)  # CW: the midnight first, then the events at it
        for t, ev in batch:
            case.apply_event(ev, t)
        case.evaluate_time_rules(instant)
    return case


def compute(item: dict, events: list[dict], is_workday, as_of: datetime, tz) -> dict:
    """The case as it stood at `as_of` (events with occurred_at <= as_of)."""
    return simulate(item, events, is_workday, as_of, tz).report(as_of)


def compute_with_notes(item: dict, events: list[dict], is_workday, as_of: datetime, tz):
    """compute() plus the data-quality notes (events the clock ignored), for investigations."""
    case = simulate(item, events, is_workday, as_of, tz)
    return case.report(as_of), case.notes
