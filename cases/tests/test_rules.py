"""Every alert rule of DOMAIN.md: when it fires, when it does not, and its raised_at."""
from datetime import date
from decimal import Decimal

import pytest

from cases import rules
from cases.clock import StepRule
from cases.tests.test_clock import History, at, item, raised, received_accepted, rules_of, state

STEPS = (StepRule("handle", 2), StepRule("review", 1), StepRule("approve", 1), StepRule("file", 1, required=False))


def test_it_has_the_default_level_of_every_rule():
    assert rules.RULES == {
        "ACCEPT_LATE": "yellow", "DUE_SOON": "notice", "OVERDUE": "yellow", "LEGAL_OVERDUE": "red",
        "STEP_OVERDUE": "notice", "NO_ACCEPTANCE": "red", "STEP_OUT_OF_ORDER": "yellow", "STEP_SKIPPED": "red",
        "REPEATED_SUPPLEMENT": "yellow", "SUSPENSION_AFTER_DUE": "red", "FEE_OVER_STANDARD": "red",
        "FEE_UNLISTED": "red", "EXTENSION_INVALID": "yellow", "SAME_HANDLER_APPROVAL": "yellow",
    }


def test_it_takes_levels_from_configuration():
    h = received_accepted("2026-03-02T09:00")
    result = state(h, "2026-03-20T09:00", levels={"OVERDUE": "red"})
    assert rules_of(result)["OVERDUE"].level == "red"
    assert rules_of(result)["DUE_SOON"].level == "notice"


# -- ACCEPT_LATE -------------------------------------------------------------------------------

def test_it_fires_accept_late_at_midnight_after_the_window():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    assert raised(state(h, "2026-03-12T09:00"), "ACCEPT_LATE") == at("2026-03-10T00:00")


@pytest.mark.parametrize("decision", [("accepted", {"staff": "a"}), ("rejected", {"staff": "a", "reason": "r"}),
                                      ("supplement_requested", {"materials": ["m"]})])
def test_it_does_not_fire_accept_late_after_a_decision_in_time(decision):
    h = History().add("received", "2026-03-02T09:00", item_code="X").add(decision[0], "2026-03-09T17:00", **decision[1])
    assert "ACCEPT_LATE" not in rules_of(state(h, "2026-03-30T09:00"))


def test_it_does_not_fire_accept_late_for_a_withdrawn_case():
    h = History().add("received", "2026-03-02T09:00", item_code="X").add("withdrawn", "2026-03-03T09:00", reason="r")
    assert state(h, "2026-03-30T09:00").alerts == []


# -- DUE_SOON ----------------------------------------------------------------------------------

def test_it_fires_due_soon_when_remaining_reaches_warn_days():
    h = received_accepted("2026-03-02T09:00")  # limit 5: due Mon 03-09; remaining 2 on Thu 03-05
    assert "DUE_SOON" not in rules_of(state(h, "2026-03-04T23:59"))
    assert raised(state(h, "2026-03-05T08:00"), "DUE_SOON") == at("2026-03-05T00:00")


def test_it_uses_the_item_warn_days():
    h = received_accepted("2026-03-02T09:00")
    assert raised(state(h, "2026-03-06T08:00", item(5, 20, warn_days=3)), "DUE_SOON") == at("2026-03-04T00:00")


def test_it_fires_due_soon_only_on_the_last_day_when_the_limit_is_within_warn_days():
    h = received_accepted("2026-03-02T09:00")  # limit 2: due Wed 03-04
    assert "DUE_SOON" not in rules_of(state(h, "2026-03-03T23:59", item(2, 20)))
    assert raised(state(h, "2026-03-04T08:00", item(2, 20)), "DUE_SOON") == at("2026-03-04T00:00")


def test_it_never_fires_due_soon_for_a_zero_limit():
    h = received_accepted("2026-03-02T09:00")
    assert "DUE_SOON" not in rules_of(state(h, "2026-03-05T08:00", item(0, 5)))


def test_it_does_not_fire_due_soon_while_suspended():
    h = received_accepted("2026-03-02T09:00").add("suspended", "2026-03-04T09:00", kind="other", reason="r")
    assert "DUE_SOON" not in rules_of(state(h, "2026-03-30T08:00"))


