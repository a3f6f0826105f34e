from datetime import datetime, timedelta, timezone

import pytest

from evaluations import rules


def test_it_reads_levels_by_gbt_code_and_name():
    assert rules.parse_level(1) == "very_satisfied"
    assert rules.parse_level("5") == "very_dissatisfied"
    assert rules.parse_level("basically_satisfied") == "basically_satisfied"


@pytest.mark.parametrize("bad", [0, 6, -1, "7", "great", True, None])
def test_it_refuses_levels_out_of_range(bad):
    with pytest.raises(rules.RuleError, match="level"):
        rules.parse_level(bad)


def test_it_computes_rates_over_valid_ratings():
    t = rules.Tally(counts={"very_satisfied": 5, "satisfied": 2, "basically_satisfied": 1, "dissatisfied": 1,
                            "very_dissatisfied": 1}, defaults=4, bad_followed=2, bad_rectified=1)
    assert (t.total, t.satisfied, t.bad) == (10, 8, 2)
    assert (t.satisfaction_rate, t.bad_rate, t.follow_up_rate, t.rectification_rate) == (80.0, 20.0, 100.0, 50.0)
    assert rules.Tally(counts={}).satisfaction_rate is None


def test_it_finds_a_burst_only_above_the_limit():
    t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    spaced = [t0 + timedelta(minutes=3 * i) for i in range(10)]
    assert rules.burst(spaced, limit=3, within=timedelta(minutes=5)) is None
    tight = [t0 + timedelta(seconds=20 * i) for i in range(5)]
    assert rules.burst(tight, limit=4, within=timedelta(minutes=5)) == tight[4]


def test_it_keeps_follow_up_open_thirty_days():
    t0 = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    assert rules.follow_up_open(t0, t0 + timedelta(days=30))
    assert not rules.follow_up_open(t0, t0 + timedelta(days=30, seconds=1))
