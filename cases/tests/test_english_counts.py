"""English pages say "1 working day" and "2 working days": every count of working days (and of steps) on the
workbench, the receipt, /track/ and the centre's case page goes through ngettext, never a bare "%(n)s days"."""
import re

import pytest
from django.test import Client
from django.utils import translation

from clearwindow.testing.fixtures import make_item

from .test_workbench import act, clerk_client, people, register  # noqa: F401  (fixtures)
from ..models import Case


def english(client):
    client.cookies["django_language"] = "en"
    return client


def text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def short_case(org, clerk_client):
    """A case of an item promised in 1 working day (legal 2), one step of 1 day and one of 2."""
    make_item(org["dept"], "ITEM-SHORT", promised=1, legal=2, steps=[
        {"code": "cb", "name": "承办", "limit_days": 1, "responsible": "承办人", "duties": "审查", "required": True},
        {"code": "sp", "name": "审批", "limit_days": 2, "responsible": "分管局长", "duties": "审批", "required": True},
    ])
    assert register(clerk_client, item_code="ITEM-SHORT").status_code == 302
    case = Case.objects.get()
    act(clerk_client, case, "accept")
    case.refresh_from_db()
    return case


def no_false_plural(page):
    assert not re.search(r"\b1 working days\b", page), re.search(r".{60}\b1 working days.{20}", page).group(0)


def test_the_workbench_case_page_counts_days_in_english(clerk_client, short_case):
    page = text(english(clerk_client).get(f"/cases/workbench/{short_case.case_no}/"))
    assert "Promised: 1 working day" in page and "Legal: 2 working days" in page
    assert "limit 1 working day" in page and "limit 2 working days" in page
    no_false_plural(page)


def test_the_receipt_and_track_count_days_in_english(clerk_client, short_case):
    receipt = text(english(clerk_client).get(f"/cases/workbench/{short_case.case_no}/receipt/"))
    assert "1 working day" in receipt and "2 working days" in receipt
    no_false_plural(receipt)
    public = english(Client())
    page = text(public.post("/track/", {"case_no": short_case.case_no, "check_code": short_case.check_code}))
    assert "1 working day" in page and "Progress (0 of 2 steps done)" in page
    no_false_plural(page)


def test_the_centre_case_page_counts_days_in_english(client, people, short_case):
    client.force_login(people["supervisor"])
    page = text(english(client).get(f"/supervision/cases/{short_case.case_no}/"))
    assert "Promised time limit 1 working day " in page and "Legal time limit 2 working days" in page
    assert "Suspend clock 0 working days" in page  # English counts zero in the plural
    no_false_plural(page)


@pytest.mark.parametrize("n, en, zh", [(1, "1 working day", "1 个工作日"), (2, "2 working days", "2 个工作日"),
                                       (None, "—", "—")])
def test_the_working_days_filter_counts_in_both_languages(n, en, zh):
    from core.templatetags.cw import working_days

    with translation.override("en"):
        assert working_days(n) == en
    with translation.override("zh-hans"):
        assert working_days(n) == zh


def test_the_step_due_dates_read_as_english_with_no_chinese_spacing(client, clerk_client, people, short_case):
    """The workbench step line separates its due date with " · " (no ideographic space U+3000 on any
    page), and the centre's steps table heads the column "Due"."""
    page = english(clerk_client).get(f"/cases/workbench/{short_case.case_no}/").content.decode()
    assert "\u3000" not in page and " · <span class=\"nowrap\">due <strong>" in page
    client.force_login(people["supervisor"])
    centre = english(client).get(f"/supervision/cases/{short_case.case_no}/").content.decode()
    assert "<th>Due</th>" in centre and "\u3000" not in centre
