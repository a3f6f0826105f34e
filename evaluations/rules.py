"""The rules of 好差评 as pure functions (no Django): levels and their GB/T 39046 codes, which ratings
count as satisfied or bad, the rates of a tally, limits in time, and bursts from one source."""
from dataclasses import dataclass
from datetime import timedelta

# GB/T 39046: 1 非常满意 … 5 非常不满意
LEVELS = ("very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied")
CODE = {level: i + 1 for i, level in enumerate(LEVELS)}
BY_CODE = {code: level for level, code in CODE.items()}
SATISFIED = frozenset(LEVELS[:3])
BAD = frozenset(LEVELS[3:])

FOLLOW_UP_DAYS = 30  # 追评: one follow-up within 30 days of the rating


class RuleError(ValueError):
    """A rating refused by a rule; the message names the field and the problem."""


def parse_level(value):
    """A level from its name or its GB/T 39046 code (1…5, as int or string)."""
    if isinstance(value, bool):
        raise RuleError(f"level: {value!r} is not a level (expected 1…5 or one of {', '.join(LEVELS)})")
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        code = int(value)
        if code not in BY_CODE:
            raise RuleError(f"level: {code} is out of range (expected 1 = very_satisfied … 5 = very_dissatisfied)")
        return BY_CODE[code]
    if value in CODE:
        return value
    raise RuleError(f"level: {value!r} is not a level (expected 1…5 or one of {', '.join(LEVELS)})")


def is_bad(level):
    return level in BAD


def follow_up_open(rated_at, now):
    """A follow-up (追评) may be added up to 30 days after the rating."""
    return now <= rated_at + timedelta(days=FOLLOW_UP_DAYS)


@dataclass(frozen=True)
class Tally:
    """Counts of one group of ratings. `valid` excludes default ratings and bad reviews the centre
    marked unsubstantiated or malicious; rates are over valid ratings."""

    counts: dict  # level -> count (valid ratings only)
    defaults: int = 0  # default ratings, reported apart
    voided: int = 0  # bad reviews marked unsubstantiated / malicious by the centre
    bad_followed: int = 0  # valid bad reviews with a recorded 回访
    bad_rectified: int = 0  # valid bad reviews rectified and answered

    @property
    def total(self):
        return sum(self.counts.get(level, 0) for level in LEVELS)

    @property
    def satisfied(self):
        return sum(self.counts.get(level, 0) for level in SATISFIED)

    @property
    def bad(self):
        return sum(self.counts.get(level, 0) for level in BAD)

    @property
    def satisfaction_rate(self):
        return ratio(self.satisfied, self.total)

    @property
    def bad_rate(self):
        return ratio(self.bad, self.total)

    @property
    def follow_up_rate(self):
        return ratio(self.bad_followed, self.bad)

    @property
    def rectification_rate(self):
        return ratio(self.bad_rectified, self.bad)


def ratio(part, whole):
    """A percentage with one decimal, None when there is nothing to divide by."""
    return round(100.0 * part / whole, 1) if whole else None


def burst(instants, *, limit, within):
    """The first instant at which more than `limit` of `instants` fall inside a span of `within`
    (a burst), or None. `instants` need not be sorted."""
    times = sorted(instants)
    start = 0
    for end, t in enumerate(times):
        while t - times[start] > within:
            start += 1
        if end - start + 1 > limit:
            return t
    return None
