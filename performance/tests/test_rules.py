"""The pure scoring rules: scheme validation messages, weighted scaling, deductions, ranks, grades."""
from decimal import Decimal

from performance.defaults import default_rules
from performance.rules import Tally, bottom, grade, rank, score, validate_scheme

UNITS = {"ontime_rate": "rate", "time_ratio": "ratio", "alerts_red": "count", "data_quality": "percent"}


def ind(code, metric, kind="weighted", weight=None, points=None, cap=None, stage="during"):
    return {"code": code, "name": code, "stage": stage, "metric": metric, "kind": kind, "weight": weight,
            "points": points, "cap": cap}


def test_it_accepts_the_default_scheme():
    from performance import metrics

    assert validate_scheme(default_rules(), metrics.units()) == []


def test_it_refuses_weights_that_do_not_add_up_to_100():
    errors = validate_scheme([ind("A", "ontime_rate", weight=60), ind("B", "time_ratio", weight=30)], UNITS)
    assert errors == ["加权指标的权重合计为 90，应为 100"]


def test_it_refuses_a_missing_metric_naming_the_indicator():
    errors = validate_scheme([ind("A", "ontime_rate", weight=100), ind("X", "nonsense", "deduct", points=1)], UNITS)
    assert errors == ["指标 X：引用的计算项 “nonsense” 不存在"]


def test_it_refuses_a_weighted_count_and_a_deduction_without_points():
    errors = validate_scheme([ind("A", "alerts_red", weight=100), ind("B", "alerts_red", "deduct")], UNITS)
    assert "指标 A：计算项 “alerts_red” 是计数，不能加权，请改为扣分或加分" in errors
    assert "指标 B：扣分/加分指标须填写不小于 0 的每单位分值" in errors


def test_it_refuses_duplicate_codes_bad_stage_and_an_empty_scheme():
    assert validate_scheme([], UNITS) == ["指标方案至少需要一项指标"]
    errors = validate_scheme([ind("A", "ontime_rate", weight=100, stage="later"),
                              ind("A", "alerts_red", "deduct", points=1)], UNITS)
    assert "指标 A：编码重复" in errors and "指标 A：阶段应为事前、事中或事后" in errors


def test_it_scales_weights_when_an_indicator_has_nothing_to_judge():
    scheme = [ind("A", "ontime_rate", weight=60), ind("B", "time_ratio", weight=40)]
    total, lines = score(scheme, {"ontime_rate": Tally(3, 4)}, UNITS)
    assert total == Decimal("75.00")  # 75 % on time, B (no cases) left out and A scaled to 100
    assert [line.scored for line in lines] == [True, False]
    assert lines[0].lost == Decimal("25.00")


def test_it_deducts_points_up_to_the_cap_and_never_below_zero():
    scheme = [ind("A", "ontime_rate", weight=100), ind("R", "alerts_red", "deduct", points=10, cap=40),
              ind("D", "data_quality", "deduct", points=1, cap=5)]
    total, lines = score(scheme, {"ontime_rate": Tally(1, 1), "alerts_red": Tally(7, 0),
                                  "data_quality": Tally(3, 100)}, UNITS)
    assert [line.points for line in lines] == [Decimal(100), Decimal(-40), Decimal(-3)]
    assert total == Decimal("57.00")
    total, _ = score([ind("R", "alerts_red", "deduct", points=30)], {"alerts_red": Tally(5, 0)}, UNITS)
    assert total == 0


def test_it_scores_the_used_time_ratio_full_up_to_one_and_nothing_at_two():
    scheme = [ind("T", "time_ratio", weight=100)]
    assert score(scheme, {"time_ratio": Tally(0.8, 1)}, UNITS)[0] == Decimal(100)
    assert score(scheme, {"time_ratio": Tally(1.5, 1)}, UNITS)[0] == Decimal(50)
    assert score(scheme, {"time_ratio": Tally(5, 2)}, UNITS)[0] == Decimal(0)


