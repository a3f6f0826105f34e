"""Months without data (issue 16): a unit with no records in a month has no score (无数据) — not 100 —
no rank and no talk flag; quarterly and annual means leave such months out and a unit needs enough
scored months to be graded. Recomputing a month re-flags the month after it."""
import io
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.test import Client
from openpyxl import load_workbook

from complaints.models import Complaint
from performance.actions import (
    PerformanceError, do_adjust_score, do_publish_period, do_review_period, do_score_month,
)
from performance.models import Score

from clearwindow.testing.records import alert, case

from .conftest import MARCH, NOW


def in_month(dept, first, **kw):
    """A case received and completed in the month starting `first` (on time unless late=True)."""
    return case(dept, start=first.replace(day=2), ended=first.replace(day=6), due=first.replace(day=9), **kw)


def publish(first):
    period = do_score_month(first, actor="test", now=NOW)
    do_review_period(period, actor="test")
    return do_publish_period(period, actor="test")


def test_it_gives_a_month_without_records_no_score_instead_of_100(world, client):
    in_month(world["dept"], MARCH, late=True)  # 锡林浩特市 has a late case; 阿巴嘎旗 has nothing at all
    world["league_dept"].__class__.objects.create(code="XM-EMPTY", name="锡林郭勒盟空闲局", region=world["league"])
    period = publish(MARCH)
    empty = period.scores.get(unit="152522")
    assert empty.total is None and empty.computed is None and empty.rank is None and not empty.talk
    assert period.scores.get(unit="152502").rank == 1  # the only county with data ranks alone
    assert period.scores.get(unit="XM-EMPTY").total is None

    page = client.get("/performance/?month=2026-03").content.decode()
    row = page[page.index("阿巴嘎旗人民政府"):][:300]
    assert "无数据" in row and "100.00" not in page
    wb = load_workbook(io.BytesIO(client.get("/performance/month/2026-03.xlsx").content))
    rows = {r[1]: r for r in wb["旗县市区政府"].iter_rows(min_row=3, values_only=True)}
    assert rows["阿巴嘎旗人民政府"][0] == "—" and rows["阿巴嘎旗人民政府"][4] == "无数据"
    assert isinstance(rows["锡林浩特市人民政府"][4], (int, float))  # a number (openpyxl reads 8.0 back as 8)


def test_it_counts_a_single_complaint_or_alert_or_open_case_as_data(world):
    dept, other = world["dept"], world["other_dept"]
    Complaint.objects.create(number="TS1", channel="portal", category="attitude", subject="s", content="c",
                             region=other.region, centre=world["centres"]["152522"], department=other,
                             status="assigned", submitted_at=datetime(2026, 3, 3, 2, tzinfo=dt_timezone.utc),
                             register_due=date(2026, 3, 5))
    alert(world["league_dept"], "notice")
    period = do_score_month(MARCH, actor="test", now=NOW)
    assert period.scores.get(unit="152522").total is not None  # only a complaint: it has data
    assert period.scores.get(unit="XM-FGW").total is not None  # only an alert
    assert period.scores.get(unit="152502").total is None
    # a case received in February and still open all of March is a record of March
    from cases.models import Case

    Case.objects.create(case_no="OPEN1", department=dept, region=dept.region, status="processing",
                        received_at=datetime(2026, 2, 20, 2, tzinfo=dt_timezone.utc), clock_start=date(2026, 2, 20))
    assert do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="152502").total is not None
    assert do_score_month(date(2026, 1, 1), actor="test", now=NOW).scores.get(unit="152502").total is None


def test_it_refuses_to_adjust_a_score_that_does_not_exist(world):
    score = do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="152522")
    with pytest.raises(PerformanceError, match="无数据"):
        do_adjust_score(score, points=-2, reason="缺岗", actor=world["people"]["league_admin"], now=NOW)
    page = Client()
    page.force_login(world["people"]["league_admin"])
    html = page.get(f"/office/performance/score/{score.pk}/").content.decode()
    assert "无数据" in html and 'name="points"' not in html


