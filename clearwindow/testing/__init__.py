"""The one home of the suite's shared fixtures and record builders (docs/architecture.md, "Tests").

- `fixtures`: the pytest plugin (loaded by the root conftest.py) with the fixtures every app's tests
  may ask for by name: `calendar_seeded`, `org`, `items`, `api_client`, `people`, `league_dept`,
  `world`, `cast`; and the builders they use: `make_item`, `new_client`, `person`, `STEPS`.
- `cast`: the fixed cast of the access matrix (two Leagues, a user per role in each scope).
- `events`: exchange events as an integrator sends them (`ev`, `post`, `get_case`, `earlier_today`).
- `records`: rows put in place directly (`case`, `alert`), a complaint submitted through its action,
  the monitoring centre's counter totals.
- `calendar`: the calendar table emptied or entered for a year.

Test packages import from here (and from `core.testing`: browser, SMTP, threads, accessibility),
never from another app's tests. It sits with `clearwindow/`, above every floor: it may import any app.
"""
