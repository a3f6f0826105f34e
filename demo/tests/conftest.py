import pytest

from cases import projection


@pytest.fixture(autouse=True)
def fresh_centre_cache():
    """cases.projection caches the region -> centre map keyed on row counts; each test here creates the
    same number of centres with new ids (PostgreSQL sequences are not rolled back), so drop it."""
    cached = getattr(projection, "_centre_by_region_cached", None)
    if cached is not None:
        cached.cache_clear()
    yield
