"""Every detail cases.rules writes on an alert matches a template registered with alerts.vocab, so an
English page shows it in English (the clock's own details are raised for real in
supervision/tests/test_no_codes_reach_people.py)."""
from datetime import date
from decimal import Decimal

from django.utils import translation

from alerts.vocab import detail_parts, detail_text
from cases import rules


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
