"""Scoring a month: every organisation, the lines, the evidence behind every point, recomputation,
adjustments, review and publication, the talk flag and the month-end tick."""
from datetime import date, datetime, timezone as dt_timezone
from decimal import Decimal

import pytest

from core.models import AuditEntry
from performance.actions import (
    PerformanceError, do_adjust_score, do_publish_period, do_review_period, do_score_month,
)
from performance.models import PeriodStatus, Score
from performance.ticks import close_previous_month
from supervision.models import Urge

from clearwindow.testing.records import alert, case

from .conftest import MARCH, NOW


def lines(score):
    return {line.code: line for line in score.lines.all()}


def test_it_scores_every_league_department_and_county_government(world):
    period = do_score_month(MARCH, actor="test", now=NOW)
    units = set(period.scores.values_list("group", "unit"))
    assert units == {("league_dept", "XM-FGW"), ("county_gov", "152502"), ("county_gov", "152522")}
    assert period.status == PeriodStatus.SCORED
    assert period.changes.get().action == "scored"


def test_it_traces_late_cases_and_red_cards_to_their_records(world):
    dept = world["dept"]
    good, late = case(dept), case(dept, late=True, ended=date(2026, 3, 20))
    red = alert(dept, "red")
    period = do_score_month(MARCH, actor="test", now=NOW)
    score = period.scores.get(unit="152502")
    got = lines(score)
    assert got["ONTIME"].value == pytest.approx(50.0)
    assert got["ONTIME"].evidence == [late.pk] and got["ONTIME"].evidence_type == "case"
    assert got["ALERT_RED"].points == Decimal(-10) and got["ALERT_RED"].evidence == [red.pk]
    assert good.pk not in got["ONTIME"].evidence
    other = period.scores.get(unit="152522")  # no records at all this month: no score, no lines
    assert other.total is None and other.rank is None and not other.lines.exists()


def test_it_counts_a_county_government_as_all_its_departments(world):
    from orgs.models import Department, Region

    town = Region.objects.create(code="152502100", name="某镇", level="township", parent=world["county"])
    town_dept = Department.objects.create(code="TOWN-1", name="某镇政府", region=town)
    alert(town_dept, "yellow")
    alert(world["dept"], "yellow", key="K-B")
    score = do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="152502")
    assert lines(score)["ALERT_YELLOW"].points == Decimal(-10)  # two yellow cards, 5 each


def test_it_marks_metrics_whose_source_is_missing_and_scores_nothing_for_them(world):
    from performance.metrics import REGISTRY

    case(world["league_dept"])
    score = do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="XM-FGW")
    got = lines(score)
    for code, metric in (("OBSERVATION", "observations"), ("SATISFACTION", "satisfaction")):
        assert got[code].available == REGISTRY[metric].available()
        if not got[code].available:
            assert got[code].points == 0 and got[code].evidence == []


def test_it_measures_urge_answers_against_their_deadline(world, people):
    dept = world["dept"]
    kw = {"centre": world["centres"]["152502"], "department": dept, "demand": "整改", "issued_at": NOW}
    Urge.objects.create(number="U1", deadline=date(2026, 3, 5), answered_at=datetime(2026, 3, 4, tzinfo=dt_timezone.utc), **kw)
    late = Urge.objects.create(number="U2", deadline=date(2026, 3, 5), **kw)
    score = do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="152502")
    assert lines(score)["URGE"].value == pytest.approx(50.0) and lines(score)["URGE"].evidence == [late.pk]


def test_it_recomputes_on_demand_and_keeps_adjustments(world):
    case(world["dept"])
    period = do_score_month(MARCH, actor="test", now=NOW)
    score = period.scores.get(unit="152502")
    before = score.computed
    do_adjust_score(score, points="-3", reason="窗口擅自离岗，经核实", actor=world["people"]["league_admin"], now=NOW)
    alert(world["dept"], "red")
    period = do_score_month(MARCH, actor=world["people"]["league_admin"], now=NOW)
    score = Score.objects.get(pk=score.pk)
    assert score.computed == before - 10 and score.adjustment == Decimal(-3)
    assert score.total == max(before - 13, 0)
    assert [c.action for c in period.changes.all()] == ["scored", "recomputed"]


def test_it_refuses_an_adjustment_without_reason_or_from_a_department(world):
    case(world["dept"])
    score = do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="152502")
    with pytest.raises(PerformanceError, match="必须填写调整理由"):
        do_adjust_score(score, points=2, reason="  ", actor=world["people"]["league_admin"])
    with pytest.raises(PerformanceError, match="只有监察中心"):
        do_adjust_score(score, points=2, reason="理由", actor=world["people"]["manager"])
    with pytest.raises(PerformanceError, match="只有监察中心"):  # another county's centre
        do_adjust_score(score, points=2, reason="理由", actor=world["people"]["other_supervisor"])
    with pytest.raises(PerformanceError, match="应为数字"):
        do_adjust_score(score, points="two", reason="理由", actor=world["people"]["league_admin"])
    assert Score.objects.get(pk=score.pk).adjustment == 0


def test_it_refuses_to_publish_an_unreviewed_period_and_to_recompute_a_published_one(world):
    admin = world["people"]["league_admin"]
    period = do_score_month(MARCH, actor="test", now=NOW)
    with pytest.raises(PerformanceError, match="尚未审核，不能发布"):
        do_publish_period(period, actor=admin)
    with pytest.raises(PerformanceError, match="只有盟级监察中心"):
        do_review_period(period, actor=world["people"]["county_supervisor"])
    do_review_period(period, actor=admin)
    period = do_publish_period(period, actor=admin)
    assert period.status == PeriodStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="performance.publish", object_id=str(period.pk)).exists()
    with pytest.raises(PerformanceError, match="已发布，不能重新计算"):
        do_score_month(MARCH, actor=admin)
    with pytest.raises(PerformanceError, match="已发布的考核结果不能调整"):
        do_adjust_score(period.scores.first(), points=1, reason="x", actor=admin)


def test_it_flags_the_bottom_organisation_two_months_running_for_a_talk(world):
    for month, day in ((date(2026, 2, 1), datetime(2026, 2, 10, tzinfo=dt_timezone.utc)), (MARCH, None)):
        case(world["dept"], start=month.replace(day=2), ended=month.replace(day=6), due=month.replace(day=9))
        alert(world["other_dept"], "red", raised=day or datetime(2026, 3, 10, tzinfo=dt_timezone.utc), key=f"K{month}")
        period = do_score_month(month, actor="test", now=NOW)
    flagged = set(period.scores.filter(talk=True).values_list("unit", flat=True))
    assert flagged == {"152522"}
    feb = period.scores.get(unit="152522")
    assert feb.rank == 2


def test_it_scores_the_previous_month_once_at_period_close(world):
    assert close_previous_month(datetime(2026, 4, 1, 0, 5, tzinfo=dt_timezone.utc)) == 1
    assert close_previous_month(datetime(2026, 4, 3, tzinfo=dt_timezone.utc)) == 0
    from performance.models import Period

    assert list(Period.objects.values_list("month", flat=True)) == [MARCH]
