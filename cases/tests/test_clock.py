"""The case clock (DOMAIN.md, "The case clock"): worked examples and each clause of the clock.

Pure tests: no database. The helpers at the top are shared by the other clock and rule tests.
"""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases.clock import Event, ItemRules, StepRule, compute
from workdays.arith import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")


def golden_week_2025():
    """Holidays 2025-10-01…08; Sat 2025-10-11 a make-up workday (the DOMAIN.md worked example)."""
    overrides = {date(2025, 10, d): False for d in range(1, 9)}
    overrides[date(2025, 10, 11)] = True
    return WorkCalendar(overrides)


PLAIN = WorkCalendar({})


def at(text):
    """A local (Asia/Shanghai) instant from 'YYYY-MM-DDTHH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


class History:
    """Events of one case in arrival order: h.add('accepted', '2025-09-30T09:10', staff='x')."""

    def __init__(self):
        self.events = []

    def add(self, type_, when, **data):
        self.events.append(Event(len(self.events) + 1, type_, at(when), data))
        return self


def item(promised=5, legal=20, **kwargs):
    return ItemRules(promised_days=promised, legal_days=legal, **kwargs)


def state(history, as_of, rules=None, cal=PLAIN, **kwargs):
    return compute(rules or item(), history.events, cal, at(as_of), TZ, **kwargs)


def rules_of(result):
    return {f.rule: f for f in result.alerts}


def raised(result, rule):
    return rules_of(result)[rule].raised_at


def received_accepted(when="2025-09-30T09:10"):
    return History().add("received", when, item_code="X").add("accepted", when, staff="a")


# -- the worked example ----------------------------------------------------------------------

def test_it_computes_the_worked_example_due_dates():
    result = state(received_accepted(), "2025-10-10T12:00", cal=golden_week_2025())
    assert result.status == "in_progress"
    assert result.clock_start == date(2025, 9, 30)
    assert result.promised_due == date(2025, 10, 14)
    assert result.legal_due == date(2025, 11, 4)
    assert (result.promised_limit_days, result.legal_limit_days) == (5, 20)


@pytest.mark.parametrize("day, remaining", [("2025-10-10", 3), ("2025-10-11", 2), ("2025-10-13", 1),
                                            ("2025-10-14", 0), ("2025-10-15", -1)])
def test_it_counts_remaining_working_days_in_the_worked_example(day, remaining):
    result = state(received_accepted(), day + "T12:00", cal=golden_week_2025())
    assert result.remaining_working_days == remaining


def test_it_raises_due_soon_at_midnight_of_the_worked_example_day():
    cal = golden_week_2025()
    assert "DUE_SOON" not in rules_of(state(received_accepted(), "2025-10-10T23:59", cal=cal))
    result = state(received_accepted(), "2025-10-11T00:00", cal=cal)
    assert raised(result, "DUE_SOON") == datetime(2025, 10, 11, tzinfo=TZ)
    assert raised(result, "DUE_SOON").isoformat() == "2025-10-11T00:00:00+08:00"
    assert result.alert_level == "notice"


def test_it_raises_overdue_the_day_after_the_worked_example_due_date_and_closes_due_soon():
    cal = golden_week_2025()
    before = state(received_accepted(), "2025-10-14T23:59", cal=cal)
    assert "OVERDUE" not in rules_of(before) and not before.late
    result = state(received_accepted(), "2025-10-16T08:00", cal=cal)
    assert raised(result, "OVERDUE").isoformat() == "2025-10-15T00:00:00+08:00"
    assert rules_of(result)["DUE_SOON"].closed_at == raised(result, "OVERDUE")
    assert result.late is True
    assert result.alert_level == "yellow"


def test_it_raises_legal_overdue_the_day_after_the_legal_due_date():
    result = state(received_accepted(), "2025-11-05T00:00", cal=golden_week_2025())
    assert raised(result, "LEGAL_OVERDUE").isoformat() == "2025-11-05T00:00:00+08:00"
    assert result.alert_level == "red"


def test_it_moves_the_due_date_by_the_suspension_of_the_worked_example():
    h = History().add("received", "2026-03-02T09:00", item_code="X").add("accepted", "2026-03-02T09:30", staff="a")
    assert state(h, "2026-03-03T12:00", item(10, 20)).promised_due == date(2026, 3, 16)
    h.add("suspended", "2026-03-04T15:00", kind="special_procedure", reason="expert review")
    h.add("resumed", "2026-03-10T10:00")
    result = state(h, "2026-03-11T12:00", item(10, 20))
    assert result.suspended_working_days == 4
    assert result.promised_due == date(2026, 3, 20)
    assert result.status == "in_progress"


# -- order -------------------------------------------------------------------------------------

def test_it_applies_events_in_occurred_order_whatever_order_they_arrive_in():
    h = History()
    h.add("resumed", "2026-03-10T10:00")
    h.add("suspended", "2026-03-04T15:00", kind="other", reason="r")
    h.add("accepted", "2026-03-02T09:30", staff="a")
    h.add("received", "2026-03-02T09:00", item_code="X")
    result = state(h, "2026-03-11T12:00", item(10, 20))
    assert result.promised_due == date(2026, 3, 20)
    assert result.notes == []


def test_it_breaks_ties_by_arrival_order():
    h = received_accepted("2026-03-02T09:00")
    h.add("suspended", "2026-03-03T10:00", kind="other", reason="r")
    h.add("resumed", "2026-03-03T10:00")  # arrived after: applied after
    assert state(h, "2026-03-04T12:00").status == "in_progress"
    g = received_accepted("2026-03-02T09:00")
    g.add("resumed", "2026-03-03T10:00")  # arrived first: nothing open yet
    g.add("suspended", "2026-03-03T10:00", kind="other", reason="r")
    result = state(g, "2026-03-04T12:00")
    assert result.status == "suspended"
    assert [n["note"] for n in result.notes] == ["resumed_not_suspended"]


def test_it_ignores_events_after_as_of():
    h = received_accepted("2026-03-02T09:00").add("completed", "2026-03-05T10:00", result="approved", staff="a")
    assert state(h, "2026-03-04T12:00").status == "in_progress"
    assert state(h, "2026-03-05T10:00").status == "completed"


def test_it_requires_aware_instants():
    h = received_accepted("2026-03-02T09:00")
    with pytest.raises(ValueError):
        compute(item(), h.events, PLAIN, datetime(2026, 3, 3), TZ)


# -- statuses ----------------------------------------------------------------------------------

def test_it_is_incomplete_without_a_received_event():
    h = History().add("accepted", "2026-03-02T09:00", staff="a")
    result = state(h, "2026-03-03T09:00")
    assert result.status == "incomplete"
    assert result.clock_start is None and result.next_check_at is None
    assert [n["note"] for n in result.notes] == ["before_received"]
    assert compute(item(), [], PLAIN, at("2026-03-03T09:00"), TZ).status == "incomplete"


def test_it_puts_received_first_among_events_of_one_instant_and_the_rest_in_arrival_order():
    """DOMAIN.md: ties in occurred_at go by arrival order, "whatever order they arrive in". A 即办
    case's `received` and `accepted` share their instant: posted either way round, the same case."""
    in_order = History().add("received", "2026-03-02T09:00", item_code="X").add("accepted", "2026-03-02T09:00")
    reversed_ = History().add("accepted", "2026-03-02T09:00").add("received", "2026-03-02T09:00", item_code="X")
    for h in (in_order, reversed_):
        result = state(h, "2026-03-12T09:00")
        assert (result.clock_start, result.deemed_accepted, result.notes) == (date(2026, 3, 2), False, [])
        assert "ACCEPT_LATE" not in rules_of(result)
    # other events of one instant keep their arrival order: a completion sent before the last
    # step's completion finds that step not done
    steps = item(steps=(StepRule("handle", 2),))
    done_then_step = received_accepted("2026-03-02T09:00").add("completed", "2026-03-03T09:00", result="approved")
    done_then_step.add("step_completed", "2026-03-03T09:00", step="handle")
    assert "STEP_SKIPPED" in rules_of(state(done_then_step, "2026-03-04T09:00", steps))
    step_then_done = received_accepted("2026-03-02T09:00").add("step_completed", "2026-03-03T09:00", step="handle")
    step_then_done.add("completed", "2026-03-03T09:00", result="approved")
    assert "STEP_SKIPPED" not in rules_of(state(step_then_done, "2026-03-04T09:00", steps))


