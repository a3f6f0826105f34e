"""Every detail cases.rules writes on an alert matches a template registered with alerts.vocab, so an
English page shows it in English (the clock's own details are raised for real in
supervision/tests/test_no_codes_reach_people.py)."""
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from alerts.vocab import detail_parts, detail_text
from cases import rules
from cases.clock import ItemRules, compute

from .test_clock import PLAIN, TZ, at, received_accepted


def details():
    fees = {"GB": Decimal("10")}
    yield rules.fee_finding(fees, "CXF", "20")[1]
    yield rules.fee_finding(fees, "CXF", "abc")[1]
    yield rules.fee_finding(fees, "GB", "50", {"GB": "工本费"})[1]
    yield rules.fee_finding(fees, "GB", "50")[1]
    day, due = date(2026, 12, 3), date(2026, 12, 1)
    yield rules.extension_problem({}, 30, False, day, None)
    yield rules.extension_problem({"days": 5}, 30, False, day, due)
    yield rules.extension_problem({"days": 50, "approved_by": "李局"}, 30, False, day, due)
    yield rules.extension_problem({"days": 5, "approved_by": "李局"}, 30, True, day, due)
    yield rules.extension_problem({"days": 5, "approved_by": "李局"}, 30, False, day, due)


def test_it_renders_every_rule_detail_in_english():
    written = list(details())
    assert len(written) == 9 and all(written)
    assert [d for d in written if detail_parts(d) is None] == []
    with translation.override("en"):
        english = [detail_text(d) for d in written]
    assert "工本费 charged at 50 yuan, above the standard's maximum of 10 yuan" in english
    assert "Extension requested on 2026-12-03, after the promised due date 2026-12-01" in english
    assert [e for e in english if "元" in e or "延期" in e] == []


@pytest.mark.parametrize("warn_days, promised, zh, en", [
    (2, 2, "承诺办结日 2025-10-02 今日到期", "Promised due date 2025-10-02: due today"),
    (1, 5, "距承诺办结日 2025-10-07 还剩 1 个工作日", "Promised due date 2025-10-07: 1 working day left"),
    (3, 5, "距承诺办结日 2025-10-07 还剩 3 个工作日", "Promised due date 2025-10-07: 3 working days left")])
def test_it_says_due_today_on_the_due_date_and_counts_the_days_left_before_it(warn_days, promised, zh, en):
    """DUE_SOON raised by the clock on the due date itself (a limit no longer than the warning days) said
    "还剩 0 个工作日"; one and more days left read as counts, in both languages."""
    result = compute(ItemRules(promised_days=promised, legal_days=20, warn_days=warn_days),
                     received_accepted("2025-09-30T09:10").events, PLAIN, at("2025-10-20T12:00"), TZ)
    detail = next(f.detail for f in result.alerts if f.rule == "DUE_SOON")
    assert detail == zh and detail_text(detail) == zh
    with translation.override("en"):
        assert detail_text(detail) == en


def test_a_detail_stored_with_0_working_days_left_reads_due_today_in_both_languages():
    stored = "距承诺办结日 2026-12-04 还剩 0 个工作日"   # as the clock wrote it before 2026-12-05
    assert detail_text(stored) == "承诺办结日 2026-12-04 今日到期"
    with translation.override("en"):
        assert detail_text(stored) == "Promised due date 2026-12-04: due today"
