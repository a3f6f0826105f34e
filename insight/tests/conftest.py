from cases.tests.conftest import api_client, calendar_seeded, items, org  # noqa: F401  the same small region
from supervision.tests.conftest import people  # noqa: F401  the same cast of users per role