def test_it_does_not_count_a_month_without_data_as_a_bottom_month(world):
    dept, other = world["dept"], world["other_dept"]
    jan, feb = date(2026, 1, 1), date(2026, 2, 1)
    for first in (jan, MARCH):
        in_month(dept, first)
        in_month(other, first, late=True)  # 阿巴嘎旗 last in January and March
    in_month(dept, feb)  # February: 阿巴嘎旗 has no records (and is not last)
    for first in (jan, feb, MARCH):
        period = do_score_month(first, actor="test", now=NOW)
    assert Score.objects.get(period__month=jan, unit="152522").rank == 2
    feb_score = Score.objects.get(period__month=feb, unit="152522")
    assert feb_score.total is None and not feb_score.talk
    assert not period.scores.get(unit="152522").talk  # January and March are not consecutive bottom months


def test_it_re_flags_the_month_after_a_recomputed_one(world):
    dept, other = world["dept"], world["other_dept"]
    feb, feb_case = date(2026, 2, 1), None
    for first in (feb, MARCH):
        in_month(dept, first)
        late_case = in_month(other, first, late=True)
        feb_case = late_case if first == feb else feb_case
        do_score_month(first, actor="test", now=NOW)
    march = Score.objects.get(period__month=MARCH, unit="152522")
    assert march.talk
    # February turns out otherwise (corrected records): 阿巴嘎旗's case was on time, 锡林浩特市 had red cards
    feb_case.__class__.objects.filter(pk=feb_case.pk).update(late=False)
    alert(dept, "red", raised=datetime(2026, 2, 10, 2, tzinfo=dt_timezone.utc), key="K-F1")
    alert(dept, "red", raised=datetime(2026, 2, 11, 2, tzinfo=dt_timezone.utc), key="K-F2")
    for n in range(3):
        alert(dept, "yellow", raised=datetime(2026, 2, 12, 2, tzinfo=dt_timezone.utc), key=f"K-Y{n}")
    do_score_month(feb, actor="test", now=NOW)
    assert Score.objects.get(period__month=feb, unit="152502").rank == 2
    march.refresh_from_db()
    assert not march.talk
    # and an adjustment of February re-flags March the same way
    feb_other = Score.objects.get(period__month=feb, unit="152522")
    do_adjust_score(feb_other, points=-50, reason="核实后扣分", actor=world["people"]["league_admin"], now=NOW)
    march.refresh_from_db()
    assert march.talk


def test_it_averages_only_scored_months_and_grades_only_with_enough_of_them(world, client):
    """The issue's case: a bureau with nothing until September must not average 100s into 优秀."""
    dept, other, league = world["dept"], world["other_dept"], world["league_dept"]
    for m in range(1, 13):
        first = date(2025, m, 1)
        in_month(dept, first, late=m in (3, 6))
        in_month(league, first)
        if m >= 9:  # 阿巴嘎旗: records only from September on, and poor ones
            in_month(other, first, late=True)
        publish(first)
    page = client.get("/performance/year/2025/").content.decode()
    section = page[page.index("阿巴嘎旗人民政府"):]
    row = section[:section.index("</tr>")]
    assert row.count("无数据") == 8 and "不参评" in row and "优秀" not in row
    assert "有得分月份 4 个，不足 6 个" in row
    wb = load_workbook(io.BytesIO(client.get("/performance/year/2025.xlsx").content))
    rows = {r[1]: r for r in wb["旗县市区政府"].iter_rows(min_row=3, values_only=True)}
    abg = rows["阿巴嘎旗人民政府"]
    assert abg[0] == "—" and abg[2] == "无数据" and abg[-2] == "不参评"
    assert abg[14] < 90  # the mean of its four scored months, not of eight 100s and four low ones
    assert rows["锡林浩特市人民政府"][0] == 1 and rows["锡林浩特市人民政府"][-2] in ("优秀", "良好", "合格", "不合格")
    # the fourth quarter: three scored months, enough (2 of 3) to be ranked in the bulletin
    q4 = client.get("/performance/bulletin/2025/q4/").content.decode()
    row = q4[q4.index("阿巴嘎旗人民政府"):]
    assert "不参评" not in row[:row.index("</tr>")]
