"""The complaint flow through its action functions: deadlines in working days, a row per change."""
from datetime import date, timedelta

import pytest

from alerts.models import Alert, AlertStatus
from complaints import actions as A, ticks
from complaints.models import ComplaintChange, Extension, Status

from .conftest import NOW, submit


def full_run(org, people, c, *, reopen_first=False):
    sup, mgr = people["county_supervisor"], people["manager"]
    A.do_register_complaint(c, actor=sup, now=NOW)
    A.do_assign_complaint(c, actor=sup, department=org["dept"], instructions="请核查", now=NOW)
    A.do_answer_complaint(c, actor=mgr, findings="属实，已批评教育", measures="窗口一次性告知", now=NOW)
    A.do_verify_complaint(c, actor=sup, note="核实无误", now=NOW)
    A.do_feed_back_complaint(c, actor=sup, feedback="经核查属实，已整改。", now=NOW)
    return c


def test_it_runs_the_whole_flow_with_a_row_per_change(org, people, calendar):
    c, secret = submit(org)
    assert c.status == Status.SUBMITTED and A.secret_matches(c, secret)
    assert c.register_due == calendar.add_wd(date(2026, 3, 2), 3)
    full_run(org, people, c)
    assert c.due == calendar.add_wd(date(2026, 3, 2), 15)
    assert c.fed_back_on_time is True
    A.do_rate_complaint(c, satisfaction="satisfied", now=NOW)
    A.do_archive_complaint(c, actor=people["county_supervisor"], category="attitude", validity="valid",
                           retention="10y", now=NOW)
    c.refresh_from_db()
    assert (c.status, c.satisfaction, c.validity, c.retention) == ("archived", "satisfied", "valid", "10y")
    rows = list(ComplaintChange.objects.filter(complaint=c).values_list("from_status", "to_status", "actor_name"))
    assert [r[1] for r in rows] == ["submitted", "registered", "assigned", "answered", "verified", "fed_back",
                                    "closed", "archived"]
    assert rows[3] == ("assigned", "answered", "manager")


def test_it_refuses_steps_out_of_order(org, people, calendar):
    c, _ = submit(org)
    with pytest.raises(A.ComplaintError):
        A.do_answer_complaint(c, actor=people["manager"], findings="x", now=NOW)
    with pytest.raises(A.ComplaintError):
        A.do_decline_complaint(c, actor=people["county_supervisor"], reasons="  ", now=NOW)


def test_it_keeps_serious_categories_at_the_centre(org, people, calendar):
    c, _ = submit(org, category="graft")
    sup = people["county_supervisor"]
    A.do_register_complaint(c, actor=sup, now=NOW)
    with pytest.raises(A.ComplaintError, match="吃拿卡要"):
        A.do_assign_complaint(c, actor=sup, department=org["dept"], now=NOW)
    A.do_assign_complaint(c, actor=sup, department=None, now=NOW)
    assert c.handled_by_centre and c.assignee is None and c.status == Status.ASSIGNED


def test_it_returns_an_answer_and_lets_a_dissatisfied_complainant_reopen_once(org, people, calendar):
    c, _ = submit(org)
    sup = people["county_supervisor"]
    A.do_register_complaint(c, actor=sup, now=NOW)
    A.do_assign_complaint(c, actor=sup, department=org["dept"], now=NOW)
    A.do_answer_complaint(c, actor=people["manager"], findings="不属实", now=NOW)
    A.do_return_complaint(c, actor=sup, note="未附调查材料", now=NOW)
    assert c.status == Status.ASSIGNED
    A.do_answer_complaint(c, actor=people["manager"], findings="补充调查，部分属实", now=NOW)
    A.do_verify_complaint(c, actor=sup, now=NOW)
    A.do_feed_back_complaint(c, actor=sup, feedback="部分属实", now=NOW)
    later = NOW + timedelta(days=7)
    A.do_rate_complaint(c, satisfaction="dissatisfied", reopen=True, now=later)
    assert (c.status, c.reopens, c.due) == (Status.ASSIGNED, 1, calendar.add_wd(date(2026, 3, 9), 15))
    A.do_answer_complaint(c, actor=people["manager"], findings="再次核查", now=later)
    A.do_verify_complaint(c, actor=sup, now=later)
    A.do_feed_back_complaint(c, actor=sup, feedback="再次核查结果", now=later)
    A.do_rate_complaint(c, satisfaction="dissatisfied", reopen=True, now=later)
    assert (c.status, c.satisfaction) == (Status.CLOSED, "dissatisfied")


def test_it_extends_once_with_the_centres_approval(org, people, calendar):
    c, _ = submit(org)
    sup = people["county_supervisor"]
    A.do_register_complaint(c, actor=sup, now=NOW)
    A.do_assign_complaint(c, actor=sup, department=org["dept"], now=NOW)
    due = c.due
    A.do_request_extension(c, actor=people["manager"], reason="需现场核查", now=NOW)
    with pytest.raises(A.ComplaintError):
        A.do_request_extension(c, actor=people["manager"], reason="再次", now=NOW)
    A.do_decide_extension(c, actor=sup, approve=True, now=NOW)
    assert c.extension == Extension.APPROVED and c.due == calendar.add_wd(due, 15)
    with pytest.raises(A.ComplaintError):
        A.do_request_extension(c, actor=people["manager"], reason="第二次", now=NOW)