def test_it_raises_and_closes_due_soon_at_once_when_the_clock_starts_already_past_due():
    h = History().add("received", "2026-03-02T09:00", item_code="X")  # deemed at 03-10 00:00, due 03-09
    result = state(h, "2026-03-10T08:00")
    due_soon = rules_of(result)["DUE_SOON"]
    assert raised(result, "OVERDUE") == at("2026-03-10T00:00")
    assert due_soon.raised_at == due_soon.closed_at == at("2026-03-10T00:00")
    assert result.alert_level == "yellow"


def test_it_never_raises_due_soon_for_a_short_item_deemed_past_due():
    h = History().add("received", "2026-03-02T09:00", item_code="X")  # N=2 <= warn: only at remaining 0
    assert "DUE_SOON" not in rules_of(state(h, "2026-03-10T08:00", item(2, 5)))


# -- OVERDUE / LEGAL_OVERDUE -------------------------------------------------------------------

def test_it_fires_overdue_the_day_after_the_promised_due_date():
    h = received_accepted("2026-03-02T09:00")
    assert "OVERDUE" not in rules_of(state(h, "2026-03-09T23:59"))
    assert raised(state(h, "2026-03-10T00:00"), "OVERDUE") == at("2026-03-10T00:00")


def test_it_does_not_fire_overdue_when_completed_in_time():
    h = received_accepted("2026-03-02T09:00").add("completed", "2026-03-09T18:00", result="approved", staff="a")
    assert "OVERDUE" not in rules_of(state(h, "2026-04-30T00:00"))


def test_it_does_not_fire_overdue_while_suspended():
    h = received_accepted("2026-03-02T09:00").add("suspended", "2026-03-09T18:00", kind="other", reason="r")
    assert "OVERDUE" not in rules_of(state(h, "2026-04-30T00:00"))


def test_it_fires_legal_overdue_the_day_after_the_legal_due_date():
    h = received_accepted("2026-03-02T09:00")  # legal 20: due Mon 03-30
    assert "LEGAL_OVERDUE" not in rules_of(state(h, "2026-03-30T23:59"))
    assert raised(state(h, "2026-04-01T09:00"), "LEGAL_OVERDUE") == at("2026-03-31T00:00")


def test_it_does_not_fire_legal_overdue_when_completed_before_the_legal_due_date():
    h = received_accepted("2026-03-02T09:00").add("completed", "2026-03-20T09:00", result="approved", staff="a")
    result = state(h, "2026-05-01T09:00")
    assert "OVERDUE" in rules_of(result) and "LEGAL_OVERDUE" not in rules_of(result)


# -- STEP_OVERDUE ------------------------------------------------------------------------------

def test_it_fires_step_overdue_once_per_step():
    h = received_accepted("2026-03-02T09:00")  # handle limit 2: due 03-04
    h.add("step_completed", "2026-03-06T09:00", step="handle", staff="a")  # review due 03-09
    result = state(h, "2026-03-12T09:00", item(10, 20, steps=STEPS))
    step_alerts = {f.step: f.raised_at for f in result.alerts if f.rule == "STEP_OVERDUE"}
    assert step_alerts == {"handle": at("2026-03-05T00:00"), "review": at("2026-03-10T00:00")}
    assert result.steps[0].overdue and result.steps[1].overdue and not result.steps[2].overdue


def test_it_does_not_fire_step_overdue_for_a_step_completed_or_started_in_time():
    h = received_accepted("2026-03-02T09:00").add("step_completed", "2026-03-04T17:00", step="handle", staff="a")
    h.add("step_completed", "2026-03-05T17:00", step="review", staff="a")  # approve starts: due Fri 03-06
    h.add("step_started", "2026-03-06T09:00", step="approve", staff="a")  # its own start: due Mon 03-09
    result = state(h, "2026-03-09T12:00", item(10, 20, steps=STEPS))
    assert "STEP_OVERDUE" not in rules_of(result)
    assert result.steps[2].due == date(2026, 3, 9)


def test_it_fires_step_overdue_for_a_step_left_waiting_past_its_limit_before_its_step_started():
    # approve starts when review completes (Thu); its step_started comes only on Monday: at 00:00
    # Saturday it had been waiting past its one-day limit, and what was raised then stays
    h = received_accepted("2026-03-02T09:00").add("step_completed", "2026-03-04T17:00", step="handle", staff="a")
    h.add("step_completed", "2026-03-05T17:00", step="review", staff="a")
    h.add("step_started", "2026-03-09T09:00", step="approve", staff="a")
    result = state(h, "2026-03-09T12:00", item(10, 20, steps=STEPS))
    assert rules_of(result)["STEP_OVERDUE"].raised_at == at("2026-03-07T00:00")
    assert rules_of(result)["STEP_OVERDUE"].step == "approve"
    assert result.steps[2].started_at == at("2026-03-09T09:00") and result.steps[2].due == date(2026, 3, 10)


