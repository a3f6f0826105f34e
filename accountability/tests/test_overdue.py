"""The `accountability.overdue` tick: a case left in a stage past its working-day deadline raises one
yellow alert for its department, which closes when the case moves on."""
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest

from accountability.actions import do_advance_case, do_open_case
from alerts.models import Alert
from core import ticks

OPENED = datetime(2026, 3, 12, 2, 0, tzinfo=dt_timezone.utc)  # a Thursday; 立案 stage: 3 working days


@pytest.fixture
def tick():
    return ticks.registered()["accountability.overdue"]


@pytest.fixture
def acc(world):
    return do_open_case(actor=world["people"]["county_supervisor"], department=world["dept"], title="红牌超期",
                        facts="法定时限届满仍未办结", source_type="other", now=OPENED)


def overdue_alerts():
    return Alert.objects.filter(subject_type="accountability", rule="STAGE_OVERDUE")


def test_it_raises_one_yellow_alert_for_a_stage_past_its_deadline(world, acc, tick):
    later = OPENED + timedelta(days=14)
    assert tick(later) == 1
    assert tick(later + timedelta(hours=1)) == 0
    alert = overdue_alerts().get()
    assert (alert.subject_key, alert.step, alert.level, alert.status) == (acc.number, "opened", "yellow", "open")
    assert alert.department == world["dept"] and alert.region == world["dept"].region
    assert [c.note for c in alert.changes.all()] == ["raised"]


def test_it_closes_the_alert_when_the_case_moves_on(world, acc, tick):
    later = OPENED + timedelta(days=14)
    tick(later)
    do_advance_case(acc, actor=world["people"]["county_supervisor"], note="开始调查", now=later)
    assert tick(later + timedelta(hours=1)) == 1
    alert = overdue_alerts().get()
    assert alert.status == "closed"
    assert [c.to_status for c in alert.changes.all()] == ["open", "closed"]
    assert alert.changes.last().note == "问责案件已进入下一阶段"


def test_it_raises_nothing_for_a_case_within_its_deadline(acc, tick):
    assert tick(OPENED + timedelta(days=1)) == 0
    assert not overdue_alerts().exists()


def test_it_takes_the_same_few_queries_for_many_cases(world, acc, tick, django_assert_max_num_queries):
    for n in range(4):
        do_open_case(actor=world["people"]["county_supervisor"], department=world["dept"], title=f"超期{n}",
                     facts="事实", source_type="other", now=OPENED)
    # 8, 3 for the ledger (take a lane, insert the block, set its head; 2 on PostgreSQL), and on SQLite 1 for each
    # insert that needs its ids (last_insert_rowid: the ORM's INSERT … RETURNING cost ten times as much a row)
    with django_assert_max_num_queries(12):
        assert tick(OPENED + timedelta(days=14)) == 5
