"""Where the time goes as indicators of a scheme (issue 18): p90 of a step's used time against its limit,
the share of a step completed overdue, the wait before a step, the share of cases with skipped or
out-of-order steps — per organisation and month, from the step timings built out of band from real
events, scored by a target and a threshold, traced to the cases behind each figure, scoped, and 无数据
when a month has nothing to measure."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases.ingest import ingest
from clearwindow.testing.events import ev
from insight.where import build
from performance.actions import do_copy_scheme, do_score_month
from performance.admin import IndicatorForm
from performance.models import Indicator, Scheme

from clearwindow.testing.clients import login
from clearwindow.testing.records import case

TZ = ZoneInfo("Asia/Shanghai")
MAY = date(2026, 5, 1)
NOW = datetime(2026, 6, 20, 9, 0, tzinfo=TZ)  # after every event (T-7 ends on 16 June)


def at(day, hour, month=5):
    return f"2026-{month:02d}-{day:02d}T{hour}:00+08:00"


def one_case(no, steps, done=None, month=5):
    """A case of ITEM-STEPS (承办 cb 2 days, 审核 sh 2 days, 审批 sp 1 day): received and accepted on the
    11th; `steps`: (code, start day, start hour, end day or None, end hour); completed at `done`."""
    events = [ev(no, "received", at(11, "09:00", month), item_code="ITEM-STEPS"),
              ev(no, "accepted", at(11, "09:10", month), staff="王芳")]
    for code, start, start_hour, end, end_hour in steps:
        events.append(ev(no, "step_started", at(start, start_hour, month), step=code, staff="李明"))
        if end is not None:
            events.append(ev(no, "step_completed", at(end, end_hour, month), step=code, staff="李明"))
    if done is not None:
        events.append(ev(no, "completed", at(*done, month), result="approved", staff="张局长"))
    return events


CB = ("cb", 11, "09:30", 12, "11:00")


def seed(api):
    """May 2026 (11 May a Monday, no holiday up to the 20th), 审批 (sp) of each case by hand:
    T-1  sh done 13th, sp 14th → 15th: waits 1, uses 1 of 1
    T-2  sh done 13th, sp 14th → 18th (Mon): waits 1, uses 2 — overdue
    T-3  sh done 13th, sp 13th → 13th: waits 0, uses 0
    T-4  sh done 12th, sp 14th → 20th: waits 2, uses 4 — overdue
    T-5  no 审核 (skipped, out of order), sp 13th → 13th after 承办 done 12th: waits 1, uses 0
    T-6  open (审核 running): no 审批, not ended; T-7 completed in June: another month."""
    events = []
    events += one_case("T-1", [CB, ("sh", 12, "14:00", 13, "11:00"), ("sp", 14, "10:00", 15, "11:00")], (15, "15:00"))
    events += one_case("T-2", [CB, ("sh", 12, "14:00", 13, "11:00"), ("sp", 14, "10:00", 18, "11:00")], (18, "15:00"))
    events += one_case("T-3", [CB, ("sh", 12, "14:00", 13, "11:00"), ("sp", 13, "14:00", 13, "16:00")], (13, "17:00"))
    events += one_case("T-4", [CB, ("sh", 12, "14:00", 12, "16:00"), ("sp", 14, "10:00", 20, "11:00")], (20, "15:00"))
    events += one_case("T-5", [CB, ("sp", 13, "10:00", 13, "11:00")], (13, "15:00"))
    events += one_case("T-6", [CB, ("sh", 14, "10:00", None, None)])
    events += one_case("T-7", [("cb", 11, "09:30", 12, "11:00"), ("sh", 12, "14:00", 15, "11:00"),
                               ("sp", 16, "10:00", 16, "11:00")], (16, "15:00"), month=6)
    ingest(api, events, now=NOW)
    build(NOW)


def step_scheme():
    """Version 2 of the county governments' scheme, from May 2026: only where the time goes."""
    scheme = Scheme.objects.create(group="county_gov", version=2, effective_from=MAY, note="时间去向")
    for order, (code, name, metric, kind, weight, points, cap, step, target, threshold) in enumerate([
        ("SP_P90", "审批用时比P90", "step_p90_ratio", "weighted", 40, None, None, "sp", 1, 4),
        ("SP_OVERDUE", "审批超时率", "step_overdue_share", "weighted", 30, None, None, "sp", 10, 60),
        ("SP_WAIT", "审批前等待", "step_wait", "weighted", 30, None, None, "sp", 0, 2),
        ("CONFORM", "环节不规范", "nonconformant_share", "deduct", None, "0.1", 5, "", None, None),
    ]):
        Indicator.objects.create(scheme=scheme, order=order, code=code, name=name, stage="during", metric=metric,
                                 kind=kind, weight=weight, points=points, cap=cap, step=step, target=target,
                                 threshold=threshold)
    return scheme


@pytest.fixture
def scored(world, api_client):
    seed(api_client[0])
    step_scheme()
    case(world["other_dept"], start=date(2026, 5, 4), ended=date(2026, 5, 8), due=date(2026, 5, 11))  # no steps
    return do_score_month(MAY, actor="test", now=NOW)


def keys(page):
    return {f"T-{n}" for n in range(1, 8) if f">T-{n}<" in page}


