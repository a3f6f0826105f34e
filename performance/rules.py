"""The scoring rules of the assessment, pure (no Django): scheme validation, one organisation's monthly
score from its tallies, rankings, grades and the talk (约谈) flag. See docs/performance.md.

A scheme is a list of indicators, each a dict with `code, name, stage, metric, kind, weight, points,
cap`. Kinds:
- `weighted`: the metric gives a rate 0..1; the indicator earns weight × rate. The weights of the
  weighted indicators add up to 100 (the base). An indicator with nothing to judge this month (no
  cases, no urges due…) is left out and the others are scaled up to 100 (缺项按比例折算), so an
  organisation never gains or loses points for what did not happen; when none of them has anything to
  judge, there is no score (无数据), never the base for nothing judged. With a target and a threshold
  (达标值, 不得分值) the rate is read off the figure: full at or beyond the target, nothing at or beyond
  the threshold, linear between — either direction (a lower-is-better figure has target < threshold).
- `deduct`: points × the metric's value are taken off, at most `cap` (when set).
- `bonus`: points × the metric's value are added, at most `cap` (when set).
The total is never below 0.
"""
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from insight.timing import quantile

BASE = Decimal(100)
KINDS = ("weighted", "deduct", "bonus")
STAGES = ("before", "during", "after")
CENT = Decimal("0.01")


def q2(x):
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """What a metric counted for one organisation: `num` over `den` (or a plain count in `num`),
    and the ids of the records that cost (or earned) points. A quantile figure (`q` set, e.g. 0.9 for
    a p90) keeps its measurements in `values` instead: quantiles cannot be added up, so an organisation's
    figure is the quantile of all its departments' measurements together."""

    num: float = 0
    den: float = 0
    ids: list = field(default_factory=list)
    values: list = field(default_factory=list)
    q: float | None = None

    def add(self, other):
        return Tally(self.num + other.num, self.den + other.den, self.ids + other.ids, self.values + other.values,
                     self.q if self.q is not None else other.q)

    def measure(self, value, ident=None):
        """One measurement of a quantile figure (and the record it came from)."""
        self.values.append(value)
        self.den += 1
        if ident is not None:
            self.ids.append(ident)

    def figure(self):
        """The quantile of the values, or num / den; None when there is nothing to judge."""
        if not self.den:
            return None
        return quantile(self.values, self.q) if self.q is not None else self.num / self.den


WEIGHABLE = ("rate", "ratio")  # units weighted as they are; "percent" and "days" need a target and a threshold


def validate_scheme(indicators, metrics, stepped=frozenset(), steps=None):
    """Error messages (Chinese, naming the indicator and the field) for a scheme; [] when valid.
    `metrics`: {metric code: unit} of the registered metrics ('rate', 'ratio', 'count', 'percent', 'days');
    `stepped`: the metric codes that may be narrowed to one step; `steps`: the step codes there are (None:
    not checked)."""
    errors = []
    if not indicators:
        return ["指标方案至少需要一项指标"]
    seen = set()
    total = Decimal(0)
    for ind in indicators:
        code = ind.get("code") or "?"
        if code in seen:
            errors.append(f"指标 {code}：编码重复")
        seen.add(code)
        errors += _check_indicator(ind, code, metrics)
        errors += _check_step_and_rule(ind, code, metrics, stepped, steps)
        if ind.get("kind") == "weighted" and ind.get("weight") is not None:
            total += Decimal(str(ind["weight"]))
    if any(i.get("kind") == "weighted" for i in indicators) and total != BASE:
        errors.append(f"加权指标的权重合计为 {total.normalize():f}，应为 100")
    return errors


def _check_indicator(ind, code, metrics):
    errors = []
    metric, kind = ind.get("metric"), ind.get("kind")
    if ind.get("stage") not in STAGES:
        errors.append(f"指标 {code}：阶段应为事前、事中或事后")
    if metric not in metrics:
        errors.append(f"指标 {code}：引用的计算项 “{metric}” 不存在")
    if kind not in KINDS:
        errors.append(f"指标 {code}：类型应为加权、扣分或加分")
    elif kind == "weighted":
        if ind.get("weight") is None or Decimal(str(ind["weight"])) <= 0:
            errors.append(f"指标 {code}：加权指标须填写大于 0 的权重")
        if metric in metrics and metrics[metric] == "count":
            errors.append(f"指标 {code}：计算项 “{metric}” 是计数，不能加权，请改为扣分或加分")
        elif metric in metrics and metrics[metric] not in WEIGHABLE and not _has_rule(ind):
            errors.append(f"指标 {code}：计算项 “{metric}” 须填写达标值和不得分值才能加权")
    else:
        if ind.get("points") is None or Decimal(str(ind["points"])) < 0:
            errors.append(f"指标 {code}：扣分/加分指标须填写不小于 0 的每单位分值")
        if ind.get("cap") is not None and Decimal(str(ind["cap"])) < 0:
            errors.append(f"指标 {code}：封顶分值不能为负")
    return errors


def _has_rule(ind):
    return ind.get("target") is not None or ind.get("threshold") is not None


