"""The generator alone: deterministic, and every item obeys the catalog's rules."""
from catalog.schema import validate
from demo.region import build


def test_it_generates_the_same_region_for_the_same_seed():
    assert build(7) == build(7)
    assert build(7)["catalog"]["items"] != build(8)["catalog"]["items"]


def test_it_generates_a_catalog_the_importer_accepts():
    errors, _ = validate(build()["catalog"])
    assert errors == []


def test_it_keeps_promises_within_the_law_and_steps_within_the_promise():
    items = build()["catalog"]["items"]
    assert all(i["promised_limit_days"] <= i["legal_limit_days"] for i in items)
    assert all(sum(s["limit_days"] for s in i["steps"]) <= i["promised_limit_days"] for i in items)
    assert any(i["promised_limit_days"] == 0 for i in items)  # some 即办件
    assert 0 < sum(1 for i in items if i["fees"]) < len(items) / 5  # most items are free
    assert all(i["consult_phone"].startswith("0479-") and i["complaint_phone"].startswith("0479-") for i in items)


def test_it_puts_every_camera_in_a_generated_hall_facing_its_windows():
    demo = build()
    halls = {h["code"] for h in demo["catalog"]["halls"]}
    windows = {w["code"]: w["hall"] for w in demo["catalog"]["windows"]}
    assert len(demo["cameras"]) == 33
    for camera in demo["cameras"]:
        assert camera["hall"] in halls
        assert all(windows[w] == camera["hall"] for w in camera["windows"])


def test_it_gives_items_only_the_intermediate_steps_all_required():
    items = build()["catalog"]["items"]
    intermediate = {"handle", "inspect", "review", "expert", "approve"}
    for item in items:
        codes = [s["code"] for s in item["steps"]]
        assert set(codes) <= intermediate  # acceptance and completion are events, never steps
        assert all(s["required"] for s in item["steps"])
        assert codes == [] or codes[0] == "handle"
        if item["promised_limit_days"] == 0:
            assert item["steps"] == []  # 即办件
    assert any(len(i["steps"]) == 4 for i in items)
