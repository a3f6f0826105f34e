"""Issue 14: the exchange API cannot be made to corrupt the record, and one malformed event costs only
itself. Run on SQLite and PostgreSQL (PostgreSQL refuses NUL in text and jsonb, and deep JSON)."""
import json

import pytest

from ..models import Case, CaseEvent, RejectedEvent
from clearwindow.testing.events import earlier_today, ev, get_case, post


DEEP = "<a 1,000-deep array>"  # put in the body's text by body(): JSON encoders stop far earlier


def deep(n):
    assert n == 1000
    return DEEP


def encoded(events):
    return json.dumps({"events": events}).replace(json.dumps(DEEP), "[" * 1000 + "]" * 1000)


def received(no, **fields):
    return ev(no, "received", earlier_today(30), item_code="ITEM-PLAIN", **fields)


# (name, the bad event given a case number, the field its error must name)
BAD = [
    ("type_is_a_list", lambda no: {**received(no), "type": ["received"]}, "type"),
    ("event_id_is_an_object", lambda no: {**received(no), "event_id": {"a": 1}}, "event_id"),
    ("case_no_is_a_number", lambda no: {**received(no), "case_no": 12}, "case_no"),
    ("deep_array_in_staff", lambda no: received(no, staff=deep(1000)), "staff"),
    ("deep_array_in_case_no", lambda no: {**received(no), "case_no": deep(1000)}, "case_no"),
    ("deep_array_as_the_event", lambda no: deep(1000), "event"),
    ("deep_array_in_an_ignored_field_of_a_bad_event", lambda no: {**received(no), "type": "?", "x": deep(1000)},
     "type"),
    ("year_1", lambda no: {**received(no), "occurred_at": "0001-01-01T00:00:00+08:00"}, "occurred_at"),
    ("year_9999", lambda no: {**received(no), "occurred_at": "9999-12-31T23:59:59-12:00"}, "occurred_at"),
    ("year_1900", lambda no: {**received(no), "occurred_at": "1900-01-01T09:00:00+08:00"}, "occurred_at"),
    ("nul_in_staff", lambda no: received(no, staff="张\u0000三"), "staff"),
    ("nul_in_event_id", lambda no: {**received(no), "event_id": "e\u0000x"}, "event_id"),
    ("nul_in_case_no", lambda no: {**received(no), "case_no": no + "\u0000"}, "case_no"),
    ("nul_in_item_code", lambda no: {**received(no), "item_code": "ITEM-PLAIN\u0000"}, "item_code"),
    ("nul_in_applicant_name", lambda no: received(no, applicant={"name": "\u0000"}), "applicant.name"),
    ("nul_in_occurred_at", lambda no: {**received(no), "occurred_at": earlier_today(30) + "\u0000"}, "occurred_at"),
    ("nul_in_a_material", lambda no: ev(no, "supplement_requested", earlier_today(), materials=["a\u0000"]),
     "materials[0]"),
    ("bool_is_not_a_number_of_days", lambda no: ev(no, "extended", earlier_today(), days=True, reason="r"), "days"),
    ("channel_is_an_object", lambda no: received(no, channel={"x": 1}), "channel"),
    ("amount_is_a_number", lambda no: ev(no, "fee_charged", earlier_today(), fee_code="GB", amount=12), "amount"),
    ("slash_in_case_no", lambda no: {**received(no), "case_no": "152502-GAJ/2026/0001"}, "case_no"),
    ("space_in_case_no", lambda no: {**received(no), "case_no": "XL 0001"}, "case_no"),
    ("case_no_ends_with_punctuation", lambda no: {**received(no), "case_no": "XL-0001-"}, "case_no"),
    ("case_no_not_ascii", lambda no: {**received(no), "case_no": "锡林-0001"}, "case_no"),
]


