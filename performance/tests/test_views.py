"""The pages: public results (published only), bulletin and year evaluation with Excel, the office
pages with their actions and access, the evidence page, statistics and open data."""
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from performance.actions import do_publish_period, do_review_period, do_score_month
from performance.models import PeriodStatus

from clearwindow.testing.clients import login
from clearwindow.testing.records import alert, case

from .conftest import MARCH, NOW


@pytest.fixture
def published(world):
    alert(world["other_dept"], "red")
    case(world["dept"], late=True)
    for month in (date(2026, 1, 1), date(2026, 2, 1), MARCH):
        period = do_score_month(month, actor="test", now=NOW)
        do_review_period(period, actor="test")
        do_publish_period(period, actor="test")
    return period


def test_it_shows_nothing_before_publication(world, client):
    do_score_month(MARCH, actor="test", now=NOW)
    page = client.get("/performance/").content.decode()
    assert "暂无已发布的考核结果" in page and "阿巴嘎旗人民政府" not in page


def test_it_publishes_rankings_by_group_with_the_trend(published, client):
    page = client.get("/performance/").content.decode()
    assert "盟直部门" in page and "旗县市区政府" in page
    assert page.index("锡林浩特市人民政府") < page.index("阿巴嘎旗人民政府") or "阿巴嘎旗人民政府" in page
    assert 'id="trend-data"' in page and "2026-01" in page
    assert client.get("/performance/?month=2026-02").status_code == 200
    assert client.get("/performance/?month=2025-13").status_code == 404
    assert client.get("/performance/?month=2024-01").status_code == 404


