"""Accountability cases: opened in one click from a red card with its evidence, carried through every
stage to the archive with documents, refused without the required fields, confidential, and counted
in the monthly score."""
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accountability.access import visible_cases
from accountability.actions import AccountabilityError, do_advance_case, do_open_case
from accountability.models import AccountabilityCase, Stage
from performance.actions import do_score_month
from clearwindow.testing.clients import login
from clearwindow.testing.records import alert, case
from supervision.models import Urge

MARCH = date(2026, 3, 1)
NOW = datetime(2026, 3, 12, 2, 0, tzinfo=dt_timezone.utc)


@pytest.fixture
def red(world):
    card = alert(world["dept"], "red", key="K-RED")
    urge = Urge.objects.create(number="DB-1", centre=world["centres"]["152502"], department=world["dept"],
                               demand="整改", issued_at=NOW, deadline=date(2026, 3, 16))
    urge.alerts.add(card)
    return card


def test_it_opens_a_case_from_a_red_card_and_carries_it_to_the_archive(world, red, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sup = login(world["people"]["county_supervisor"])
    form = sup.get(f"/accountability/new/?alert={red.pk}").content.decode()
    assert "K-RED" in form and f'value="{world["dept"].pk}" selected' in form
    response = sup.post("/accountability/new/", {"alert": red.pk, "department": world["dept"].pk, "title": "红牌超期",
                                                 "facts": "法定时限届满仍未办结", "source_type": "alert"})
    acc = AccountabilityCase.objects.get()
    assert response.url == f"/accountability/{acc.number}/"
    assert {(e.kind, e.key) for e in acc.evidence.all()} == {("alert", str(red.pk)), ("case", "K-RED"), ("urge", "DB-1")}
    url = f"/accountability/{acc.number}/"
    sup.post(url, {"note": "开始调查"})
    page = sup.post(url, {"note": "调查完毕", "decision": "", "decision_text": ""}, follow=True).content.decode()
    assert "问责方式：请选择一种" in page
    sup.post(url, {"note": "调查完毕", "decision": "admonishment", "decision_text": "对窗口负责人诫勉谈话"})
    sup.post(url, {"action": "document", "title": "诫勉谈话记录",
                   "file": SimpleUploadedFile("talk.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    sup.post(url, {"note": "已谈话", "execution_note": "2026年3月20日已谈话"})
    sup.post(url, {"note": "归档"})
    acc.refresh_from_db()
    assert acc.stage == Stage.ARCHIVED and acc.decision == "admonishment"
    assert [c.to_stage for c in acc.changes.all()] == ["opened", "investigating", "decided", "executed", "archived"]
    assert acc.documents.get().title == "诫勉谈话记录"
    page = sup.get(url).content.decode()
    assert "诫勉谈话" in page and "DB-1" in page
    assert sup.get(f"/accountability/{acc.number}/document/{acc.documents.get().pk}/").status_code == 200


def test_it_refuses_missing_fields_and_non_centre_actors(world, red):
    sup = world["people"]["county_supervisor"]
    kw = {"department": world["dept"], "source_type": "alert", "sources": [("alert", red)]}
    with pytest.raises(AccountabilityError, match="事由：必填"):
        do_open_case(actor=sup, title=" ", facts="x", **kw)
    with pytest.raises(AccountabilityError, match="只有监察中心"):
        do_open_case(actor=world["people"]["manager"], title="t", facts="x", **kw)
    with pytest.raises(AccountabilityError, match="不在本中心辖区内"):
        do_open_case(actor=world["people"]["other_supervisor"], title="t", facts="x", **kw)
    acc = do_open_case(actor=sup, title="t", facts="x", **kw)
    with pytest.raises(AccountabilityError, match="办理意见：必填"):
        do_advance_case(acc, actor=sup, note="")
    assert AccountabilityCase.objects.count() == 1


def test_it_keeps_cases_confidential(world, red):
    sup = world["people"]["county_supervisor"]
    acc = do_open_case(actor=sup, department=world["dept"], title="t", facts="x", source_type="alert",
                       sources=[("alert", red)])
    manager, clerk = world["people"]["manager"], world["people"]["clerk"]
    assert not visible_cases(manager).exists()  # not before the decision
    assert login(manager).get(f"/accountability/{acc.number}/").status_code == 404
    do_advance_case(acc, actor=sup, note="a")
    do_advance_case(acc, actor=sup, note="b", decision="criticism", decision_text="批评教育")
    assert list(visible_cases(manager)) == [acc]
    assert not visible_cases(clerk).exists() and not visible_cases(world["people"]["other_supervisor"]).exists()
    assert not visible_cases(world["people"]["other_manager"]).exists()
    assert login(world["people"]["other_supervisor"]).get(f"/accountability/{acc.number}/").status_code == 404
    assert login(manager).get("/accountability/new/").status_code == 403


def test_it_counts_a_decision_in_the_month_score(world, red):
    sup = world["people"]["county_supervisor"]
    acc = do_open_case(actor=sup, department=world["dept"], title="t", facts="x", source_type="alert",
                       sources=[("alert", red)], now=NOW)
    do_advance_case(acc, actor=sup, note="a", now=NOW)
    do_advance_case(acc, actor=sup, note="b", decision="circulated", decision_text="通报批评", now=NOW)
    score = do_score_month(MARCH, actor="test", now=NOW).scores.get(unit="152502")
    line = score.lines.get(code="ACCOUNTABILITY")
    assert line.points == -5 and line.evidence == [acc.pk] and line.available


def test_it_refuses_to_open_from_an_alert_out_of_scope(world, red):
    other = login(world["people"]["other_supervisor"])
    assert other.get(f"/accountability/new/?alert={red.pk}").status_code == 404
    assert other.get("/accountability/new/?alert=abc").status_code == 404
