"""The breach forecast: Kaplan–Meier survival of the share of the promised limit a case uses.

Pure: no Django import. A case is one observation: its group keys (item, department), its limit L
(promised working days + a valid extension), and the working days it used, U = L − remaining (so a
suspension, which moves promised_due, is not counted). An ended case is an observed end at U; an open
case is censored: it is known to have used more than U − 1. Time is relative, x = U / max(L, 1), so
items with different limits pool into one department or League-wide curve. A case breaches when it
ends with U > L, i.e. x > b with b = L / max(L, 1) (1, or 0 for a same-day item).

P(breach | still open at x) = S(b) / S(x−), S the survival function of the case's group: the item's
own curve when it has at least MIN_ENDS observed ends, else its department's, else the League's.

The curve knows only time used. What the case has been through so far (the share of its steps completed,
the supplements requested, whether a suspension is under way) then moves that probability through a
logistic recalibration (Adjuster) fitted on landmarks: cases of the past seen at a past midnight with
their KM probability and state then, and whether they went on to end late. docs/insight.md explains both.
"""
from dataclasses import dataclass

import numpy as np
from lifelines import KaplanMeierFitter

MIN_ENDS = 30  # observed ends an item (or department) needs before its own curve is used
# cases an item's (or department's) history needs that reached the limit (ended at or after it, or still open
# at it): below that the curve says nothing of the time beyond the limit — a young history of a slow item
# has seen only its fast ends, and its Kaplan–Meier curve falls to 0 before the limit — so pool upwards
MIN_REACH = 5
EPS = 1e-9
ITEM, DEPARTMENT, LEAGUE = "item", "department", "league"


@dataclass(frozen=True)
class Observation:
    item: object
    department: object
    limit: int  # L: promised limit + valid extension days
    used: int  # U: working days used (at the end, or so far while open)
    ended: bool
    count: int = 1  # how many cases alike (the nightly refresh reads ended cases grouped: the same curve)


@dataclass(frozen=True)
class State:
    """What a case has been through by an instant, beyond time used (the forecast's covariates)."""
    steps_done: int = 0  # step completions so far
    steps_total: int = 0  # the item's steps
    supplements: int = 0  # supplement requests so far
    suspended: bool = False  # a suspension under way

    @property
    def step_share(self):
        return min(self.steps_done / self.steps_total, 1.0) if self.steps_total else 0.0


@dataclass(frozen=True)
class Landmark:
    """A case of the past as it stood at a past midnight (its KM probability then and its state), and
    whether it ended late: one training row of the Adjuster."""
    km: float
    used: int
    limit: int
    state: State
    late: bool


@dataclass(frozen=True)
class Forecast:
    probability: float
    basis: str  # ITEM, DEPARTMENT or LEAGUE: whose history the curve is
    history: int  # ended cases behind that curve
    used: int
    limit: int
    km: float = 0.0  # the curve's probability before the state moved it


def scale(limit):
    return max(limit, 1)


class Forecaster:
    """Curves fitted once on a history of observations; predict() is a lookup."""

    def __init__(self, observations):
        obs = list(observations)
        self.curves = {}  # (level, key) → (survival, ends), fitted when first asked for
        self._groups = {}  # (level, key) → (its observations, ends) of the groups with a curve of their own
        groups = {LEAGUE: {None: obs}, ITEM: {}, DEPARTMENT: {}}
        for o in obs:
            groups[ITEM].setdefault(o.item, []).append(o)
            groups[DEPARTMENT].setdefault(o.department, []).append(o)
        for level, members in groups.items():
            for key, rows in members.items():
                ends = sum(o.count for o in rows if o.ended)
                reach = sum(o.count for o in rows if _duration(o) >= 1 - EPS)
                if ends >= MIN_ENDS and reach >= MIN_REACH or level == LEAGUE and ends:
                    self._groups[(level, key)] = (rows, ends)

    def curve(self, item, department):
        """(basis, survival, ends) of the curve a case of item and department is forecast by, or None.
        Which group that is depends only on the counts; a curve is fitted the first time it is asked for
        (each costs lifelines some milliseconds, and the open cases need only some of the department and
        League curves that qualify)."""
        for key in ((ITEM, item), (DEPARTMENT, department), (LEAGUE, None)):
            if key in self._groups:
                if key not in self.curves:
                    rows, ends = self._groups[key]
                    self.curves[key] = (_fit(rows), ends)
                return key[0], *self.curves[key]
        return None

    adjuster = None  # an Adjuster, once fitted on landmarks (fit_adjuster)

    def predict(self, item, department, limit, used, state=None):
        """The forecast for an open case, or None when there is no history at all. With a fitted
        adjuster and the case's state, the curve's probability is recalibrated by that state."""
        found = self.curve(item, department)
        if found is None:
            return None
        basis, survival, history = found
        if used > limit:
            return Forecast(1.0, basis, history, used, limit, 1.0)
        x, b = used / scale(limit), limit / scale(limit)
        before = survival(x - EPS)
        km = float(min(max(survival(b) / before if before > 0 else 1.0, 0.0), 1.0))
        p = self.adjuster.probability(km, used, limit, state) if self.adjuster and state is not None else km
        return Forecast(p, basis, history, used, limit, km)

    def fit_adjuster(self, landmarks):
        self.adjuster = Adjuster.fit(landmarks)
        return self.adjuster