def test_it_serves_the_quarterly_bulletin_and_its_workbook(published, client):
    page = client.get("/performance/bulletin/2026/q1/").content.decode()
    assert "2026年第1季度行政效能考核通报" in page and "平均分" in page
    response = client.get("/performance/bulletin/2026/q1.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    sheet = wb["旗县市区政府"]
    assert sheet["A1"].value == "2026年第1季度行政效能考核通报"
    assert [c.value for c in sheet[2]][:3] == ["排名", "单位", "2026-01"]
    assert {sheet.cell(row=r, column=2).value for r in (3, 4)} == {"锡林浩特市人民政府", "阿巴嘎旗人民政府"}
    assert client.get("/performance/bulletin/2026/q2/").status_code == 404
    assert client.get("/performance/bulletin/2026/q5/").status_code == 404


def test_it_grades_the_year(world, client):
    for m in range(1, 13):  # a closed year, every month published, both counties with records
        first = date(2025, m, 1)
        case(world["dept"], start=first.replace(day=2), ended=first.replace(day=6), due=first.replace(day=9))
        case(world["other_dept"], start=first.replace(day=2), ended=first.replace(day=6), due=first.replace(day=9),
             late=m % 2 == 0)
        case(world["league_dept"], start=first.replace(day=2), ended=first.replace(day=6), due=first.replace(day=9))
        period = do_score_month(first, actor="test", now=NOW)
        do_review_period(period, actor="test")
        do_publish_period(period, actor="test")
    page = client.get("/performance/year/2025/").content.decode()
    assert "2025年度行政效能考核综合评价" in page and "依据已发布的 12 个月考核结果" in page
    assert any(g in page for g in ("优秀", "良好", "合格", "不合格")) and "有得分月份" not in page
    wb = load_workbook(io.BytesIO(client.get("/performance/year/2025.xlsx").content))
    assert wb["盟直部门"].cell(row=3, column=2).value == "锡林郭勒盟发展和改革委员会"
    assert client.get("/performance/year/2025.doc").status_code == 200  # unknown format: the page


def test_it_downloads_the_month_as_excel(published, client):
    wb = load_workbook(io.BytesIO(client.get("/performance/month/2026-03.xlsx").content))
    assert wb.sheetnames == ["盟直部门", "旗县市区政府"]
    assert client.get("/performance/month/2026-04.xlsx").status_code == 404


def test_it_keeps_the_office_pages_to_staff_and_the_actions_to_the_league_centre(world, client):
    assert client.get("/office/performance/").status_code == 302
    manager = login(world["people"]["manager"])
    assert manager.get("/office/performance/").status_code == 200
    response = manager.post("/office/performance/2026-03/score/", follow=True)
    assert "只有盟级监察中心可以计算考核结果" in response.content.decode()
    admin = login(world["people"]["league_admin"])
    admin.post("/office/performance/2026-03/score/")
    response = admin.post("/office/performance/2026-03/publish/", follow=True)
    assert "尚未审核，不能发布" in response.content.decode()
    admin.post("/office/performance/2026-03/review/")
    admin.post("/office/performance/2026-03/publish/")
    from performance.models import Period

    assert Period.objects.get().status == PeriodStatus.PUBLISHED


def test_it_shows_a_department_only_its_own_score(world):
    period = do_score_month(MARCH, actor="test", now=NOW)
    page = login(world["people"]["manager"]).get("/office/performance/2026-03/").content.decode()
    assert "锡林浩特市人民政府" not in page  # a county government is a region-level score
    own = period.scores.get(unit="152502")
    assert login(world["people"]["other_manager"]).get(f"/office/performance/score/{own.pk}/").status_code == 404


def test_it_opens_the_records_behind_a_line(world):
    late = case(world["dept"], late=True)
    period = do_score_month(MARCH, actor="test", now=NOW)
    score = period.scores.get(unit="152502")
    line = score.lines.get(code="ONTIME")
    sup = login(world["people"]["county_supervisor"])
    page = sup.get(f"/office/performance/score/{score.pk}/").content.decode()
    assert f"/office/performance/line/{line.pk}/" in page
    page = sup.get(f"/office/performance/line/{line.pk}/").content.decode()
    assert late.case_no in page
    assert login(world["people"]["other_supervisor"]).get(f"/office/performance/line/{line.pk}/").status_code == 404


def test_it_adjusts_a_score_from_the_page_and_refuses_an_empty_reason(world):
    case(world["dept"])
    score = do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="152502")
    sup = login(world["people"]["county_supervisor"])
    page = sup.post(f"/office/performance/score/{score.pk}/", {"points": "-2", "reason": ""}, follow=True)
    assert "调整分值必须填写调整理由" in page.content.decode()
    sup.post(f"/office/performance/score/{score.pk}/", {"points": "-2", "reason": "核实窗口缺岗"})
    score.refresh_from_db()
    assert score.adjustment == -2


def test_it_publishes_statistics_and_open_data(world, client):
    case(world["dept"], late=True)
    case(world["dept"])
    page = client.get("/performance/stats/?year=2026").content.decode()
    assert "锡林浩特市人民政府" in page and "50.0%" in page
    data = json.loads(client.get("/performance/opendata.json?year=2026").content)
    row = next(r for r in data["rows"] if r["unit"] == "152502")
    assert row["cases_handled"] == 2 and row["on_time_rate"] == 50.0
    csv_text = client.get("/performance/opendata.csv?year=2026").content.decode("utf-8-sig")
    # people read the CSV: Chinese headers and group names; the JSON keeps machine names and a dictionary
    assert csv_text.splitlines()[0].startswith("考核对象类别,单位编码,单位名称,办结件数")
    assert "旗县市区政府" in csv_text and "county_gov" not in csv_text
    assert data["dictionary"]["fields"]["on_time_rate"] == "按时办结率（%）"
    assert data["dictionary"]["codes"]["group"]["county_gov"] == "旗县市区政府"
    assert client.get("/performance/opendata.xml").status_code == 404
    assert client.get("/performance/stats/?year=abc").status_code == 404