# -- NO_ACCEPTANCE -----------------------------------------------------------------------------

def test_it_fires_no_acceptance_for_a_step_before_acceptance():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    h.add("step_started", "2026-03-02T10:00", step="handle", staff="a").add("accepted", "2026-03-02T11:00", staff="a")
    assert raised(state(h, "2026-03-02T12:00", item(steps=STEPS)), "NO_ACCEPTANCE") == at("2026-03-02T10:00")


def test_it_fires_no_acceptance_for_a_step_or_completion_before_the_case_was_received():
    h = History().add("step_completed", "2026-03-01T10:00", step="handle", staff="a")
    h.add("received", "2026-03-02T09:00", item_code="X").add("accepted", "2026-03-02T10:00", staff="a")
    result = state(h, "2026-03-02T12:00", item(steps=STEPS))
    assert raised(result, "NO_ACCEPTANCE") == at("2026-03-01T10:00")
    assert result.steps[0].completed_at is None  # otherwise ignored: it occurred before the case existed
    assert [n["note"] for n in result.notes] == ["before_received"]
    unknown = History().add("step_completed", "2026-03-01T10:00", step="nope", staff="a")
    unknown.add("received", "2026-03-02T09:00", item_code="X")
    assert "NO_ACCEPTANCE" not in rules_of(state(unknown, "2026-03-02T12:00", item(steps=STEPS)))


def test_it_fires_no_acceptance_for_a_completion_before_acceptance_even_at_receipt():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    h.add("completed", "2026-03-02T09:00", result="approved", staff="a")
    result = state(h, "2026-03-02T12:00", item(0, 0))
    assert raised(result, "NO_ACCEPTANCE") == at("2026-03-02T09:00")
    assert result.status == "completed" and result.clock_start is None and result.late is False


def test_it_does_not_fire_no_acceptance_after_real_or_deemed_acceptance():
    h = History().add("received", "2026-03-02T09:00", item_code="X").add("accepted", "2026-03-02T09:00", staff="a")
    h.add("completed", "2026-03-02T09:00", result="approved", staff="a")
    assert state(h, "2026-03-02T12:00", item(0, 0)).alerts == []
    g = History().add("received", "2026-03-02T09:00", item_code="X")
    g.add("completed", "2026-03-10T09:00", result="approved", staff="a")  # deemed at 03-10 00:00
    assert "NO_ACCEPTANCE" not in rules_of(state(g, "2026-03-10T12:00"))


# -- STEP_OUT_OF_ORDER / STEP_SKIPPED ----------------------------------------------------------

def test_it_fires_step_out_of_order_per_step_when_an_earlier_required_step_is_open():
    h = received_accepted("2026-03-02T09:00")
    h.add("step_started", "2026-03-02T10:00", step="review", staff="a")
    h.add("step_completed", "2026-03-02T11:00", step="review", staff="a")
    h.add("step_completed", "2026-03-02T12:00", step="approve", staff="a")
    result = state(h, "2026-03-02T13:00", item(steps=STEPS))
    found = {f.step: f.raised_at for f in result.alerts if f.rule == "STEP_OUT_OF_ORDER"}
    assert found == {"review": at("2026-03-02T10:00"), "approve": at("2026-03-02T12:00")}


def test_it_does_not_fire_step_out_of_order_when_only_an_optional_step_is_open():
    h = received_accepted("2026-03-02T09:00")
    steps = (StepRule("check", 1, required=False), StepRule("approve", 1))
    h.add("step_started", "2026-03-02T10:00", step="approve", staff="a")
    h.add("step_completed", "2026-03-02T11:00", step="approve", staff="a")
    assert state(h, "2026-03-02T13:00", item(steps=steps)).alerts == []


