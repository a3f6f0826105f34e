"""The breach forecast: Kaplan–Meier survival of the share of the promised limit a case uses.

Pure: no Django import. A case is one observation: its group keys (item, department), its limit L
(promised working days + a valid extension), and the working days it used, U = L − remaining (so a
suspension, which moves promised_due, is not counted). An ended case is an observed end at U; an open
case is censored: it is known to have used more than U − 1. Time is relative, x = U / max(L, 1), so
items with different limits pool into one department or League-wide curve. A case breaches when it
ends with U > L, i.e. x > b with b = L / max(L, 1) (1, or 0 for a same-day item).

P(breach | still open at x) = S(b) / S(x−), S the survival function of the case's group: the item's
own curve when it has at least MIN_ENDS observed ends, else its department's, else the League's.
docs/insight.md explains the choice.
"""
from dataclasses import dataclass

import numpy as np
from lifelines import KaplanMeierFitter

MIN_ENDS = 30  # observed ends an item (or department) needs before its own curve is used
EPS = 1e-9
ITEM, DEPARTMENT, LEAGUE = "item", "department", "league"


@dataclass(frozen=True)
class Observation:
    item: object
    department: object
    limit: int  # L: promised limit + valid extension days
    used: int  # U: working days used (at the end, or so far while open)
    ended: bool


@dataclass(frozen=True)
class Forecast:
    probability: float
    basis: str  # ITEM, DEPARTMENT or LEAGUE: whose history the curve is
    history: int  # ended cases behind that curve
    used: int
    limit: int


def scale(limit):
    return max(limit, 1)


class Forecaster:
    """Curves fitted once on a history of observations; predict() is a lookup."""

    def __init__(self, observations):
        obs = list(observations)
        self.curves = {}
        groups = {LEAGUE: {None: obs}, ITEM: {}, DEPARTMENT: {}}
        for o in obs:
            groups[ITEM].setdefault(o.item, []).append(o)
            groups[DEPARTMENT].setdefault(o.department, []).append(o)
        for level, members in groups.items():
            for key, rows in members.items():
                ends = sum(1 for o in rows if o.ended)
                if ends >= MIN_ENDS or level == LEAGUE and ends:
                    self.curves[(level, key)] = (_fit(rows), ends)

    def curve(self, item, department):
        for key in ((ITEM, item), (DEPARTMENT, department), (LEAGUE, None)):
            if key in self.curves:
                return key[0], *self.curves[key]
        return None

    def predict(self, item, department, limit, used):
        """The forecast for an open case, or None when there is no history at all."""
        found = self.curve(item, department)
        if found is None:
            return None
        basis, survival, history = found
        if used > limit:
            return Forecast(1.0, basis, history, used, limit)
        x, b = used / scale(limit), limit / scale(limit)
        before = survival(x - EPS)
        p = survival(b) / before if before > 0 else 1.0
        return Forecast(float(min(max(p, 0.0), 1.0)), basis, history, used, limit)


def _fit(rows):
    """S(t) = P(X > t) of one group, as a step-function lookup."""
    durations = np.array([(o.used if o.ended else max(o.used - 1, 0)) / scale(o.limit) for o in rows])
    ended = np.array([o.ended for o in rows], dtype=bool)
    km = KaplanMeierFitter().fit(durations, event_observed=ended)
    times = km.survival_function_.index.to_numpy()
    values = km.survival_function_.iloc[:, 0].to_numpy()

    def survival(t):
        i = np.searchsorted(times, t, side="right") - 1
        return float(values[i]) if i >= 0 else 1.0

    return survival