def test_it_judges_the_time_rules_on_the_case_after_all_the_events_of_an_instant():
    """A resume and a new suspension stamped with the same second leave the case suspended at that
    instant: the moment in between is no state the case was ever in, and raises nothing."""
    h = received_accepted("2026-03-02T09:00")  # promised 5: due Mon 03-09
    h.add("suspended", "2026-03-09T10:00", kind="other", reason="r")
    # on Saturday 03-14 the 4 suspended days (10…13) put the due date on Friday 03-13: past it
    h.add("resumed", "2026-03-14T09:00").add("suspended", "2026-03-14T09:00", kind="other", reason="r")
    result = state(h, "2026-03-14T10:00")
    assert result.status == "suspended" and "OVERDUE" not in rules_of(result)
    h.add("resumed", "2026-03-16T09:00")  # one more suspended day (16): due 03-16
    assert raised(state(h, "2026-03-17T10:00"), "OVERDUE") == at("2026-03-17T00:00")


def test_it_walks_through_the_statuses():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    assert state(h, "2026-03-02T10:00").status == "received"
    h.add("supplement_requested", "2026-03-02T11:00", materials=["id card"])
    assert state(h, "2026-03-02T12:00").status == "awaiting_supplement"
    h.add("supplement_received", "2026-03-03T09:00")
    assert state(h, "2026-03-03T10:00").status == "received"
    h.add("accepted", "2026-03-03T11:00", staff="a")
    assert state(h, "2026-03-03T12:00").status == "in_progress"
    h.add("suspended", "2026-03-04T09:00", kind="other", reason="r")
    assert state(h, "2026-03-04T10:00").status == "suspended"
    h.add("resumed", "2026-03-05T09:00")
    assert state(h, "2026-03-05T10:00").status == "in_progress"
    h.add("completed", "2026-03-06T09:00", result="approved", staff="a")
    final = state(h, "2026-03-06T10:00")
    assert final.status == "completed" and final.ended_at == at("2026-03-06T09:00")


