from performance.tests.conftest import (  # noqa: F401  (shared fixtures)
    api_client, calendar_seeded, items, league_dept, org, people, world,
)