def test_it_fires_step_skipped_when_completed_without_a_required_step():
    h = received_accepted("2026-03-02T09:00")
    for step in ("handle", "approve"):
        h.add("step_completed", "2026-03-03T10:00", step=step, staff="a")
    h.add("completed", "2026-03-03T11:00", result="approved", staff="a")
    result = state(h, "2026-03-03T12:00", item(steps=STEPS))
    assert raised(result, "STEP_SKIPPED") == at("2026-03-03T11:00")
    assert "review" in rules_of(result)["STEP_SKIPPED"].detail


def test_it_does_not_fire_step_skipped_when_every_required_step_completed():
    h = received_accepted("2026-03-02T09:00")
    for step in ("handle", "review", "approve"):  # "file" is optional
        h.add("step_completed", "2026-03-03T10:00", step=step, staff="a")
    h.add("completed", "2026-03-03T11:00", result="approved", staff="a")
    assert state(h, "2026-03-03T12:00", item(steps=STEPS)).alerts == []


# -- REPEATED_SUPPLEMENT -----------------------------------------------------------------------

def test_it_fires_repeated_supplement_on_the_second_request():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    h.add("supplement_requested", "2026-03-02T10:00", materials=["a"]).add("supplement_received", "2026-03-03T10:00")
    assert "REPEATED_SUPPLEMENT" not in rules_of(state(h, "2026-03-03T11:00"))
    h.add("supplement_requested", "2026-03-04T10:00", materials=["b"])
    result = state(h, "2026-03-04T11:00")
    assert raised(result, "REPEATED_SUPPLEMENT") == at("2026-03-04T10:00")
    assert result.status == "awaiting_supplement"


# -- SUSPENSION_AFTER_DUE ----------------------------------------------------------------------

def test_it_fires_suspension_after_due_and_still_suspends():
    h = received_accepted("2026-03-02T09:00").add("suspended", "2026-03-10T09:00", kind="other", reason="r")
    result = state(h, "2026-03-10T10:00")
    assert raised(result, "SUSPENSION_AFTER_DUE") == at("2026-03-10T09:00")
    assert result.status == "suspended"


def test_it_does_not_fire_suspension_after_due_on_the_due_date():
    h = received_accepted("2026-03-02T09:00").add("suspended", "2026-03-09T18:00", kind="other", reason="r")
    assert "SUSPENSION_AFTER_DUE" not in rules_of(state(h, "2026-03-10T10:00"))


def test_it_notes_suspensions_and_resumptions_the_clock_ignores():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    h.add("suspended", "2026-03-02T10:00", kind="other", reason="r")  # no clock yet
    h.add("accepted", "2026-03-02T11:00", staff="a")
    h.add("resumed", "2026-03-02T12:00")  # nothing open
    h.add("suspended", "2026-03-03T10:00", kind="other", reason="r")
    h.add("suspended", "2026-03-04T10:00", kind="other", reason="r")  # already open
    result = state(h, "2026-03-05T10:00")
    assert [n["note"] for n in result.notes] == ["suspended_not_running", "resumed_not_suspended", "already_suspended"]
    assert result.suspended_working_days == 2


# -- FEES --------------------------------------------------------------------------------------

FEES = {"F1": Decimal("50.00")}


def test_it_fires_fee_over_standard_above_the_max_amount():
    h = received_accepted("2026-03-02T09:00").add("fee_charged", "2026-03-02T10:00", fee_code="F1", amount="50.01")
    assert raised(state(h, "2026-03-02T11:00", item(fees=FEES)), "FEE_OVER_STANDARD") == at("2026-03-02T10:00")


def test_it_does_not_fire_fee_rules_at_the_max_amount():
    h = received_accepted("2026-03-02T09:00").add("fee_charged", "2026-03-02T10:00", fee_code="F1", amount="50")
    assert state(h, "2026-03-02T11:00", item(fees=FEES)).alerts == []


def test_it_fires_fee_unlisted_for_an_unlisted_code():
    h = received_accepted("2026-03-02T09:00").add("fee_charged", "2026-03-02T10:00", fee_code="F9", amount="1")
    assert raised(state(h, "2026-03-02T11:00", item(fees=FEES)), "FEE_UNLISTED") == at("2026-03-02T10:00")


def test_it_fires_fee_unlisted_for_any_fee_on_a_free_item():
    h = received_accepted("2026-03-02T09:00").add("fee_charged", "2026-03-02T10:00", fee_code="F1", amount="0.01")
    result = state(h, "2026-03-02T11:00", item())
    assert set(rules_of(result)) == {"FEE_UNLISTED"}


# -- EXTENSION_INVALID -------------------------------------------------------------------------