@pytest.mark.parametrize("end", ["rejected", "withdrawn"])
def test_it_ends_on_rejection_or_withdrawal(end):
    h = History().add("received", "2026-03-02T09:00", item_code="X").add(end, "2026-03-03T09:00", reason="r")
    result = state(h, "2026-03-20T10:00")
    assert result.status == end
    assert result.clock_start is None and result.remaining_working_days is None and result.late is False
    assert result.alerts == [] and result.next_check_at is None


# -- acceptance windows ------------------------------------------------------------------------

def test_it_deems_a_case_accepted_on_the_day_received_when_the_window_lapses():
    h = History().add("received", "2026-03-02T09:00", item_code="X")  # Mon; add_wd(R, 5) = Mon 03-09
    assert state(h, "2026-03-09T23:59").clock_start is None
    result = state(h, "2026-03-10T00:00")
    assert raised(result, "ACCEPT_LATE").isoformat() == "2026-03-10T00:00:00+08:00"
    assert result.deemed_accepted is True
    assert result.clock_start == date(2026, 3, 2)
    assert result.promised_due == date(2026, 3, 9)
    assert result.status == "in_progress"
    assert raised(result, "OVERDUE") == at("2026-03-10T00:00")  # due already past when deemed


def test_it_keeps_deemed_acceptance_when_accepted_comes_later():
    h = History().add("received", "2026-03-02T09:00", item_code="X").add("accepted", "2026-03-11T09:00", staff="a")
    result = state(h, "2026-03-12T09:00")
    assert result.deemed_accepted and result.clock_start == date(2026, 3, 2)
    assert [n["note"] for n in result.notes] == ["already_accepted"]


def test_it_counts_a_decision_on_the_last_day_of_the_window_as_in_time():
    h = History().add("received", "2026-03-02T09:00", item_code="X").add("accepted", "2026-03-09T23:59", staff="a")
    result = state(h, "2026-03-12T09:00")
    assert "ACCEPT_LATE" not in rules_of(result)
    assert result.clock_start == date(2026, 3, 9) and not result.deemed_accepted


