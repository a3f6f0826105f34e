"""The exchange API as an integrator uses it: POST /api/v1/events, GET /api/v1/cases/{no}."""
import json
import random

from cases.models import Case, CaseEvent, RejectedEvent

from clearwindow.testing.events import ev, get_case, post

WORKED = "2025-09-30T09:10:00+08:00"


def worked_example(no="XL-2025-0001", item="ITEM-PLAIN"):
    return [
        ev(no, "received", WORKED, item_code=item, window="XL-W01", staff="王芳", channel="window",
           applicant={"name": "张三", "id_number": "152501199001011234", "phone": "13912345678"}),
        ev(no, "accepted", WORKED, staff="王芳"),
    ]


def test_it_applies_the_worked_example(client, api_client):
    _, key = api_client
    reply = post(client, key, worked_example())
    assert reply.status_code == 200
    assert reply.json() == {"accepted": 2, "duplicates": 0, "rejected": []}
    case = get_case(client, key, "XL-2025-0001", as_of="2025-10-10T12:00:00+08:00").json()
    assert case["promised_due"] == "2025-10-14"
    assert case["legal_due"] == "2025-11-04"
    assert case["clock_start"] == "2025-09-30"
    assert case["status"] == "in_progress"
    assert case["remaining_working_days"] == 3
    assert case["received_at"] == "2025-09-30T09:10:00+08:00"
    assert case["alerts"] == []


def test_it_raises_due_soon_and_overdue_at_local_midnight(client, api_client):
    _, key = api_client
    post(client, key, worked_example())
    on_11th = get_case(client, key, "XL-2025-0001", as_of="2025-10-11T08:00:00+08:00").json()
    assert on_11th["remaining_working_days"] == 2
    assert [(a["rule"], a["level"], a["raised_at"]) for a in on_11th["alerts"]] == [
        ("DUE_SOON", "notice", "2025-10-11T00:00:00+08:00")]
    assert on_11th["alert_level"] == "notice"
    on_15th = get_case(client, key, "XL-2025-0001", as_of="2025-10-15T00:00:00+08:00").json()
    overdue = [a for a in on_15th["alerts"] if a["rule"] == "OVERDUE"]
    assert overdue and overdue[0]["raised_at"] == "2025-10-15T00:00:00+08:00" and overdue[0]["level"] == "yellow"
    assert on_15th["late"] is True
    assert on_15th["remaining_working_days"] == -1


def test_it_stores_the_projection_and_alerts_as_of_now(client, api_client):
    _, key = api_client
    post(client, key, worked_example())
    case = Case.objects.get(case_no="XL-2025-0001")
    assert case.late and case.promised_due.isoformat() == "2025-10-14"
    assert case.alert_level == "red"  # long past the legal due date by now
    assert case.window.code == "XL-W01" and case.department.code == "XL-SCJ"
    rules = set(case_alerts(case))
    assert {"OVERDUE", "LEGAL_OVERDUE"} <= rules


def case_alerts(case):
    from alerts.models import Alert

    return Alert.objects.filter(subject_key=case.case_no).values_list("rule", flat=True)


def test_it_counts_a_resent_event_as_a_duplicate(client, api_client):
    _, key = api_client
    events = worked_example()
    post(client, key, events)
    reply = post(client, key, events).json()
    assert reply == {"accepted": 0, "duplicates": 2, "rejected": []}
    assert CaseEvent.objects.count() == 2


def test_a_batch_mixing_new_resent_and_repeated_ids_stores_each_id_once(client, api_client):
    _, key = api_client
    received, accepted = worked_example()
    post(client, key, [received])
    step = ev(received["case_no"], "completed", "2025-10-09T10:00:00+08:00", result="approved", staff="a")
    reply = post(client, key, [received, accepted, dict(accepted, staff="someone else"), step]).json()
    assert reply == {"accepted": 2, "duplicates": 2, "rejected": []}
    assert CaseEvent.objects.count() == 3
    assert CaseEvent.objects.get(event_id=accepted["event_id"]).data["staff"] == accepted["staff"]  # first one stands
    assert Case.objects.get(case_no=received["case_no"]).status == "completed"


def test_it_gives_the_same_case_whatever_the_arrival_order(client, api_client):
    _, key = api_client
    no = "XL-ORDER"
    events = [
        ev(no, "received", "2026-03-02T09:00:00+08:00", item_code="ITEM-STEPS"),
        ev(no, "accepted", "2026-03-02T10:00:00+08:00", staff="a"),
        ev(no, "step_started", "2026-03-02T11:00:00+08:00", step="cb", staff="a"),
        ev(no, "suspended", "2026-03-04T15:00:00+08:00", kind="special_procedure", reason="专家评审"),
        ev(no, "resumed", "2026-03-10T10:00:00+08:00"),
        ev(no, "step_completed", "2026-03-11T10:00:00+08:00", step="cb", staff="a"),
    ]
    post(client, key, events)
    in_order = get_case(client, key, no, as_of="2026-03-12T12:00:00+08:00").json()
    # the same events again under another case number (ledgered rows are never deleted: docs/ledger.md)
    shuffled = [dict(e, event_id=e["event_id"] + "x", case_no=no + "-2") for e in events]
    random.Random(7).shuffle(shuffled)
    for e in shuffled:  # one at a time, in a random order
        post(client, key, [e])
    again = get_case(client, key, no + "-2", as_of="2026-03-12T12:00:00+08:00").json()
    assert {**again, "case_no": no} == in_order
    assert in_order["suspended_working_days"] == 4
    assert in_order["promised_due"] == "2026-03-20"