@pytest.mark.parametrize("make_bad,field", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_malformed_event_is_rejected_alone_naming_its_field(client, api_client, make_bad, field):
    _, key = api_client
    batch = [received("XL-N-0001"), make_bad("XL-N-0002"), received("XL-N-0003")]
    reply = post(client, key, None, raw=encoded(batch))
    assert reply.status_code == 200 and reply["Content-Type"].startswith("application/json")
    body = reply.json()
    assert body["accepted"] == 2 and len(body["rejected"]) == 1
    assert body["rejected"][0]["index"] == 1
    assert body["rejected"][0]["error"].startswith(f"{field}: ")
    assert set(Case.objects.values_list("case_no", flat=True)) == {"XL-N-0001", "XL-N-0003"}
    kept = RejectedEvent.objects.get()  # kept for review, whatever it held
    assert kept.index == 1 and kept.error == body["rejected"][0]["error"]


def test_a_nul_is_kept_for_review_as_visible_text(client, api_client):
    _, key = api_client
    post(client, key, [{**received("XL-N-0001"), "case_no": "XL\u0000", "staff": "a\u0000b"}])
    kept = RejectedEvent.objects.get()
    assert kept.payload["staff"] == "a\\u0000b" and kept.event_id.startswith("e")


@pytest.mark.parametrize("as_of", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-12:00",
                                   "9999-12-31T00:00:00+08:00", "1900-01-01T09:00:00+08:00", "yesterday",
                                   "2026-01-01T00:00:00+08:00\u0000"])
def test_a_get_as_of_outside_the_window_answers_400_naming_as_of(client, api_client, as_of):
    _, key = api_client
    post(client, key, [received("XL-N-0001")])
    reply = get_case(client, key, "XL-N-0001", as_of=as_of)
    assert reply.status_code == 400 and reply.json()["error"].startswith("as_of: ")


def test_the_earliest_instant_is_a_setting(client, api_client, settings):
    _, key = api_client
    settings.EVENTS_EARLIEST = "2026-01-01"
    reply = post(client, key, [{**received("XL-N-0001"), "occurred_at": "2025-12-31T23:59:59+08:00"},
                               {**received("XL-N-0002"), "occurred_at": "2026-01-01T00:00:00+08:00"}]).json()
    assert reply["accepted"] == 1 and reply["rejected"][0]["error"].startswith("occurred_at: ")
    assert "2026-01-01" in reply["rejected"][0]["error"]


# -- defect 7: a full batch fits; a larger body gets 413 JSON ---------------------------------------
def test_a_full_batch_of_long_events_is_accepted(client, api_client):
    _, key = api_client
    staff = "窗" * 150
    events = [received(f"XL-FULL-{n:04d}", staff=staff) for n in range(5000)]
    raw = json.dumps({"events": events}, ensure_ascii=False).encode()
    assert len(raw) > 2.5 * 2**20  # over Django's default limit, which answered 400 HTML
    reply = post(client, key, None, raw=raw)
    assert reply.status_code == 200, reply.content[:200]
    assert reply.json() == {"accepted": 5000, "duplicates": 0, "rejected": []}
    assert Case.objects.count() == 5000


def test_a_body_over_the_batch_limit_answers_413_json(client, api_client):
    from ..validate import MAX_BODY_BYTES
    _, key = api_client
    reply = post(client, key, None, raw=b" " * (MAX_BODY_BYTES + 1))
    assert reply.status_code == 413 and reply.json()["error"].startswith("body: ")
    assert CaseEvent.objects.count() == 0


def test_a_large_body_without_a_valid_key_is_not_read(client, api_client, settings):
    events = [received(f"XL-FULL-{n:04d}", staff="窗" * 150) for n in range(5000)]
    raw = json.dumps({"events": events}, ensure_ascii=False).encode()
    assert len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    for key in (None, "cw_wrong"):
        reply = post(client, key, None, raw=raw)
        assert reply.status_code == 401 and reply.json()["error"].startswith("Authorization: ")
    assert CaseEvent.objects.count() == 0


def test_other_requests_keep_the_default_body_limit(client, settings, db):  # the 400 page reads the portal context
    reply = client.post("/admin/login/", data=b"a=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
                        content_type="application/x-www-form-urlencoded")
    assert reply.status_code == 400


