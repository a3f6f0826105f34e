"""The analysis page: counts, rates, repeat subjects, suggestions, charts' data and the Excel file."""
from datetime import timedelta
from io import BytesIO

from django.urls import reverse

from complaints import actions as A
from complaints.analysis import analyse
from complaints.models import Complaint, Suggestion

from .conftest import NOW, submit


def closed(org, people, late=timedelta(0), **kw):
    c, _ = submit(org, **kw)
    sup = people["county_supervisor"]
    A.do_register_complaint(c, actor=sup, now=NOW)
    A.do_assign_complaint(c, actor=sup, department=org["dept"], now=NOW)
    A.do_answer_complaint(c, actor=people["manager"], findings="属实", now=NOW)
    A.do_verify_complaint(c, actor=sup, now=NOW)
    A.do_feed_back_complaint(c, actor=sup, feedback="已整改", now=NOW + late)
    return c


def test_it_counts_and_rates_a_period(org, people, calendar):
    a = closed(org, people)
    b = closed(org, people, late=timedelta(days=60))
    A.do_rate_complaint(a, satisfaction="satisfied", now=NOW)
    A.do_rate_complaint(b, satisfaction="dissatisfied", now=NOW)
    A.do_archive_complaint(a, actor=people["county_supervisor"], category="attitude", validity="valid", retention="3y")
    A.do_archive_complaint(b, actor=people["county_supervisor"], category="attitude", validity="invalid",
                           retention="3y")
    submit(org, category="fees", department=None)
    f = analyse(Complaint.objects.all(), "2026-Q1")
    assert f["total"] == 3
    assert {r["key"]: r["n"] for r in f["by_category"]} == {"attitude": 2, "fees": 1}
    assert [r["n"] for r in f["by_month"]] == [0, 0, 3]
    assert (f["validity_rate"], f["on_time_rate"], f["satisfaction_rate"]) == (50.0, 50.0, 50.0)
    assert f["repeats"][0]["n"] == 2 and "约谈" in f["hints"][0]
    assert analyse(Complaint.objects.all(), "2026-04")["total"] == 0


def test_it_shows_the_page_with_suggestions_and_exports_excel(client, org, people, calendar):
    from openpyxl import load_workbook

    closed(org, people)
    client.force_login(people["county_supervisor"])
    url = reverse("complaints:analysis")
    client.post(url, {"period": "2026-03", "department": org["dept"].pk, "text": "规范窗口一次性告知"})
    assert Suggestion.objects.get().department == org["dept"]
    text = client.get(url, {"period": "2026-03"}).content.decode()
    assert 'data-field="total">1<' in text and "规范窗口一次性告知" in text and "cw-analysis" in text
    assert "期间格式" in client.get(url, {"period": "2026-13"}, follow=True).content.decode()
    r = client.get(url, {"period": "2026-03", "format": "xlsx"})
    book = load_workbook(BytesIO(r.content))
    assert book["汇总"]["B2"].value == 1
    assert [row for row in book["整改建议"].iter_rows(values_only=True)][-1][1] == "规范窗口一次性告知"


def test_it_keeps_the_queue_query_count_bounded(client, org, people, calendar, django_assert_max_num_queries):
    for _ in range(5):
        closed(org, people)
    client.force_login(people["county_supervisor"])
    with django_assert_max_num_queries(12):
        r = client.get(reverse("complaints:office"))
    assert r.content.decode().count("TS2026") >= 5
