"""The alert rule table and the rules that are decided at one instant (DOMAIN.md, "Alert rules").

Pure: no Django, no clock, no `now()`. `cases.clock` walks a case's timeline and asks this module
what each event or instant means; this module never looks at time by itself.
"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Mapping

NOTICE, YELLOW, RED = "notice", "yellow", "red"
LEVEL_RANK = {NOTICE: 1, YELLOW: 2, RED: 3}

ACCEPT_LATE = "ACCEPT_LATE"
DUE_SOON = "DUE_SOON"
OVERDUE = "OVERDUE"
LEGAL_OVERDUE = "LEGAL_OVERDUE"
STEP_OVERDUE = "STEP_OVERDUE"
NO_ACCEPTANCE = "NO_ACCEPTANCE"
STEP_OUT_OF_ORDER = "STEP_OUT_OF_ORDER"
STEP_SKIPPED = "STEP_SKIPPED"
REPEATED_SUPPLEMENT = "REPEATED_SUPPLEMENT"
SUSPENSION_AFTER_DUE = "SUSPENSION_AFTER_DUE"
FEE_OVER_STANDARD = "FEE_OVER_STANDARD"
FEE_UNLISTED = "FEE_UNLISTED"
EXTENSION_INVALID = "EXTENSION_INVALID"
SAME_HANDLER_APPROVAL = "SAME_HANDLER_APPROVAL"

# rule code -> default level (configuration: pass `levels` to override any of them)
RULES = {
    ACCEPT_LATE: YELLOW,
    DUE_SOON: NOTICE,
    OVERDUE: YELLOW,
    LEGAL_OVERDUE: RED,
    STEP_OVERDUE: NOTICE,
    NO_ACCEPTANCE: RED,
    STEP_OUT_OF_ORDER: YELLOW,
    STEP_SKIPPED: RED,
    REPEATED_SUPPLEMENT: YELLOW,
    SUSPENSION_AFTER_DUE: RED,
    FEE_OVER_STANDARD: RED,
    FEE_UNLISTED: RED,
    EXTENSION_INVALID: YELLOW,
    SAME_HANDLER_APPROVAL: YELLOW,
}
# rules that hold one finding per (rule, step) rather than per rule
PER_STEP = frozenset({STEP_OVERDUE, STEP_OUT_OF_ORDER})

# A step's optional catalog `kind`, and the two roles separation of duties opposes (承办 / 审批).
HANDLE, REVIEW, APPROVE = "handle", "review", "approve"
STEP_KINDS = (HANDLE, REVIEW, APPROVE)


@dataclass
class Finding:
    """One raised alert. `closed_at` is set when the rule closes it by itself (DUE_SOON)."""
    rule: str
    level: str
    step: str | None
    raised_at: datetime
    detail: str = ""
    closed_at: datetime | None = None

    @property
    def key(self):
        return (self.rule, self.step)


def level_of(rule, levels: Mapping[str, str] | None = None):
    if levels and rule in levels:
        return levels[rule]
    return RULES[rule]


def highest(levels):
    """The highest of some levels, or None when there are none."""
    ranked = [lv for lv in levels if lv]
    return max(ranked, key=lambda lv: LEVEL_RANK.get(lv, 0)) if ranked else None


def fee_finding(fees: Mapping[str, Decimal], fee_code, amount, names: Mapping[str, str] | None = None):
    """(rule, detail) for one fee charged, or None when it is within the item's standard.

    A fee code the item does not list -- or any fee on a free item -- is FEE_UNLISTED; a listed fee
    above its max_amount is FEE_OVER_STANDARD. An unreadable amount on a listed code is not judged.
    The detail names a listed fee by its name (`names`), never by its code; an unlisted one has no name.
    """
    if not fees or fee_code not in fees:
        value = parse_amount(amount)
        return FEE_UNLISTED, (f"收取未列入该事项收费标准的费用 {value} 元" if value is not None
                              else "收取了未列入该事项收费标准的费用")
    value = parse_amount(amount)
    if value is None:
        return None
    limit = Decimal(fees[fee_code])
    if value > limit:
        name = (names or {}).get(fee_code) or "该项费用"
        return FEE_OVER_STANDARD, f"{name}收取 {value} 元，超过标准上限 {limit} 元"
    return None


def parse_amount(amount):
    if isinstance(amount, bool) or amount is None:
        return None
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def extension_days(data):
    """The `days` of an extended event as an int, or None when it is not a whole number."""
    days = data.get("days")
    if isinstance(days, bool):
        return None
    if isinstance(days, int):
        return days
    if isinstance(days, str) and days.strip().lstrip("+").isdigit():
        return int(days)
    return None


def extension_problem(data, max_days, already_extended, event_day, promised_due):
    """Why an extended event is invalid (DOMAIN.md, case clock rule 4), or None when it is valid."""
    if promised_due is None:
        return "办理时限尚未起算，无法延期"
    if not str(data.get("approved_by") or "").strip():
        return "延期未注明批准人"
    days = extension_days(data)
    if days is None or not 1 <= days <= max_days:
        return f"延期天数须为 1 至 {max_days} 个工作日，实际为 {data.get('days')}"
    if already_extended:
        return "该办件已延期一次"
    if event_day > promised_due:
        return f"{event_day.isoformat()} 申请延期，已晚于承诺办结日 {promised_due.isoformat()}"
    return None


def due_soon_window(promised_days, warn_days):
    """The largest remaining at which DUE_SOON holds, or None when it never fires.

    remaining <= warn_days; when the limit itself is <= warn_days only on the last day (remaining 0);
    never for a limit of 0 (a 即办件 is due the day it is accepted).
    """
    if promised_days <= 0:
        return None
    return warn_days if promised_days > warn_days else 0


def due_soon_holds(promised_days, warn_days, remaining):
    """DUE_SOON's condition: remaining <= warn_days; when N <= warn_days, remaining == 0; never for N == 0."""
    window = due_soon_window(promised_days, warn_days)
    if window is None:
        return False
    return remaining == 0 if promised_days <= warn_days else remaining <= warn_days


def due_soon_detail(due, remaining):
    """DUE_SOON's detail (Chinese; cases.vocab registers it for the reader's language): the day left, or
    "今日到期" on the due date itself, never "还剩 0 个工作日"."""
    if remaining <= 0:
        return f"承诺办结日 {due.isoformat()} 今日到期"
    return f"距承诺办结日 {due.isoformat()} 还剩 {remaining} 个工作日"


def duty_steps(steps):
    """{step code: HANDLE or APPROVE} for the steps separation of duties opposes (SAME_HANDLER_APPROVAL).

    `steps` are (code, kind) pairs in the item's order, kind None or "" when the catalog gives none.
    When any step has a kind, the kinds alone decide (every handle step against every approve step;
    none of one of them: the rule does not apply). When none has, the first step is the handling step
    and the last the approval step; an item with fewer than two steps has no such pair."""
    steps = list(steps)
    if any(kind for _, kind in steps):
        return {code: kind for code, kind in steps if kind in (HANDLE, APPROVE)}
    if len(steps) < 2:
        return {}
    return {steps[0][0]: HANDLE, steps[-1][0]: APPROVE}


def staff_key(staff):
    """Who a `staff` field names, for comparing two of them: surrounding white space (also the
    full-width space) and letter case do not matter, inner characters do. None for a missing, blank
    or non-text value: an unnamed person is never taken to be the same as another."""
    if not isinstance(staff, str):
        return None
    return staff.strip().casefold() or None
