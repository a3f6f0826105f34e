"""The progress-lookup codes a new case gets (portal.views.track asks for one with the case number)."""
from collections import Counter
from itertools import islice

from cases.projection import check_codes


def test_codes_are_six_digits_and_spread_over_the_whole_range_past_one_pool():
    codes = list(islice(check_codes(), 5000))  # more than the 1,024 one read of randomness gives
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(set(codes)) > 4900  # about 12 repeats are expected among 5,000 of a million
    assert Counter(c[0] for c in codes).keys() == set("0123456789")  # leading digits, zeros kept
    assert len(set(codes[:1024]) & set(codes[1024:2048])) < 10  # the second pool is not the first again