def test_it_holds_events_until_the_case_is_received(client, api_client):
    _, key = api_client
    no = "XL-HELD"
    post(client, key, [ev(no, "accepted", "2026-03-02T10:00:00+08:00", staff="a")])
    assert get_case(client, key, no).json()["status"] == "incomplete"
    post(client, key, [ev(no, "received", "2026-03-02T09:00:00+08:00", item_code="ITEM-PLAIN")])
    case = get_case(client, key, no, as_of="2026-03-03T09:00:00+08:00").json()
    assert case["status"] == "in_progress" and case["clock_start"] == "2026-03-02"


def test_it_rejects_bad_events_one_by_one_and_keeps_the_good_ones(client, api_client):
    _, key = api_client
    no = "XL-BAD"
    batch = [
        ev(no, "received", "2026-03-02T09:00:00+08:00", item_code="ITEM-STEPS"),
        ev(no, "accepted", "2026-03-02T09:00:00"),                                   # no offset
        ev(no, "step_started", "2026-03-02T10:00:00+08:00", step="nope", staff="a"),  # unknown step
        ev("XL-BAD2", "received", "2026-03-02T09:00:00+08:00", item_code="NO-SUCH"),  # unknown item
        ev(no, "accepted", "2999-01-01T00:00:00+08:00", staff="a"),                  # future
        {"event_id": "m1", "case_no": no, "type": "completed", "occurred_at": "2026-03-03T09:00:00+08:00"},
        ev(no, "fee_charged", "2026-03-02T11:00:00+08:00", fee_code="XX", amount="5.00"),  # unlisted: stored
    ]
    reply = post(client, key, batch).json()
    assert reply["accepted"] == 2
    errors = {r["index"]: r["error"] for r in reply["rejected"]}
    assert set(errors) == {1, 2, 3, 4, 5}
    assert errors[1].startswith("occurred_at:") and "offset" in errors[1]
    assert errors[2].startswith("step:") and "'nope'" in errors[2]
    assert errors[3].startswith("item_code:") and "NO-SUCH" in errors[3]
    assert errors[4].startswith("occurred_at:") and "future" in errors[4]
    assert errors[5].startswith("result:") and "missing" in errors[5]
    assert RejectedEvent.objects.count() == 5
    assert RejectedEvent.objects.get(index=2).payload["step"] == "nope"
    case = get_case(client, key, no).json()
    assert "FEE_UNLISTED" in {a["rule"] for a in case["alerts"]}


def test_it_refuses_events_for_another_clients_department(client, api_client):
    _, key = api_client
    reply = post(client, key, [ev("ABG-1", "received", WORKED, item_code="ITEM-OTHER")]).json()
    assert reply["accepted"] == 0
    assert reply["rejected"][0]["error"].startswith("case_no:")
    assert "outside" in reply["rejected"][0]["error"]


def test_it_answers_bad_requests_with_json_errors(client, api_client):
    _, key = api_client
    assert post(client, None, worked_example()).status_code == 401
    assert post(client, "cw_wrong", worked_example()).status_code == 401
    malformed = post(client, key, None, raw="{not json")
    assert malformed.status_code == 400 and malformed["Content-Type"].startswith("application/json")
    no_list = post(client, key, None, raw=json.dumps({"events": "x"}))
    assert no_list.status_code in (400, 422) and "events" in no_list.content.decode()
    big = post(client, key, [ev(f"N{i}", "resumed", WORKED) for i in range(5001)])
    assert big.status_code == 413 and "5000" in big.json()["error"]
    assert CaseEvent.objects.count() == 0


def test_it_hides_cases_outside_the_client_scope(client, api_client, org):
    from clearwindow.testing.fixtures import new_client

    _, key = api_client
    post(client, key, worked_example())
    _, other_key = new_client("abg", departments=[org["other_dept"]])
    assert get_case(client, other_key, "XL-2025-0001").status_code == 404
    _, league_key = new_client("league", region=org["league"])
    assert get_case(client, league_key, "XL-2025-0001").status_code == 200


