"""The pure rules of complaints and consultations: limits, what may follow what, which categories the
centre keeps, what an upload really is. No Django import; dates and calendars come in as parameters."""
from dataclasses import dataclass
from datetime import date

REGISTER_DAYS = 3        # submitted -> registered / declined / redirected
FEEDBACK_DAYS = 15       # registered -> fed back to the complainant
EXTENSION_DAYS = 15      # one extension, with the centre's approval
CONSULT_DAYS = 3         # consultation question -> answer
SATISFACTION_WAIT_DAYS = 10  # fed back without a reply for this long -> closed as "no reply"
MAX_REOPENS = 1

SERIOUS_CATEGORIES = frozenset({"graft", "fees"})  # 吃拿卡要, 乱收费: the centre handles them itself

# status -> the actions allowed from it (action -> next status)
FLOW = {
    "submitted": {"register": "registered", "decline": "declined", "redirect": "redirected", "merge": "merged"},
    "registered": {"assign": "assigned", "keep": "assigned", "merge": "merged"},
    "assigned": {"answer": "answered"},
    "answered": {"verify": "verified", "return": "assigned"},
    "verified": {"feed_back": "fed_back"},
    "fed_back": {"rate": "closed", "reopen": "assigned"},
    "closed": {"archive": "archived"},
    "declined": {"archive": "archived"},
    "redirected": {"archive": "archived"},
    "merged": {"archive": "archived"},
    "archived": {},
}
# statuses whose feedback clock is running (an overdue one raises an alert)
RUNNING = ("registered", "assigned", "answered", "verified")


class FlowError(ValueError):
    pass


def next_status(status, action):
    """The status after `action`, or FlowError if the action is not allowed now."""
    try:
        return FLOW[status][action]
    except KeyError:
        raise FlowError(f"{action} is not allowed in status {status}") from None


def is_serious(category):
    return category in SERIOUS_CATEGORIES


@dataclass(frozen=True)
class Overdue:
    rule: str
    level: str
    detail: str


def complaint_overdue(status, today: date, register_due: date | None, due: date | None, extended: bool):
    """The alert an open complaint deserves today, or None. Due dates are the last allowed day."""
    if status == "submitted" and register_due and today > register_due:
        return Overdue("COMPLAINT_REGISTER_OVERDUE", "yellow", f"登记期限 {register_due} 已过")
    if status in RUNNING and due and today > due:
        return Overdue("COMPLAINT_OVERDUE", "red" if extended else "yellow", f"反馈期限 {due} 已过")
    return None


def on_time(fed_back_on: date | None, due: date | None):
    return fed_back_on is not None and due is not None and fed_back_on <= due


def rate(numerator, denominator):
    """A percentage with one decimal, None when nothing to rate."""
    return round(100.0 * numerator / denominator, 1) if denominator else None


def period_bounds(period: str):
    """'2026-03' -> (date(2026,3,1), date(2026,4,1)); '2026-Q1' -> (date(2026,1,1), date(2026,4,1)).
    ValueError for anything else."""
    year_text, _, part = period.partition("-")
    year = int(year_text)
    if part.upper().startswith("Q"):
        quarter = int(part[1:])
        if not 1 <= quarter <= 4:
            raise ValueError(period)
        start = date(year, 3 * quarter - 2, 1)
        months = 3
    else:
        month = int(part)
        start = date(year, month, 1)
        months = 1
    end_month = start.month - 1 + months
    return start, date(year + end_month // 12, end_month % 12 + 1, 1)


def months_in(start: date, end: date):
    """'YYYY-MM' labels of the months in [start, end)."""
    out, y, m = [], start.year, start.month
    while date(y, m, 1) < end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
