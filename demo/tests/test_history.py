"""The case-history generator alone (no database): deterministic, valid, plausible, with anomalies."""
import re
from collections import Counter
from datetime import date, datetime, timezone

import pytest

from cases.validate import validate_event
from demo import history
from demo.region import build

NOW = datetime(2026, 3, 20, 2, 0, tzinfo=timezone.utc)  # Fri 10:00 local
START, END = date(2026, 3, 2), date(2026, 3, 20)


@pytest.fixture(scope="module")
def demo():
    return build()


@pytest.fixture(scope="module")
def cases(demo):
    return list(history.generate(demo, START, END, until=NOW))


def test_it_generates_the_same_history_for_the_same_seed(demo, cases):
    assert list(history.generate(demo, START, END, until=NOW)) == cases
    assert list(history.generate(demo, START, END, until=NOW, seed=7)) != cases


def test_it_generates_a_day_the_same_whatever_else_was_asked(demo, cases):
    day = date(2026, 3, 11)
    alone = list(history.generate(demo, day, day, until=NOW, departments=["152500-ZRZY"]))
    assert alone == [c for c in cases if c[0]["occurred_at"].startswith("2026-03-11")
                     and c[0]["item_code"].startswith("152500-ZRZY-")]
    assert alone


def test_it_makes_every_event_valid_for_the_exchange_api(cases):
    events = [e for case in cases for e in case]
    for event in events:
        validate_event(event, NOW)
    assert len({e["event_id"] for e in events}) == len(events)
    assert {e["type"] for e in events} == {
        "received", "supplement_requested", "supplement_received", "accepted", "rejected", "step_started",
        "step_completed", "suspended", "resumed", "extended", "fee_charged", "completed", "withdrawn"}


def test_it_numbers_cases_by_region_and_day_and_leaves_out_the_future(cases):
    for case in cases:
        received = case[0]
        assert received["type"] == "received"
        assert re.fullmatch(r"1525\d\d-202603\d\d-\d{6}", received["case_no"])
        assert received["case_no"][7:15] == received["occurred_at"][:10].replace("-", "")
        times = [datetime.fromisoformat(e["occurred_at"]) for e in case]
        assert times == sorted(times) and times[-1] <= NOW
        assert all(e["occurred_at"].endswith("+08:00") for e in case)


def test_it_receives_cases_in_opening_hours_on_working_days(cases):
    for case in cases:
        at = datetime.fromisoformat(case[0]["occurred_at"])
        assert at.weekday() < 5
        assert "08:30" <= at.strftime("%H:%M") < "17:30"
    per_day = Counter(c[0]["occurred_at"][:10] for c in cases)
    full_days = [n for day, n in per_day.items() if day != "2026-03-20"]  # NOW is that morning
    assert len(full_days) == 14 and all(150 <= n <= 500 for n in full_days)


def test_it_gives_applicants_names_id_numbers_and_phones(cases):
    for case in cases[:500]:
        applicant = case[0]["applicant"]
        assert 2 <= len(applicant["name"]) <= 6
        assert re.fullmatch(r"1525\d{14}", applicant["id_number"])
        assert re.fullmatch(r"1[3-9]\d{9}", applicant["phone"])


def test_it_follows_the_catalog_steps_and_mixes_in_anomalies(demo, cases):
    steps = {i["code"]: [s["code"] for s in i["steps"]] for i in demo["catalog"]["items"]}
    ends = Counter()
    for case in cases:
        item = case[0]["item_code"]
        assert all(e["step"] in steps[item] for e in case if "step" in e)
        ends[case[-1]["type"]] += 1
    events = [e for case in cases for e in case]
    assert ends["completed"] > 0.6 * len(cases)  # the latest are still open at NOW
    finished = list(history.generate(demo, START, END, until=datetime(2027, 1, 1, tzinfo=timezone.utc)))
    outcome = Counter(next(e["type"] for e in c if e["type"] in ("completed", "rejected", "withdrawn"))
                      for c in finished)
    assert outcome["completed"] > 0.9 * len(finished)  # mostly good behaviour
    assert 0 < outcome["rejected"] < 0.05 * len(finished) and 0 < outcome["withdrawn"] < 0.05 * len(finished)
    suspensions = Counter(e["kind"] for e in events if e["type"] == "suspended")
    assert suspensions["special_procedure"] > 0 and suspensions["other"] > 0
    assert any(e["type"] == "extended" and "approved_by" not in e for e in events)
    supplements = Counter(e["case_no"] for e in events if e["type"] == "supplement_requested")
    assert 2 in supplements.values()


def test_it_batches_without_splitting_a_case(cases):
    batches = list(history.batches(cases, size=1000))
    assert all(len(b) <= 1000 for b in batches)
    assert sum(len(b) for b in batches) == sum(len(c) for c in cases)
    owner = {}
    for n, batch in enumerate(batches):
        for event in batch:
            assert owner.setdefault(event["case_no"], n) == n