# -- defect 4: case-number squatting ----------------------------------------------------------------
def test_a_department_key_cannot_take_another_regions_numbers(client, api_client, org, items):
    from clearwindow.testing.fixtures import new_client
    _, county_key = api_client  # XL-SCJ, in 152502
    reply = post(client, county_key, [received("152522-20260101-0001"), received("152502-20260101-0001"),
                                      received("152500-20260101-0001")]).json()
    assert reply["accepted"] == 1
    assert [r["index"] for r in reply["rejected"]] == [0, 2]
    assert all(r["error"].startswith("case_no: ") and "region code" in r["error"] for r in reply["rejected"])
    # the 152522 department's own system still gets its number
    _, other_key = new_client("abg", departments=[org["other_dept"]])
    own = ev("152522-20260101-0001", "received", earlier_today(30), item_code="ITEM-OTHER")
    assert post(client, other_key, [own]).json()["accepted"] == 1
    assert Case.objects.get(case_no="152522-20260101-0001").department == org["other_dept"]


def test_a_region_key_may_use_the_numbers_of_its_subtree(client, org, items):
    from clearwindow.testing.fixtures import new_client
    _, league_key = new_client("league", region=org["league"])
    _, county_key = new_client("county", region=org["county"])
    assert post(client, league_key, [received("152502-20260101-0007")]).json()["accepted"] == 1
    reply = post(client, county_key, [received("152500-20260101-0008")]).json()
    assert reply["accepted"] == 0 and reply["rejected"][0]["error"].startswith("case_no: ")
    reply = post(client, county_key, [received("999999-20260101-0008")]).json()  # no such region
    assert reply["accepted"] == 0 and reply["rejected"][0]["error"].startswith("case_no: ")


# -- defect 1: another department cannot shape a case ------------------------------------------------
@pytest.fixture
def two_departments(org, items):
    """Key A of 152500-CZJ and key B of 152500-GAJ, both departments of the league (region 152500)."""
    from orgs.models import Department

    from clearwindow.testing.fixtures import STEPS, make_item, new_client
    gaj = Department.objects.create(code="152500-GAJ", name="盟公安局", region=org["league"])
    czj = Department.objects.create(code="152500-CZJ", name="盟财政局", region=org["league"])
    make_item(gaj, "GAJ-ITEM", steps=STEPS, fees=[{"code": "GB", "name": "工本费", "max_amount": "10.00", "basis": "-"}])
    make_item(czj, "CZJ-ITEM")
    a, key_a = new_client("czj-system", departments=[czj])
    b, key_b = new_client("gaj-system", departments=[gaj])
    return {"a": a, "key_a": key_a, "b": b, "key_b": key_b, "gaj": gaj, "czj": czj}


def forged(no):
    return [ev(no, "completed", earlier_today(10), result="approved", staff="x"),
            ev(no, "fee_charged", earlier_today(10), fee_code="BOGUS", amount="99999.00")]


def test_events_held_for_another_departments_case_are_refused_when_it_is_received(client, two_departments):
    from ..projection import recompute
    t = two_departments
    no = "152500-GAJ-t2"
    assert post(client, t["key_a"], forged(no)).json()["accepted"] == 2  # held: the case does not exist yet
    reply = post(client, t["key_b"], [ev(no, "received", earlier_today(30), item_code="GAJ-ITEM"),
                                      ev(no, "accepted", earlier_today(29), staff="s")]).json()
    assert reply == {"accepted": 2, "duplicates": 0, "rejected": []}

    def seen():
        case = get_case(client, t["key_b"], no).json()
        return case["status"], {a["rule"] for a in case["alerts"]}

    status, rules = seen()
    assert status == "in_progress" and not rules & {"FEE_UNLISTED", "STEP_SKIPPED"}
    stored = Case.objects.get(case_no=no)
    assert stored.status == "in_progress" and stored.department == t["gaj"] and stored.alert_level == ""
    # kept, marked and listed for review with the reason; never applied again
    assert CaseEvent.all_events.filter(case_no=no).count() == 4
    assert set(CaseEvent.all_events.exclude(refusal="").values_list("client", flat=True)) == {t["a"].pk}
    review = RejectedEvent.objects.filter(client=t["a"])
    assert review.count() == 2 and all("outside the departments" in r.error for r in review)
    assert {r.payload["type"] for r in review} == {"completed", "fee_charged"}
    from django.utils import timezone
    recompute([no], timezone.now())  # as a sweep does
    assert seen() == (status, rules) and Case.objects.get(case_no=no).status == "in_progress"
    as_of = get_case(client, t["key_b"], no, as_of=earlier_today(0)).json()
    assert as_of["status"] == "in_progress" and not as_of["alerts"]
    # A cannot add them now either: refused at input
    assert post(client, t["key_a"], forged(no)).json()["accepted"] == 0