def test_it_opens_a_new_window_when_the_supplement_arrives():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    h.add("supplement_requested", "2026-03-03T09:00", materials=["a"])
    waiting = state(h, "2026-03-30T09:00")
    assert waiting.status == "awaiting_supplement" and waiting.alerts == [] and waiting.next_check_at is None
    h.add("supplement_received", "2026-04-01T10:00")  # Wed; window ends Wed 04-08
    assert state(h, "2026-04-08T23:00").clock_start is None
    result = state(h, "2026-04-09T00:00")
    assert raised(result, "ACCEPT_LATE") == at("2026-04-09T00:00")
    assert result.clock_start == date(2026, 4, 1) and result.deemed_accepted


def test_it_starts_the_window_end_on_working_days_after_a_weekend_receipt():
    h = History().add("received", "2026-03-07T09:00", item_code="X")  # Saturday: window ends Fri 03-13
    assert "ACCEPT_LATE" not in rules_of(state(h, "2026-03-13T23:00"))
    assert raised(state(h, "2026-03-15T09:00"), "ACCEPT_LATE") == at("2026-03-14T00:00")


# -- due dates, remaining, late ----------------------------------------------------------------

def test_it_makes_a_zero_limit_due_on_the_clock_start_day():
    h = received_accepted("2026-03-02T09:00")
    result = state(h, "2026-03-02T18:00", item(0, 0))
    assert result.promised_due == result.legal_due == date(2026, 3, 2)
    assert result.remaining_working_days == 0 and "DUE_SOON" not in rules_of(result)
    late = state(h, "2026-03-03T00:00", item(0, 0))
    assert set(rules_of(late)) == {"OVERDUE", "LEGAL_OVERDUE"}


def test_it_has_no_clock_before_acceptance():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    result = state(h, "2026-03-03T09:00")
    assert result.promised_due is None and result.legal_due is None
    assert result.remaining_working_days is None and result.late is False
    assert result.next_check_at == at("2026-03-10T00:00")


def test_it_is_not_late_when_completed_on_the_due_date():
    h = received_accepted("2026-03-02T09:00").add("completed", "2026-03-09T23:59", result="approved", staff="a")
    result = state(h, "2026-03-20T09:00")
    assert result.promised_due == date(2026, 3, 9)
    assert result.late is False and result.remaining_working_days is None


def test_it_is_late_when_completed_after_the_due_date():
    h = received_accepted("2026-03-02T09:00").add("completed", "2026-03-10T00:00", result="denied", staff="a")
    result = state(h, "2026-03-20T09:00")
    assert result.late is True
    assert "OVERDUE" in rules_of(result)  # raised at the same midnight, before the completion


def test_it_counts_remaining_as_zero_on_a_weekend_after_a_friday_due_date_but_late():
    h = received_accepted("2026-03-02T09:00")  # due Fri 03-06 with a limit of 4
    result = state(h, "2026-03-07T12:00", item(4, 20))
    assert result.remaining_working_days == 0 and result.late is True
    assert raised(result, "OVERDUE") == at("2026-03-07T00:00")


def test_it_freezes_remaining_and_fires_nothing_while_suspended():
    h = received_accepted("2026-03-02T09:00").add("suspended", "2026-03-04T10:00", kind="other", reason="r")
    before = state(h, "2026-03-04T12:00")
    later = state(h, "2026-04-30T12:00")
    assert before.remaining_working_days == later.remaining_working_days == 3
    assert later.status == "suspended" and later.alerts == [] and later.next_check_at is None
    assert later.suspended_working_days == PLAIN.wd_between(date(2026, 3, 4), date(2026, 4, 30))
    assert later.late is False


def test_it_raises_overdue_at_the_resume_instant_when_resumed_past_the_due_date():
    h = received_accepted("2026-03-02T09:00")  # limit 2: due Wed 03-04
    h.add("suspended", "2026-03-04T10:00", kind="other", reason="r")
    h.add("resumed", "2026-03-07T10:00")  # Saturday: susp = Thu, Fri -> due Fri 03-06
    result = state(h, "2026-03-07T12:00", item(2, 20))
    assert result.promised_due == date(2026, 3, 6)
    assert raised(result, "OVERDUE") == at("2026-03-07T10:00")


