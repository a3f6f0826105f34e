from types import SimpleNamespace

from catalog.guide import CHECKS, completeness
from catalog.models import Item


def version(**changes):
    full = dict(
        legal_basis="《食品安全法》", fees=[], free=True, materials=[{"name": "申请书", "copies": 1, "required": True}],
        process="申请、受理、审批", result="许可证", location="1号窗口", consult_phone="1", complaint_phone="2",
        steps=[{"code": "a", "name": "受理", "limit_days": 1, "responsible": "窗口", "duties": "受理",
                "responsible_person": "王志强"}],
        promised_limit_days=5, legal_limit_days=20,
    )
    return SimpleNamespace(**{**full, **changes})


def test_it_scores_a_complete_guide_100():
    assert completeness(version()) == (100, [])


def test_it_lists_each_missing_element():
    percent, missing = completeness(version(legal_basis=" ", complaint_phone="", result=""))
    assert missing == ["legal_basis", "result", "complaint_phone"]
    assert percent == (len(CHECKS) - 3) * 100 // len(CHECKS) == 70


def test_it_needs_fees_or_an_explicit_free():
    assert completeness(version(free=False))[1] == ["fees"]
    listed = [{"code": "c", "name": "工本费", "max_amount": "10.00", "basis": "价格文件"}]
    assert completeness(version(free=False, fees=listed))[1] == []
    assert completeness(version(free=False, fees=[{**listed[0], "basis": ""}]))[1] == ["fees"]


def test_it_needs_steps_with_who_is_responsible_and_their_duties():
    assert completeness(version(steps=[]))[1] == ["steps", "responsible_person"]
    step = {"code": "a", "name": "受理", "limit_days": 1, "responsible": "窗口", "duties": "", "responsible_person": "王"}
    assert completeness(version(steps=[step]))[1] == ["steps"]
    assert completeness(version(materials=[]))[1] == ["materials"]


def test_it_scores_the_imported_examples(imported):
    food = Item.objects.get(code="152500-SCJG-001").current_version()
    query = Item.objects.get(code="152502-ZRZY-004").current_version()
    assert completeness(food) == (100, [])
    assert completeness(query) == (60, ["process", "result", "complaint_phone", "responsible_person"])


def test_it_reports_a_step_that_names_no_responsible_person():
    named = {"code": "a", "name": "承办", "limit_days": 1, "responsible": "承办人", "duties": "审查",
             "responsible_person": "王志强"}
    unnamed = {**named, "code": "b", "name": "审批", "responsible_person": None}
    assert completeness(version(steps=[named, unnamed])) == (90, ["responsible_person"])
    assert completeness(version(steps=[named, {**unnamed, "responsible_person": " "}]))[1] == ["responsible_person"]