def test_it_ranks_ties_together_and_finds_the_bottom():
    ranks = rank({"a": Decimal(90), "b": Decimal(95), "c": Decimal(90), "d": Decimal(80)})
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4}
    assert bottom(ranks) == {"d"}
    assert bottom({"a": 1}) == set()


def test_it_grades_by_the_documented_thresholds():
    assert [grade(Decimal(x)) for x in (95, 90, 85, 60, "59.99")] == ["excellent", "excellent", "good", "pass", "fail"]


STEP_UNITS = {**UNITS, "step_p90_ratio": "ratio", "step_wait": "days", "step_overdue_share": "percent"}
STEPPED = frozenset({"step_p90_ratio", "step_wait", "step_overdue_share"})


def step_ind(code, metric, kind="weighted", weight=100, step="sp", target=None, threshold=None, points=None):
    return {**ind(code, metric, kind, weight=weight, points=points), "step": step, "target": target,
            "threshold": threshold}


def test_it_checks_the_step_and_the_target_and_threshold_of_an_indicator():
    def errors(*indicators):
        return validate_scheme(list(indicators), STEP_UNITS, STEPPED, {"cb", "sh", "sp"})

    assert errors(step_ind("A", "step_p90_ratio", target=1, threshold=4)) == []
    assert errors(step_ind("A", "step_p90_ratio")) == []  # a ratio: full up to 1, nothing at 2
    assert errors(step_ind("A", "step_p90_ratio", step="zz")) == ["指标 A：环节 “zz” 不是任何事项的环节"]
    assert errors(step_ind("A", "ontime_rate")) == ["指标 A：计算项 “ontime_rate” 不分环节，环节应留空"]
    assert errors(step_ind("A", "step_wait")) == ["指标 A：计算项 “step_wait” 须填写达标值和不得分值才能加权"]
    assert errors(step_ind("A", "step_wait", target=1)) == ["指标 A：达标值和不得分值须同时填写"]
    assert errors(step_ind("A", "step_wait", target=2, threshold=2)) == ["指标 A：达标值和不得分值不能相同"]
    assert "指标 B：只有加权指标使用达标值和不得分值" in errors(
        step_ind("A", "step_wait", target=0, threshold=3),
        step_ind("B", "step_overdue_share", "deduct", weight=None, points=1, target=0, threshold=10))


def test_it_reads_the_rate_off_the_target_and_threshold_either_way():
    lower = [step_ind("P", "step_p90_ratio", target=1, threshold=4)]
    tally = Tally(q=0.9)
    for v in (0, 0, 1, 2, 4):
        tally.measure(v)
    total, lines = score(lower, {("step_p90_ratio", "sp"): tally}, STEP_UNITS)
    assert abs(lines[0].value - 3.2) < 1e-9 and total == Decimal("26.67")  # (4 − 3.2) / 3
    higher = [{**ind("R", "ontime_rate", weight=100), "target": 95, "threshold": 80}]
    assert score(higher, {"ontime_rate": Tally(9, 10)}, STEP_UNITS)[0] == Decimal("66.67")  # (90 − 80) / 15
    assert score(higher, {"ontime_rate": Tally(1, 1)}, STEP_UNITS)[0] == Decimal(100)


def test_a_quantile_of_two_departments_is_over_all_their_measurements():
    a, b = Tally(q=0.5), Tally(q=0.5)
    for v in (1, 2, 3):
        a.measure(v)
    b.measure(10)
    assert a.add(b).figure() == 2.5 and a.figure() == 2  # not the mean of 2 and 10


def test_nothing_to_judge_in_any_weighted_indicator_is_no_score_not_100():
    scheme = [step_ind("P", "step_p90_ratio", target=1, threshold=4),
              {**ind("D", "step_overdue_share", "deduct", points=1), "step": "sp"}]
    total, lines = score(scheme, {}, STEP_UNITS)
    assert total is None and [line.scored for line in lines] == [False, False]