CLIP = 0.005  # probabilities are kept inside [CLIP, 1 − CLIP] before taking their logit
MIN_LANDMARKS, MIN_EACH = 200, 20  # rows, and late and on-time rows each, an Adjuster needs
FEATURES = ("intercept", "logit(curve)", "share of limit used", "share of steps completed", "supplements",
            "suspended")


def _row(km, used, limit, state):
    p = min(max(km, CLIP), 1 - CLIP)
    return [1.0, float(np.log(p / (1 - p))), min(used / scale(limit), 1.5), state.step_share,
            float(min(state.supplements, 3)), 1.0 if state.suspended else 0.0]


class Adjuster:
    """Logistic recalibration: logit P(late) = w · (1, logit km, used/limit, step share, supplements,
    suspended), fitted by Newton's method with a small ridge penalty (numpy only)."""

    def __init__(self, weights, n):
        self.weights, self.n = np.asarray(weights), n

    @classmethod
    def fit(cls, landmarks, ridge=1.0, rounds=30):
        rows = [lm for lm in landmarks if lm.used <= lm.limit]  # past the limit is certain: nothing to learn
        late = sum(lm.late for lm in rows)
        if len(rows) < MIN_LANDMARKS or min(late, len(rows) - late) < MIN_EACH:
            return None
        X = np.array([_row(lm.km, lm.used, lm.limit, lm.state) for lm in rows])
        y = np.array([1.0 if lm.late else 0.0 for lm in rows])
        w = np.zeros(X.shape[1])
        w[1] = 1.0  # start from the curve itself
        penalty = ridge * np.eye(X.shape[1])
        penalty[0, 0] = penalty[1, 1] = 0.0  # the intercept and the curve's weight are not shrunk
        for _ in range(rounds):
            p = 1 / (1 + np.exp(-(X @ w)))
            gradient = X.T @ (p - y) + penalty @ w
            hessian = (X * (p * (1 - p))[:, None]).T @ X + penalty + 1e-9 * np.eye(X.shape[1])
            step = np.linalg.solve(hessian, gradient)
            w -= step
            if np.abs(step).max() < 1e-8:
                break
        return cls(w, len(rows))

    def probability(self, km, used, limit, state):
        if used > limit:
            return 1.0
        return float(1 / (1 + np.exp(-(np.array(_row(km, used, limit, state)) @ self.weights))))

    def as_dict(self):
        return {"landmarks": self.n, "weights": {k: round(float(v), 4) for k, v in zip(FEATURES, self.weights)}}


def state_of(events, steps_total, status):
    """The State of a case from its events that count so far (anything with .type) and its status."""
    types = [e.type for e in events]
    return State(steps_done=types.count("step_completed"), steps_total=steps_total,
                 supplements=types.count("supplement_requested"), suspended=status == "suspended")


def used_and_limit(state, promised_days, cal, zone):
    """(limit, used, remaining) of a clock state (cases.clock.CaseState) with a clock: remaining as the
    clock counts it (to its end day when it has ended), used = limit − remaining."""
    limit = promised_days + state.extension_days
    remaining = state.remaining_working_days
    if state.ended_at is not None:
        end, due = state.ended_at.astimezone(zone).date(), state.promised_due
        remaining = cal.wd_between(end, due) if end <= due else -cal.wd_between(due, end)
    return limit, limit - remaining, remaining


def _duration(o):
    """x of an observation: the share of the limit used at the end, or known to be passed while open."""
    return (o.used if o.ended else max(o.used - 1, 0)) / scale(o.limit)


def _fit(rows):
    """S(t) = P(X > t) of one group, as a step-function lookup."""
    durations = np.array([_duration(o) for o in rows])
    ended = np.array([o.ended for o in rows], dtype=bool)
    counts = np.array([o.count for o in rows], dtype=float)
    # weights: a row that stands for n alike cases counts n times (the same estimate as n rows)
    km = KaplanMeierFitter().fit(durations, event_observed=ended, weights=counts)
    times = km.survival_function_.index.to_numpy()
    values = km.survival_function_.iloc[:, 0].to_numpy()

    def survival(t):
        i = np.searchsorted(times, t, side="right") - 1
        return float(values[i]) if i >= 0 else 1.0

    return survival