def test_it_closes_an_open_suspension_at_the_end():
    h = received_accepted("2026-03-02T09:00").add("suspended", "2026-03-03T10:00", kind="other", reason="r")
    h.add("completed", "2026-03-05T10:00", result="approved", staff="a")
    result = state(h, "2026-04-30T12:00")
    assert result.suspended_working_days == 2
    assert result.promised_due == date(2026, 3, 11)
    assert result.status == "completed" and result.late is False


# -- extension ---------------------------------------------------------------------------------

def test_it_adds_a_valid_extension_to_both_due_dates():
    h = received_accepted("2026-03-02T09:00")
    h.add("extended", "2026-03-09T17:00", days=3, approved_by="head", reason="r")
    result = state(h, "2026-03-10T09:00")
    assert result.extension_days == 3
    assert result.promised_due == date(2026, 3, 12)
    assert result.legal_due == PLAIN.add_wd(date(2026, 3, 2), 23)
    assert "EXTENSION_INVALID" not in rules_of(result)


# -- events after the end ----------------------------------------------------------------------

def test_it_ignores_events_after_the_end_but_still_checks_fees():
    h = received_accepted("2026-03-02T09:00").add("completed", "2026-03-03T10:00", result="approved", staff="a")
    h.add("suspended", "2026-03-04T10:00", kind="other", reason="r")
    h.add("fee_charged", "2026-03-04T11:00", fee_code="F1", amount="80.00")
    result = state(h, "2026-03-30T09:00", item(fees={"F1": Decimal("50")}))
    assert result.status == "completed"
    assert [n["note"] for n in result.notes] == ["after_end"]
    assert raised(result, "FEE_OVER_STANDARD") == at("2026-03-04T11:00")


def test_it_closes_due_soon_when_the_case_ends():
    h = received_accepted("2026-03-02T09:00").add("completed", "2026-03-09T10:00", result="approved", staff="a")
    result = state(h, "2026-03-30T09:00")
    assert rules_of(result)["DUE_SOON"].closed_at == at("2026-03-09T10:00")
    assert result.alert_level is None


# -- steps -------------------------------------------------------------------------------------

STEPS = (StepRule("handle", 2), StepRule("review", 1), StepRule("approve", 1))


def test_it_starts_the_first_step_on_the_clock_start_and_the_next_when_the_previous_completes():
    h = received_accepted("2026-03-02T09:00").add("step_completed", "2026-03-03T15:00", step="handle", staff="a")
    result = state(h, "2026-03-03T16:00", item(steps=STEPS))
    handle, review, approve = result.steps
    assert (handle.started_at, handle.start_day) == (at("2026-03-02T09:00"), date(2026, 3, 2))
    assert handle.due == date(2026, 3, 4)
    assert handle.status == "completed"
    assert (review.started_at, review.due, review.status) == (at("2026-03-03T15:00"), date(2026, 3, 4), "in_progress")
    assert approve.status == "pending" and approve.due is None


def test_it_starts_a_step_at_its_step_started_event_when_one_is_sent():
    h = received_accepted("2026-03-02T09:00").add("step_completed", "2026-03-03T15:00", step="handle", staff="a")
    h.add("step_started", "2026-03-05T09:00", step="review", staff="b")
    review = state(h, "2026-03-05T10:00", item(steps=STEPS)).steps[1]
    assert review.started_at == at("2026-03-05T09:00") and review.due == date(2026, 3, 6)


def test_it_extends_a_step_due_by_the_suspension_after_its_start():
    h = received_accepted("2026-03-02T09:00")
    h.add("suspended", "2026-03-03T09:00", kind="other", reason="r").add("resumed", "2026-03-05T09:00")
    handle = state(h, "2026-03-05T10:00", item(steps=STEPS)).steps[0]
    assert handle.due == date(2026, 3, 6)


def test_it_reports_next_check_at_as_the_next_midnight_something_can_fire():
    h = received_accepted("2026-03-02T09:00")  # due Mon 03-09, DUE_SOON holds from Thu 03-05
    assert state(h, "2026-03-02T10:00").next_check_at == at("2026-03-05T00:00")
    assert state(h, "2026-03-05T10:00").next_check_at == at("2026-03-10T00:00")
    done = h.add("completed", "2026-03-06T10:00", result="approved", staff="a")
    assert state(done, "2026-03-06T11:00").next_check_at is None
