"""The forecast model alone (pure): censoring, conditioning on the days used, pooling."""
from insight.model import DEPARTMENT, ITEM, LEAGUE, MIN_ENDS, Forecaster, Observation


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
    history = [ended(2, item="A") for _ in range(MIN_ENDS)] + [ended(9, item="B", limit=10)] * 5
    model = Forecaster(history)
    assert model.predict("B", "D", 10, 0).basis == DEPARTMENT  # 5 ends of its own are too few
    assert model.predict("C", "E", 10, 0).basis == LEAGUE
    assert Forecaster([]).predict("A", "D", 5, 0) is None