def test_a_received_from_another_department_does_not_reshape_a_case(client, two_departments, org):
    from clearwindow.testing.fixtures import new_client
    t = two_departments
    _, league_key = new_client("league-system", region=org["league"])  # covers both departments
    no = "152500-GAJ-t3"
    post(client, t["key_b"], [ev(no, "received", earlier_today(30), item_code="GAJ-ITEM")])
    reply = post(client, league_key, [ev(no, "received", earlier_today(40), item_code="CZJ-ITEM")]).json()
    assert reply["accepted"] == 0 and reply["rejected"][0]["error"].startswith("item_code: ")
    case = Case.objects.get(case_no=no)
    assert case.department == t["gaj"] and case.item.code == "GAJ-ITEM"


def test_a_racing_received_of_another_department_is_refused_when_the_case_is_computed(two_departments, org):
    """Two receiveds that both passed the input checks before either was stored (two requests at once):
    the first stored makes the case; the other department's one, though it occurred earlier, is refused."""
    from django.utils import timezone

    from ..ingest import ingest
    from ..projection import recompute
    from clearwindow.testing.fixtures import new_client
    t = two_departments
    league, _ = new_client("league-system", region=org["league"])
    no = "152500-GAJ-t4"
    ingest(t["b"], [ev(no, "received", earlier_today(30), item_code="GAJ-ITEM")])
    # the league system's received as if it had been checked before B's was stored: written straight in
    from ..bulk import insert_events
    from datetime import datetime
    occurred = datetime.fromisoformat(earlier_today(40))
    insert_events([(league.pk, "api", "race-1", no, "received", occurred, timezone.now(),
                    {"item_code": "CZJ-ITEM"}, False, False)])
    recompute([no], timezone.now())
    case = Case.objects.get(case_no=no)
    assert case.department == t["gaj"] and case.item.code == "GAJ-ITEM"
    assert RejectedEvent.objects.get(client=league).error.startswith("item_code: ")


def test_a_township_department_uses_its_countys_six_digit_code(client, org, items):
    from orgs.models import Department, Region

    from clearwindow.testing.fixtures import make_item, new_client
    town = Region.objects.create(code="152502100", name="宝力根苏木", level="township", parent=org["county"])
    dept = Department.objects.create(code="BLG-ZF", name="宝力根苏木人民政府", region=town)
    make_item(dept, "TOWN-ITEM")
    _, key = new_client("town-system", departments=[dept])
    _, town_key = new_client("town-region-system", region=town)
    own = ev("152502-20260101-0100", "received", earlier_today(30), item_code="TOWN-ITEM")
    assert post(client, key, [own]).json()["accepted"] == 1
    own = ev("152502-20260101-0101", "received", earlier_today(30), item_code="TOWN-ITEM")
    assert post(client, town_key, [own]).json()["accepted"] == 1
    other = ev("152522-20260101-0100", "received", earlier_today(30), item_code="TOWN-ITEM")
    assert post(client, key, [other]).json()["rejected"][0]["error"].startswith("case_no: ")