def _check_step_and_rule(ind, code, metrics, stepped, steps):
    errors = []
    metric, step = ind.get("metric"), ind.get("step") or ""
    if step and metric in metrics and metric not in stepped:
        errors.append(f"指标 {code}：计算项 “{metric}” 不分环节，环节应留空")
    elif step and steps is not None and step not in steps:
        errors.append(f"指标 {code}：环节 “{step}” 不是任何事项的环节")
    if _has_rule(ind):
        target, threshold = ind.get("target"), ind.get("threshold")
        if ind.get("kind") != "weighted":
            errors.append(f"指标 {code}：只有加权指标使用达标值和不得分值")
        elif target is None or threshold is None:
            errors.append(f"指标 {code}：达标值和不得分值须同时填写")
        elif Decimal(str(target)) == Decimal(str(threshold)):
            errors.append(f"指标 {code}：达标值和不得分值不能相同")
    return errors


def _clip(x):
    return max(0.0, min(1.0, x))


def rate_of(unit, tally, target=None, threshold=None):
    """The 0..1 rate a weighted indicator uses; None when there is nothing to judge. With a target and a
    threshold (in the figure's own unit, as value_of shows it): 1 at or beyond the target, 0 at or beyond
    the threshold, linear between."""
    if not tally.den:
        return None
    if target is not None and threshold is not None:
        target, threshold = float(target), float(threshold)
        return _clip((threshold - value_of(unit, tally)) / (threshold - target))
    mean = tally.figure()
    if unit == "ratio":  # mean used/promised time: full marks up to 1, nothing at 2 or more
        return _clip(2 - mean)
    return _clip(mean)


def value_of(unit, tally):
    """The figure shown for a metric (rate and percent in %, ratio and days as they are, count as is);
    None: no data."""
    if unit == "count":
        return tally.num
    figure = tally.figure()
    if figure is None:
        return None
    return figure if unit in ("ratio", "days") else figure * 100


def source(ind):
    """The key of an indicator's tally: its metric, with its step when narrowed to one."""
    return (ind["metric"], ind["step"]) if ind.get("step") else ind["metric"]


@dataclass
class Line:
    code: str
    value: float | None
    points: Decimal  # signed: earned (weighted), negative (deduct), positive (bonus)
    lost: Decimal  # for weighted indicators: what the organisation did not earn
    scored: bool  # False: nothing to judge (weighted) — left out and the rest scaled


def score(indicators, tallies, units):
    """(total, [Line]) for one organisation. `tallies`: {source(indicator): Tally}; `units`: {metric: unit}.
    The total is None (无数据) when the scheme has weighted indicators and none has anything to judge."""
    weighted = [i for i in indicators if i["kind"] == "weighted"]
    rates = {i["code"]: rate_of(units[i["metric"]], tallies.get(source(i), Tally()), i.get("target"),
                                i.get("threshold")) for i in weighted}
    judged = sum((Decimal(str(i["weight"])) for i in weighted if rates[i["code"]] is not None), Decimal(0))
    scale = BASE / judged if judged else Decimal(0)
    lines, total = [], Decimal(0) if weighted else BASE
    for ind in indicators:
        tally = tallies.get(source(ind), Tally())
        value = value_of(units[ind["metric"]], tally)
        if ind["kind"] == "weighted":
            rate = rates[ind["code"]]
            if rate is None:
                lines.append(Line(ind["code"], value, Decimal(0), Decimal(0), False))
                continue
            full = Decimal(str(ind["weight"])) * scale
            earned = q2(full * Decimal(str(rate)))
            lines.append(Line(ind["code"], value, earned, q2(full - earned), True))
            total += earned
        else:
            amount = q2(Decimal(str(ind["points"])) * Decimal(str(value or 0)))
            if ind.get("cap") is not None:
                amount = min(amount, Decimal(str(ind["cap"])))
            sign = -1 if ind["kind"] == "deduct" else 1
            lines.append(Line(ind["code"], value, sign * amount, Decimal(0), value is not None))
            total += sign * amount
    if weighted and not judged:
        return None, lines  # nothing to judge: no score, never the base for nothing
    return max(q2(total), Decimal(0)), lines


def rank(totals):
    """{key: rank} from {key: total}: highest first, equal totals share a rank (1, 2, 2, 4)."""
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ranks, previous, position = {}, None, 0
    for index, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            position, previous = index, total
        ranks[key] = position
    return ranks


def bottom(ranks):
    """The keys ranked last (all of them when tied), if there are at least two organisations."""
    if len(ranks) < 2:
        return set()
    worst = max(ranks.values())
    return {key for key, r in ranks.items() if r == worst}


GRADES = ((Decimal(90), "excellent"), (Decimal(80), "good"), (Decimal(60), "pass"))


def grade(total):
    """优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below (documented defaults)."""
    for floor, name in GRADES:
        if total >= floor:
            return name
    return "fail"


def next_first(month):
    """The first day of the month after the one `month` is in: the day that month is closed."""
    return (month.replace(day=1) + timedelta(days=32)).replace(day=1)


def mean(values):
    values = [Decimal(v) for v in values]
    return q2(sum(values) / len(values)) if values else None
