"""Urge numbers (督办单): DB<local yyyymmdd>-<seq>, from core.numbering (issue 14, defect 3)."""
from datetime import datetime, timezone

import pytest
from django.db import connection  # noqa: F401  (the skipif condition reads it)

from alerts.models import Alert
from cases.ingest import ingest
from clearwindow.testing.events import ev
from core.testing.concurrent import at_once
from supervision.actions import do_issue_urges

# 2026-12-05 06:47 in Beijing, as timezone.now() gives it: in UTC, still 12-04
EARLY = datetime(2026, 12, 4, 22, 47, tzinfo=timezone.utc)


def late_cases(api_client, count):
    """Cases accepted in 2025 and never completed: each has an open OVERDUE alert by 2026."""
    client, _ = api_client
    at = "2025-09-30T09:10:00+08:00"
    ingest(client, [e for n in range(count) for e in (ev(f"XL-LATE-{n}", "received", at, item_code="ITEM-PLAIN"),
                                                      ev(f"XL-LATE-{n}", "accepted", at, staff="a"))], now=EARLY)
    return list(Alert.objects.filter(rule="OVERDUE").order_by("subject_key"))


def issue(alert, people):
    return do_issue_urges([alert], centre=people["county_supervisor"].staff.centre, actor=people["county_supervisor"],
                          demand="请说明超期原因并整改", now=EARLY)[0].number


@pytest.mark.django_db
def test_an_urge_issued_at_0647_beijing_time_carries_that_day(api_client, people):
    [alert] = late_cases(api_client, 1)
    assert issue(alert, people) == "DB20261205-0001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="two writers at once: PostgreSQL")
def test_urges_issued_at_the_same_moment_get_distinct_numbers(api_client, people):
    alerts = late_cases(api_client, 4)
    numbers = at_once(*[lambda a=a: issue(a, people) for a in alerts])
    assert sorted(numbers) == [f"DB20261205-{n:04d}" for n in range(1, 5)]