def test_it_rejects_a_bad_as_of(client, api_client):
    _, key = api_client
    post(client, key, worked_example())
    reply = client.get("/api/v1/cases/XL-2025-0001?as_of=2025-10-10", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert reply.status_code == 400 and reply.json()["error"].startswith("as_of:")


def test_an_event_that_is_not_an_object_is_rejected_alone(client, api_client):
    _, key = api_client
    received, accepted = worked_example()
    reply = post(client, key, [received, "accepted", 42, None, accepted])
    assert reply.status_code == 200
    body = reply.json()
    assert body["accepted"] == 2
    assert [(r["index"], r["error"]) for r in body["rejected"]] == [
        (1, "event: expected a JSON object"), (2, "event: expected a JSON object"),
        (3, "event: expected a JSON object")]
    assert sorted(RejectedEvent.objects.values_list("index", "payload"), key=lambda r: r[0]) == [
        (1, "accepted"), (2, 42), (3, None)]  # each kept as it was sent


def test_a_case_new_in_the_batch_is_computed_as_from_its_stored_events(api_client):
    """ingest computes a case that had no events before from the batch itself, without reading it
    back: the row and alerts must be exactly what recompute makes from the stored events."""
    from datetime import datetime, timezone as dt_timezone

    from alerts.models import Alert
    from cases.ingest import ingest
    from cases.projection import UPDATE_FIELDS, recompute

    client, _ = api_client
    now = datetime(2026, 4, 20, 4, 0, tzinfo=dt_timezone.utc)
    same = "2026-03-02T09:00:00+08:00"
    events = [
        ev("XL-NEW", "accepted", same, staff="a"),  # the same instant as its 'received': received goes first
        ev("XL-NEW", "received", same, item_code="ITEM-STEPS", window="XL-W01", applicant={"name": "张三"}),
        ev("XL-NEW", "resumed", "2026-03-03T10:00:00+08:00"),  # nothing suspended: ignored with a note
        ev("XL-NEW", "step_started", "2026-03-03T11:00:00+08:00", step="cb", staff="a"),
        ev("XL-NEW", "supplement_received", "2026-03-01T08:00:00+08:00"),  # before 'received': a note
        ev("XL-HELD-NEW", "accepted", "2026-03-02T10:00:00+08:00", staff="a"),  # held: no 'received' yet
    ]
    assert ingest(client, events, now=now).accepted == 6

    def stored():
        rows = {c.case_no: {f: getattr(c, f) for f in UPDATE_FIELDS} for c in Case.objects.all()}
        alerts = sorted(Alert.objects.values_list("subject_key", "rule", "step", "level", "raised_at", "status"))
        return rows, alerts

    from_batch = stored()
    assert from_batch[0]["XL-NEW"]["status"] == "in_progress"
    notes = [n["note"] for n in from_batch[0]["XL-NEW"]["quality_notes"]]
    assert sorted(notes) == ["before_received", "resumed_not_suspended"]
    assert {a[1] for a in from_batch[1]} >= {"OVERDUE"}  # long past due on 20 April
    recompute({"XL-NEW", "XL-HELD-NEW"}, now)  # reads every event back from the table
    assert stored() == from_batch


def test_a_new_item_version_applies_to_cases_received_from_its_date(client, api_client, items, django_user_model):
    """The projection keeps item versions in memory between batches; a version added later (here
    through the catalog editor) must still govern the cases received from its effective date."""
    from datetime import date

    from catalog.actions import do_edit_item

    _, key = api_client
    post(client, key, worked_example("XL-V1"))  # version 1: 5 working days promised
    admin = django_user_model.objects.create(username="catalog-admin")
    do_edit_item(items["plain"], {"promised_limit_days": 8}, date(2025, 10, 1), admin, reason="承诺时限调整")
    second = [dict(e, occurred_at="2025-10-09T09:10:00+08:00") for e in worked_example("XL-V2")]
    post(client, key, second)
    assert get_case(client, key, "XL-V1").json()["promised_limit_days"] == 5
    assert get_case(client, key, "XL-V2").json()["promised_limit_days"] == 8
    # 8 working days after Thu 9 Oct: 10, 11 (a make-up Saturday), 13–17, 20
    assert Case.objects.get(case_no="XL-V2").promised_due.isoformat() == "2025-10-20"


def test_nan_and_infinity_are_refused_as_malformed_json(client, api_client):
    """Python's json module reads NaN; it is not JSON and the rejected event kept for review could
    not be stored (it was a 500)."""
    _, key = api_client
    for body in ('{"events": [NaN]}', '{"events": [{"event_id": "e1", "days": Infinity}]}'):
        reply = post(client, key, None, raw=body)
        assert reply.status_code == 400, body
    assert RejectedEvent.objects.count() == 0
    # what json.loads reads and orjson does not is still read: a body with a byte-order mark
    bom = b"\xef\xbb\xbf" + json.dumps({"events": worked_example()}).encode()
    assert post(client, key, None, raw=bom).json()["accepted"] == 2
