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