@pytest.mark.parametrize("data, when", [
    ({"days": 3, "reason": "r"}, "2026-03-05T10:00"),  # no approved_by
    ({"days": 0, "approved_by": "head", "reason": "r"}, "2026-03-05T10:00"),
    ({"days": 11, "approved_by": "head", "reason": "r"}, "2026-03-05T10:00"),
    ({"days": 3, "approved_by": "head", "reason": "r"}, "2026-03-10T00:00"),  # after the due date's end
])
def test_it_fires_extension_invalid_and_does_not_apply_it(data, when):
    h = received_accepted("2026-03-02T09:00").add("extended", when, **data)
    result = state(h, "2026-03-10T10:00")
    assert raised(result, "EXTENSION_INVALID") == at(when)
    assert result.extension_days == 0 and result.promised_due == date(2026, 3, 9)
    assert [n["note"] for n in result.notes] == ["extension_invalid"]


def test_it_fires_extension_invalid_for_a_second_extension():
    h = received_accepted("2026-03-02T09:00")
    h.add("extended", "2026-03-05T10:00", days=2, approved_by="head", reason="r")
    h.add("extended", "2026-03-06T10:00", days=2, approved_by="head", reason="r")
    result = state(h, "2026-03-06T11:00")
    assert result.extension_days == 2 and raised(result, "EXTENSION_INVALID") == at("2026-03-06T10:00")


def test_it_fires_extension_invalid_before_the_clock_starts():
    h = History().add("received", "2026-03-02T09:00", item_code="X")
    h.add("extended", "2026-03-02T10:00", days=2, approved_by="head", reason="r")
    assert "EXTENSION_INVALID" in rules_of(state(h, "2026-03-02T11:00"))


def test_it_accepts_an_extension_up_to_the_item_maximum_on_the_due_date():
    h = received_accepted("2026-03-02T09:00")
    h.add("extended", "2026-03-09T23:59", days=4, approved_by="head", reason="r")
    result = state(h, "2026-03-10T10:00", item(max_extension_days=4))
    assert set(rules_of(result)) == {"DUE_SOON"}
    assert result.promised_due == date(2026, 3, 13)


# -- SAME_HANDLER_APPROVAL (一人既承办又审批) ---------------------------------------------------------

THREE = (StepRule("handle", 2), StepRule("review", 1), StepRule("approve", 1))  # no kinds: first and last


def steps_done(*done, start="2026-03-02T09:00"):
    """A case accepted at `start` whose steps were completed as `done` = (step, staff, instant) says."""
    h = received_accepted(start)
    for step, staff, when in done:
        h.add("step_completed", when, step=step, staff=staff)
    return h


def separation(h, steps=THREE, as_of="2026-03-06T12:00"):
    return rules_of(state(h, as_of, item(10, 20, steps=steps))).get("SAME_HANDLER_APPROVAL")


def test_it_fires_same_handler_approval_at_the_later_of_the_two_steps_by_default_first_and_last():
    h = steps_done(("handle", "王芳", "2026-03-03T10:00"), ("review", "李明", "2026-03-04T10:00"),
                   ("approve", "王芳", "2026-03-05T10:00"))
    finding = separation(h)
    assert (finding.level, finding.step, finding.raised_at) == ("yellow", None, at("2026-03-05T10:00"))
    assert "王芳" in finding.detail and "handle" in finding.detail and "approve" in finding.detail
    assert separation(h, STEPS) is None  # there the last step is "file", and nobody did it


def test_it_does_not_fire_same_handler_approval_for_different_people_or_the_review_step():
    h = steps_done(("handle", "王芳", "2026-03-03T10:00"), ("review", "王芳", "2026-03-04T10:00"),
                   ("approve", "李明", "2026-03-05T10:00"))
    assert separation(h) is None


def test_it_takes_the_handling_and_approval_steps_from_their_kind():
    steps = (StepRule("accept", 1, kind="review"), StepRule("handle", 2, kind="handle"),
             StepRule("approve", 1, kind="approve"), StepRule("file", 1, kind="review"))
    h = steps_done(("accept", "李明", "2026-03-03T09:00"), ("handle", "王芳", "2026-03-03T10:00"),
                   ("approve", "王芳", "2026-03-04T10:00"), ("file", "李明", "2026-03-05T10:00"))
    assert separation(h, steps).raised_at == at("2026-03-04T10:00")
    # first and last by the same person, but they are not the handling and approval steps
    g = steps_done(("accept", "王芳", "2026-03-03T09:00"), ("handle", "李明", "2026-03-03T10:00"),
                   ("approve", "赵强", "2026-03-04T10:00"), ("file", "王芳", "2026-03-05T10:00"))
    assert separation(g, steps) is None


