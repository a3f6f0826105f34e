"""The list pages keep their query count bounded (DESIGN.md, quality bars): the same number of
queries for a page of the fixed cast and for the same page with several more rows of every kind
(no query per row). Measured after one request that warms the per-process caches."""
from datetime import date, datetime, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.models import AccountabilityCase
from alerts.models import Alert
from cases.models import Case
from evaluations.models import Rating
from performance.models import Score
from supervision.models import Urge


LIST_PAGES = ["/supervision/alerts/", "/supervision/urges/", "/supervision/cases/", "/cases/workbench/",
              "/office/evaluations/ratings/", "/office/complaints/", "/office/performance/2026-02/",
              "/accountability/", "/video/observations/"]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def more_rows(cast, n=4):
    """n more cases (each with an alert, an urge, a rating and an accountability case) and scores,
    in the League bureau at the League window."""
    dept, window, score = cast["dL"], cast["wL1"], cast["scL"]
    for i in range(n):
        case = Case.objects.create(case_no=f"kM{i}", item=cast["iL"], department=dept, region=dept.region,
                                   window=window, status="in_progress")
        Alert.objects.create(subject_type="case", subject_key=case.case_no, rule="OVERDUE", level="red",
                             raised_at=NOW, department=dept, region=dept.region)
        Urge.objects.create(number=f"uM{i}", centre=cast["cL"], department=dept, demand="整改", issued_at=NOW,
                            deadline=date(2026, 3, 5))
        Rating.objects.create(number=f"evM{i}", case=case, stage="acceptance", level="dissatisfied", channel="web",
                              rated_at=NOW, department=dept, region=dept.region, window=window, hall=window.hall)
        AccountabilityCase.objects.create(number=f"accM{i}", title="t", facts="f", source_type="alert",
                                          department=dept, region=dept.region, stage="opened",
                                          deadline=date(2026, 3, 5), opened_at=NOW)
        Score.objects.create(period=score.period, group=score.group, unit=f"scM{i}", name=f"scM{i}",
                             scheme=score.scheme, department=dept, region=dept.region, computed=80, total=80)


def queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", LIST_PAGES)
def test_it_reads_a_list_page_in_as_many_queries_whatever_its_rows(client, cast, path):
    client.force_login(cast.users["sys_staff"])
    client.get(path)  # warm the caches (calendar, item versions, session)
    before = queries(client, path)
    more_rows(cast)
    assert queries(client, path) == before