def test_the_figures_are_what_the_cases_say_by_hand(scored):
    lines = {line.code: line for line in scored.scores.get(unit="152502").lines.all()}
    # 审批 used [1, 2, 0, 4, 0] of a 1-day limit: p90 with linear interpolation = 2 + 0.6 × (4 − 2)
    assert lines["SP_P90"].value == pytest.approx(3.2) and lines["SP_P90"].den == 5
    assert lines["SP_OVERDUE"].value == pytest.approx(40.0) and (lines["SP_OVERDUE"].num, lines["SP_OVERDUE"].den) == (2, 5)
    assert lines["SP_WAIT"].value == pytest.approx(1.0)  # waits [1, 1, 0, 2, 1]
    assert lines["CONFORM"].value == pytest.approx(20.0)  # 1 of the 5 cases completed in May (T-5)
    # rates read off target and threshold: (4 − 3.2) / 3, (60 − 40) / 50, (2 − 1) / 2; 0.1 a point, 20 % → 2
    assert [lines[c].points for c in ("SP_P90", "SP_OVERDUE", "SP_WAIT", "CONFORM")] == \
        [Decimal("10.67"), Decimal("12.00"), Decimal("15.00"), Decimal("-2.00")]
    assert scored.scores.get(unit="152502").total == Decimal("35.67")


def test_each_figure_drills_down_to_exactly_its_cases(scored, world):
    lines = {line.code: line for line in scored.scores.get(unit="152502").lines.all()}
    client = login(world["people"]["county_supervisor"])
    p90 = client.get(f"/office/performance/line/{lines['SP_P90'].pk}/").content.decode()
    assert keys(p90) == {"T-1", "T-2", "T-3", "T-4", "T-5"}  # every case the p90 was measured on
    assert p90.index(">T-4<") < p90.index(">T-2<") < p90.index(">T-1<")  # the slowest first
    overdue = client.get(f"/office/performance/line/{lines['SP_OVERDUE'].pk}/").content.decode()
    assert keys(overdue) == {"T-2", "T-4"}
    assert "审批：用时 2 / 时限 1 个工作日，此前等待 1 个工作日，超时" in overdue  # T-2's step as measured
    assert keys(client.get(f"/office/performance/line/{lines['SP_WAIT'].pk}/").content.decode()) == \
        {"T-1", "T-2", "T-3", "T-4", "T-5"}
    assert keys(client.get(f"/office/performance/line/{lines['CONFORM'].pk}/").content.decode()) == {"T-5"}


def test_a_month_with_nothing_to_measure_is_no_data_never_full_marks(scored, world):
    other = scored.scores.get(unit="152522")  # a case in May, but no step and no trace
    assert other.total is None and other.rank is None
    assert all(not line.scored for line in other.lines.all())
    page = login(world["people"]["other_supervisor"]).get(f"/office/performance/score/{other.pk}/").content.decode()
    assert page.count("无数据") >= 5 and "100" not in page.split("perf-total")[1][:200]
    assert scored.scores.get(unit="152502").rank == 1  # ranked alone


def test_the_score_page_speaks_names_and_rules_and_no_codes(scored, world):
    score = scored.scores.get(unit="152502")
    page = login(world["people"]["county_supervisor"]).get(f"/office/performance/score/{score.pk}/").content.decode()
    assert "环节：审批" in page and "达标值 1，不得分值 4" in page and "3.2" in page and "40%" in page
    assert "1 个工作日" in page and "计入 5 项" in page
    for code in ("step_p90_ratio", "step_wait", "nonconformant_share", ">sp<", "SP_P90"):
        assert code not in page
    english = login(world["people"]["county_supervisor"])
    english.cookies["django_language"] = "en"
    page = english.get(f"/office/performance/score/{score.pk}/").content.decode()
    assert "Step:" in page and "target 1, zero at 4" in page and "counted over 5" in page and "环节：" not in page


def test_the_cases_behind_a_figure_are_scoped_to_the_viewer(scored, world):
    score = scored.scores.get(unit="152502")
    line = score.lines.get(code="SP_P90")
    other = login(world["people"]["other_supervisor"])
    assert other.get(f"/office/performance/score/{score.pk}/").status_code == 404
    assert other.get(f"/office/performance/line/{line.pk}/").status_code == 404
    league = login(world["people"]["league_supervisor"]).get(f"/office/performance/line/{line.pk}/").content.decode()
    assert keys(league) == {"T-1", "T-2", "T-3", "T-4", "T-5"}


def test_a_figure_of_every_step_and_a_department_of_the_league(world, api_client):
    """Without a step the figure counts every step; a League department is scored on its own steps."""
    seed(api_client[0])
    Scheme.objects.filter(group="county_gov").delete()
    scheme = Scheme.objects.create(group="county_gov", version=9, effective_from=MAY)
    Indicator.objects.create(scheme=scheme, code="ALL", name="环节超时率", stage="during",
                             metric="step_overdue_share", kind="deduct", points=1)
    line = do_score_month(MAY, actor="test", now=NOW).scores.get(unit="152502").lines.get()
    # completed in May: 承办 ×6 (none overdue: 1 of 2 days), 审核 ×4 (T-1..T-4, 1 or 0 days of 2), 审批 ×5 (2 overdue)
    assert (line.num, line.den) == (2, 15) and line.points == Decimal("-13.33")


def test_a_new_version_keeps_the_step_and_the_rule(scored):
    scheme = Scheme.objects.get(group="county_gov", version=2)
    new = do_copy_scheme(scheme, actor="test", effective_from=date(2026, 7, 1))
    copied = new.indicators.get(code="SP_P90")
    assert (copied.step, copied.target, copied.threshold) == ("sp", Decimal("1.00"), Decimal("4.00"))


def test_the_admin_offers_steps_by_name(world):
    choices = dict(IndicatorForm().fields["step"].choices)
    assert choices["sp"] == "审批" and choices["sh"] == "审核"