def test_it_does_not_guess_when_the_kinds_name_no_approval_step():
    steps = (StepRule("handle", 2, kind="handle"), StepRule("review", 1, kind="review"))
    h = steps_done(("handle", "王芳", "2026-03-03T10:00"), ("review", "王芳", "2026-03-04T10:00"))
    assert separation(h, steps) is None
    assert separation(h, (StepRule("handle", 2), StepRule("review", 1))) is not None  # by default the last approves


def test_it_does_not_fire_same_handler_approval_for_an_item_with_a_single_step():
    h = steps_done(("handle", "王芳", "2026-03-03T10:00"))
    assert separation(h, (StepRule("handle", 2),)) is None
    assert separation(h, (StepRule("handle", 2, kind="handle"),)) is None


def test_it_fires_same_handler_approval_when_the_approval_came_first():
    h = steps_done(("approve", "王芳", "2026-03-03T10:00"), ("handle", "王芳", "2026-03-04T10:00"))
    assert separation(h).raised_at == at("2026-03-04T10:00")


@pytest.mark.parametrize("first,second,same", [
    ("王芳", "王芳", True), ("GA0012", " ga0012\u3000", True),  # surrounding (full-width) space, letter case
    ("王芳", "王 芳", False), ("GA0012", "GA00120", False), ("", "", False), (None, None, False), ("  ", " ", False),
])
def test_it_compares_staff_trimmed_and_ignoring_letter_case_only(first, second, same):
    h = steps_done(("handle", first, "2026-03-03T10:00"), ("approve", second, "2026-03-04T10:00"))
    assert (separation(h) is not None) is same


def test_it_counts_the_first_completion_of_a_step_completed_twice():
    h = steps_done(("handle", "王芳", "2026-03-03T10:00"), ("handle", "李明", "2026-03-03T11:00"),
                   ("approve", "李明", "2026-03-04T10:00"))
    assert separation(h) is None  # 李明's second completion of "handle" was ignored as a duplicate
    g = steps_done(("handle", "王芳", "2026-03-03T10:00"), ("approve", "李明", "2026-03-04T10:00"),
                   ("approve", "王芳", "2026-03-05T10:00"))
    assert separation(g) is None


def test_it_raises_same_handler_approval_once_per_case():
    steps = (StepRule("handle", 1, kind="handle"), StepRule("handle2", 1, kind="handle"),
             StepRule("approve", 1, kind="approve"))
    h = steps_done(("handle", "王芳", "2026-03-03T10:00"), ("approve", "王芳", "2026-03-04T10:00"),
                   ("handle2", "王芳", "2026-03-05T10:00"))
    result = state(h, "2026-03-06T12:00", item(10, 20, steps=steps))
    assert [f.raised_at for f in result.alerts if f.rule == "SAME_HANDLER_APPROVAL"] == [at("2026-03-04T10:00")]


def test_it_ignores_steps_completed_before_received_or_after_the_end_for_separation():
    h = History().add("step_completed", "2026-03-02T08:00", step="handle", staff="王芳")
    h.add("received", "2026-03-02T09:00", item_code="X").add("accepted", "2026-03-02T09:00", staff="a")
    h.add("step_completed", "2026-03-03T10:00", step="approve", staff="王芳")
    assert separation(h) is None
    g = steps_done(("handle", "王芳", "2026-03-03T10:00"))
    g.add("withdrawn", "2026-03-03T11:00", reason="r")
    g.add("step_completed", "2026-03-04T10:00", step="approve", staff="王芳")
    assert separation(g) is None


def test_it_takes_the_level_of_same_handler_approval_from_configuration():
    h = steps_done(("handle", "王芳", "2026-03-03T10:00"), ("approve", "王芳", "2026-03-04T10:00"))
    result = state(h, "2026-03-06T12:00", item(10, 20, steps=THREE), levels={"SAME_HANDLER_APPROVAL": "red"})
    assert rules_of(result)["SAME_HANDLER_APPROVAL"].level == "red" and result.alert_level == "red"