def stats_row(page, name):
    """The cells of the statistics table's row of `name`, as text."""
    import re

    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if name in r)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_it_counts_each_rating_for_the_government_of_its_banner_or_county_and_says_no_data_without_any(
        world, client, back_to_the_default_language):
    from datetime import datetime, timezone as dt_timezone

    from evaluations.models import Rating
    from orgs.models import Department, Region

    town = Region.objects.create(code="152502001", name="宝力根苏木", level="township", parent=world["county"])
    town_dept = Department.objects.create(code="XL-BLG", name="宝力根苏木便民服务中心", region=town)
    at = datetime(2026, 3, 6, 3, tzinfo=dt_timezone.utc)
    for n, (dept, level) in enumerate([(world["dept"], "satisfied"), (town_dept, "dissatisfied"),
                                       (world["league_dept"], "very_satisfied")]):
        Rating.objects.create(number=f"PJT{n}", case=case(dept), stage="completion", level=level, channel="web",
                              rated_at=at, department=dept, region=dept.region)
    page = client.get("/performance/stats/?year=2026").content.decode()
    # a township's department belongs to its county's government; the League department has its own row
    assert stats_row(page, "锡林浩特市人民政府")[3:5] == ["2", "50.0%"]
    assert stats_row(page, "锡林郭勒盟发展和改革委员会")[3:5] == ["1", "100.0%"]
    # nothing rated, nothing handled: no data, neither 0 % nor a perfect score
    assert stats_row(page, "阿巴嘎旗人民政府")[1:5] == ["0", "无数据", "0", "无数据"]
    client.cookies["django_language"] = "en"
    assert stats_row(client.get("/performance/stats/?year=2026").content.decode(), "阿巴嘎旗人民政府")[2] == "No data"
    rows = {r["unit"]: r for r in json.loads(client.get("/performance/opendata.json?year=2026").content)["rows"]}
    assert (rows["152502"]["ratings"], rows["152502"]["satisfaction_rate"]) == (2, 50.0)
    assert (rows["152522"]["ratings"], rows["152522"]["satisfaction_rate"]) == (0, None)

def test_it_prints_the_bulletin_as_pdf(published, client):
    from pathlib import Path

    from core.pdf import chromium

    if not Path(chromium()).exists():
        pytest.skip("no Chromium")
    response = client.get("/performance/bulletin/2026/q1.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 10_000


def test_it_links_each_evidence_record_to_its_page_a_complaint_included(world):
    from datetime import datetime, timezone as dt_timezone

    from complaints.models import Complaint

    dept = world["dept"]
    archived = datetime(2026, 3, 20, 2, tzinfo=dt_timezone.utc)
    Complaint.objects.create(number="TS20260303001", channel="portal", category="attitude", subject="s",
                             content="c", region=dept.region, centre=world["centres"]["152502"], department=dept,
                             status="archived", submitted_at=archived, register_due=date(2026, 3, 5),
                             validity="valid", archived_at=archived)
    period = do_score_month(MARCH, actor="test", now=NOW)
    line = period.scores.get(unit=dept.region.code).lines.get(metric="complaints_valid")
    page = login(world["people"]["league_supervisor"]).get(f"/office/performance/line/{line.pk}/")
    assert page.status_code == 200
    assert 'href="/office/complaints/TS20260303001/"' in page.content.decode()


def test_the_bulletin_prints_the_quarters_ledger_roots(published, client):
    from django.utils import timezone

    from ledger.models import DailyRoot

    for day, root in ((date(2026, 3, 31), "a" * 64), (date(2026, 4, 1), "b" * 64)):
        DailyRoot.objects.create(day=day, heads=[], heads_root="0" * 64, records_root="0" * 64, root=root,
                                 signature="c" * 128, public_key="d" * 64, fixed_at=timezone.now())
    page = client.get("/performance/bulletin/2026/q1/").content.decode()
    assert "本季度监察账本日根" in page and "2026-03-31" in page and "a" * 64 in page and "c" * 128 in page
    assert "b" * 64 not in page and "d" * 64 in page  # the next quarter's root is not; the key that signed is
