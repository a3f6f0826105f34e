"""The forecast model alone (pure): censoring, conditioning on the days used, pooling."""
from insight.model import (DEPARTMENT, ITEM, LEAGUE, MIN_ENDS, MIN_REACH, Adjuster, Forecaster, Landmark, Observation,
                           State)


def ended(used, item="A", dept="D", limit=5):
    return Observation(item, dept, limit, used, True)


def still_open(used, item="A", dept="D", limit=5):
    return Observation(item, dept, limit, used, False)


def test_it_counts_open_cases_as_censored_not_missing():
    """Half the history ended on day 3, the other half is still open after 8 of 5 days: dropping the open
    ones would say nobody breaches; they did not end by day 7, so at least half will breach."""
    history = [ended(3) for _ in range(MIN_ENDS)] + [still_open(8) for _ in range(MIN_ENDS)]
    f = Forecaster(history).predict("A", "D", 5, 0)
    assert f.basis == ITEM and f.probability >= 0.5
    assert Forecaster(history[:MIN_ENDS]).predict("A", "D", 5, 0).probability == 0.0


def test_it_conditions_on_the_days_already_used():
    """Cases end on day 2 or on day 7 (late): a case still open after 3 days will be late."""
    history = [ended(2) for _ in range(MIN_ENDS)] + [ended(7) for _ in range(MIN_ENDS)]
    model = Forecaster(history)
    assert round(model.predict("A", "D", 5, 1).probability, 6) == 0.5
    assert round(model.predict("A", "D", 5, 3).probability, 6) == 1.0
    assert model.predict("A", "D", 5, 6).probability == 1.0  # already past its limit


def test_it_pools_by_department_then_league_where_an_item_has_little_history():
    history = [ended(2, item="A") for _ in range(MIN_ENDS)] + [ended(12, item="B", limit=10)] * 5
    model = Forecaster(history)
    assert model.predict("B", "D", 10, 0).basis == DEPARTMENT  # 5 ends of its own are too few
    assert model.predict("C", "E", 10, 0).basis == LEAGUE
    assert Forecaster([]).predict("A", "D", 5, 0) is None


def test_it_pools_upwards_when_an_items_history_has_not_reached_its_limit():
    """A slow item's young history: 30 fast ends, and its slow cases still open at 6 of 20 days. Its own
    curve falls to 0 before the limit (nothing seen beyond 6 days), which says nothing of lateness: the
    department's curve, whose cases did reach their limit, answers instead."""
    young = [ended(4, item="S", limit=20) for _ in range(MIN_ENDS)] + [still_open(6, item="S", limit=20)] * 10
    others = [ended(3, item="A") for _ in range(MIN_ENDS)] + [ended(7, item="A")] * MIN_REACH
    f = Forecaster(young + others).predict("S", "D", 20, 5)
    assert f.basis == DEPARTMENT and f.probability > 0


def landmark(late, suspended, km=0.3):
    return Landmark(km, 2, 5, State(steps_done=1, steps_total=3, suspended=suspended), late)


def test_the_adjuster_moves_the_curve_by_what_the_case_has_been_through():
    """Of the landmarks at the same curve probability, suspended cases went on to breach far less often
    (their due date moves with the suspension): the adjusted probability says so, the curve alone cannot."""
    rows = ([landmark(i % 10 < 4, False) for i in range(400)] + [landmark(i % 10 < 1, True) for i in range(400)])
    adjuster = Adjuster.fit(rows)
    running = adjuster.probability(0.3, 2, 5, State(1, 3, 0, False))
    suspended = adjuster.probability(0.3, 2, 5, State(1, 3, 0, True))
    assert 0.35 <= running <= 0.45 and 0.05 <= suspended <= 0.15
    assert adjuster.probability(0.3, 6, 5, State(1, 3, 0, True)) == 1.0  # past the limit stays certain
    assert Adjuster.fit(rows[:100]) is None  # too few landmarks: the curve alone is used


def test_a_curve_is_fitted_only_when_asked_for_and_predicts_as_one_fitted_ahead():
    """The refresh fits a group's curve the first time a case needs it: the forecasts are those of the
    curves fitted for every group that qualifies, and the groups no case asks for are not fitted."""
    import random

    from insight.model import _fit

    rng = random.Random(5)
    history = [Observation(rng.choice("ABC"), "D" if rng.random() < 0.7 else "E", 5, rng.randrange(0, 9),
                           rng.random() < 0.8, rng.randrange(1, 4)) for _ in range(600)]
    model = Forecaster(history)
    assert model.curves == {}
    eager = {key: _fit(rows) for key, (rows, _ends) in model._groups.items()}
    for used in range(0, 6):
        f = model.predict("A", "D", 5, used)
        curve = eager[(ITEM, "A")]
        before = curve(used / 5 - 1e-9)
        assert f.basis == ITEM and f.probability == float(min(max(curve(1.0) / before, 0.0), 1.0))
    assert set(model.curves) == {("item", "A")}  # B, C, the departments and the League were never needed