def test_it_merges_a_repeat_complaint_into_the_first(org, people, calendar):
    first, _ = submit(org)
    repeat, _ = submit(org, name="李四")
    sup = people["county_supervisor"]
    A.do_merge_complaint(repeat, into=first, actor=sup, reason="同一事项", now=NOW)
    assert repeat.status == Status.MERGED and repeat.merged_into == first
    with pytest.raises(A.ComplaintError):
        A.do_merge_complaint(first, into=first, actor=sup, reason="x", now=NOW)


def test_it_declines_and_redirects_with_written_reasons(org, people, calendar):
    sup = people["county_supervisor"]
    a, _ = submit(org)
    A.do_decline_complaint(a, actor=sup, reasons="不属于效能投诉范围", now=NOW)
    b, _ = submit(org)
    A.do_redirect_complaint(b, actor=sup, to="市信访局", reasons="属信访事项", now=NOW)
    assert (a.status, b.status, b.redirected_to) == ("declined", "redirected", "市信访局")


def test_it_raises_an_alert_for_an_overdue_complaint_naming_only_the_handler(org, people, calendar):
    sup = people["county_supervisor"]
    late, _ = submit(org)
    A.do_register_complaint(late, actor=sup, now=NOW)
    A.do_assign_complaint(late, actor=sup, department=org["dept"], now=NOW)
    kept, _ = submit(org, category="fees")
    A.do_register_complaint(kept, actor=sup, now=NOW)
    A.do_assign_complaint(kept, actor=sup, department=None, now=NOW)
    unregistered, _ = submit(org)
    after = NOW + timedelta(days=40)
    assert ticks.tick(after) == 3
    assert ticks.tick(after) == 0  # raised once
    alerts = {a.subject_key: a for a in Alert.objects.filter(subject_type="complaint")}
    assert alerts[late.number].department == org["dept"] and alerts[late.number].rule == "COMPLAINT_OVERDUE"
    assert alerts[kept.number].department is None  # the accused department is never told
    assert alerts[unregistered.number].rule == "COMPLAINT_REGISTER_OVERDUE"
    A.do_answer_complaint(late, actor=people["manager"], findings="已办", now=after)
    A.do_verify_complaint(late, actor=sup, now=after)
    A.do_feed_back_complaint(late, actor=sup, feedback="已办", now=after)
    assert late.fed_back_on_time is False
    assert Alert.objects.get(subject_key=late.number).status == AlertStatus.CLOSED


def test_it_closes_a_complaint_nobody_rated(org, people, calendar):
    c, _ = submit(org)
    full_run(org, people, c)
    assert ticks.close_unrated(NOW + timedelta(days=5)) == 0
    assert ticks.close_unrated(NOW + timedelta(days=30)) == 1
    c.refresh_from_db()
    assert (c.status, c.satisfaction) == ("closed", "no_reply")


def test_it_alerts_an_unanswered_consultation_after_three_working_days(org, people, calendar):
    q, _ = A.do_submit_consultation(question="营业执照需要哪些材料？", region=org["county"], department=org["dept"],
                                    channel="portal", actor="portal", now=NOW)
    assert q.due == calendar.add_wd(date(2026, 3, 2), 3)
    assert ticks.tick(NOW + timedelta(days=2)) == 0
    assert ticks.tick(NOW + timedelta(days=6)) == 1
    A.do_answer_consultation(q, actor=people["manager"], answer="身份证、申请书。", now=NOW + timedelta(days=6))
    assert Alert.objects.get(subject_key=q.number).status == AlertStatus.CLOSED


def test_it_marks_overdue_complaints_in_the_list_and_on_the_page_like_their_alert(client, org, people, calendar):
    """A complaint past its feedback due date and still being handled is marked 反馈超期 in the office
    list and on its page, as its COMPLAINT_OVERDUE alert says; one fed back, or not yet due, is not."""
    from django.urls import reverse
    from django.utils import timezone

    sup = people["county_supervisor"]
    late, _ = submit(org)  # submitted 2026-03-02: feedback due in March
    A.do_register_complaint(late, actor=sup, now=NOW)
    A.do_assign_complaint(late, actor=sup, department=org["dept"], now=NOW)
    done = full_run(org, people, submit(org, subject="已反馈的投诉")[0])
    fresh, _ = submit(org, subject="刚提交的投诉", now=timezone.now())
    ticks.tick(timezone.now())
    assert Alert.objects.get(subject_key=late.number).rule == "COMPLAINT_OVERDUE"
    assert not Alert.objects.filter(subject_key__in=[done.number, fresh.number]).exists()

    client.force_login(sup)
    rows = {}
    for row in client.get(reverse("complaints:office")).content.decode().split("<tr>")[2:]:
        number = next(c.number for c in (late, done, fresh) if c.number in row)
        rows[number] = row
    assert "反馈超期" in rows[late.number] and str(late.due) in rows[late.number]
    assert "超期" not in rows[done.number] and "超期" not in rows[fresh.number]
    only_late = client.get(reverse("complaints:office"), {"status": "overdue"}).content.decode()
    assert late.number in only_late and done.number not in only_late and fresh.number not in only_late
    page = client.get(reverse("complaints:detail", args=[late.number])).content.decode()
    assert "反馈超期" in page and "已过期限" in page
    fresh_page = client.get(reverse("complaints:detail", args=[fresh.number])).content.decode()
    assert "超期" not in fresh_page.split("<main", 1)[1].split("</main>")[0]  # the menu has 可能超期 (cases)
