from core.tests.cast import cast  # noqa: F401  (the fixed cast; see core/tests/cast.py)
