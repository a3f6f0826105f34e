"""Every bad input is refused with its own message, and nothing at all changes in the database."""
import pytest

from catalog.importer import import_catalog
from catalog.schema import CatalogError

from .conftest import db_state


def step(limit=1):
    return {"code": "s", "name": "审核", "limit_days": limit, "responsible": "科长", "duties": "审核"}


def delete(key):
    return lambda obj: obj.pop(key)


CASES = [
    # (what is wrong, section, index, change, expected error line or its start)
    ("a department's region is unknown", "departments", 0, {"region": "999999"},
     "departments[0].region: unknown region '999999' (expected the code of a region in this file or already in the database)"),
    ("a window's hall is unknown", "windows", 0, {"hall": "H0"}, "windows[0].hall: unknown hall 'H0'"),
    ("a window's department is unknown", "windows", 1, {"department": "X-1"},
     "windows[1].department: unknown department 'X-1'"),
    ("an item's department is unknown", "items", 0, {"department": "X-1"}, "items[0].department: unknown department 'X-1'"),
    ("a region's parent is unknown", "regions", 1, {"parent": "150000"}, "regions[1].parent: unknown region '150000'"),
    ("the promised limit is above the legal one", "items", 0, {"promised_limit_days": 25},
     "items[0].promised_limit_days: promised limit 25 is above the legal limit 20 (expected promised_limit_days <= legal_limit_days)"),
    ("a negative legal limit", "items", 0, {"legal_limit_days": -1},
     "items[0].legal_limit_days: -1 is below 0 (expected a whole number of working days >= 0)"),
    ("a negative warning", "items", 0, {"warn_days": -2}, "items[0].warn_days: -2 is below 0"),
    ("a negative step limit", "items", 0, {"steps": [step(-1)]}, "items[0].steps[0].limit_days: -1 is below 0"),
    ("a step without a limit", "items", 0, {"steps": [step(), {"code": "t", "name": "审批", "responsible": "局长", "duties": "签批"}]},
     "items[0].steps[1].limit_days: missing (expected a whole number of working days >= 0)"),
    ("duplicate step codes", "items", 0, {"steps": [step(), step()]},
     "items[0].steps[1].code: duplicate code 's', already at items[0].steps[0] (expected each step code once per item)"),
    ("the steps take longer than promised", "items", 0, {"steps": [step(4), {**step(2), "code": "t"}]},
     "items[0].steps: the steps' limits add up to 6 working days, more than the promised limit 5"),
    ("a fee without max_amount", "items", 1, {"fees": [{"code": "copy", "name": "复印费", "basis": "文件"}]},
     'items[1].fees[0].max_amount: missing (expected a decimal string in yuan >= 0 with at most 2 decimals, e.g. "12.50")'),
    ("a negative fee", "items", 1, {"fees": [{"code": "copy", "name": "复印费", "max_amount": "-1", "basis": ""}]},
     "items[1].fees[0].max_amount: malformed amount '-1'"),
    ("a fee as a number", "items", 1, {"fees": [{"code": "copy", "name": "复印费", "max_amount": 0.5, "basis": ""}]},
     "items[1].fees[0].max_amount: a number instead of a string"),
    ("a fee in tenths of fen", "items", 1, {"fees": [{"code": "copy", "name": "复印费", "max_amount": "0.505", "basis": ""}]},
     "items[1].fees[0].max_amount: '0.505' has more than 2 decimals"),
    ("duplicate fee codes", "items", 1, {"fees": [{"code": "c", "name": "甲", "max_amount": "1", "basis": ""},
                                                   {"code": "c", "name": "乙", "max_amount": "2", "basis": ""}]},
     "items[1].fees[1].code: duplicate code 'c', already at items[1].fees[0] (expected each fee code once per item)"),
    ("fees on a free item", "items", 1, {"free": True}, "items[1].free: true, but 1 fee(s) are listed"),
    ("a region cycle", "regions", 0, {"parent": "152502", "level": "league"},
     "regions[0].parent: region cycle 152500 → 152502 → 152500 (expected a chain of parents that ends at a root region (parent null))"),
    ("a child above its parent", "regions", 1, {"level": "league"},
     "regions[1].level: 'league' is not below its parent's level 'league'"),
    ("a malformed date", "items", 0, {"effective_from": "2025-02-30"},
     "items[0].effective_from: malformed date '2025-02-30' (expected a date written YYYY-MM-DD)"),
    ("a date written the wrong way", "items", 1, {"effective_from": "2025/03/01"}, "items[1].effective_from: malformed date '2025/03/01'"),
    ("a limit as text", "items", 0, {"legal_limit_days": "20"},
     "items[0].legal_limit_days: a string '20' is not a whole number (expected a whole number of working days >= 0)"),
    ("a limit with a fraction", "items", 0, {"promised_limit_days": 2.5}, "items[0].promised_limit_days: a number 2.5 is not a whole number"),
    ("steps not a list", "items", 0, {"steps": {}}, "items[0].steps: an object instead of an array"),
    ("a flag as text", "items", 0, {"published": "yes"}, "items[0].published: a string instead of true or false"),
    ("a name as a number", "halls", 0, {"name": 12}, "halls[0].name: a number instead of a string"),
    ("an empty name", "departments", 0, {"name": " "}, "departments[0].name: empty"),
    ("an unknown item kind", "items", 0, {"kind": "permit"}, "items[0].kind: unknown value 'permit' (expected one of licensing, penalty,"),
    ("an unknown region level", "regions", 1, {"level": "city"}, "regions[1].level: unknown value 'city' (expected one of league, county, township, community)"),
    ("an unknown hall kind", "halls", 1, {"kind": "office"}, "halls[1].kind: unknown value 'office'"),
    ("a misspelt field", "items", 0, {"warn_day": 3}, "items[0].warn_day: unknown field"),
    ("a code with a slash", "regions", 1, {"code": "1525/02"}, "regions[1].code: malformed code '1525/02'"),
    ("an unknown step kind", "items", 0, {"steps": [{**step(), "kind": "sign"}]},
     "items[0].steps[0].kind: unknown value 'sign' (expected one of handle, review, approve, or no kind)"),
    ("a step kind as a list", "items", 0, {"steps": [{**step(), "kind": ["approve"]}]},
     "items[0].steps[0].kind: an array instead of a string (expected one of handle, review, approve, or no kind)"),
    ("a responsible person as a number", "items", 0, {"steps": [{**step(), "responsible_person": 7}]},
     "items[0].steps[0].responsible_person: a number instead of a string (expected a text (may be empty) of at most 50 characters)"),
    ("a responsible person too long", "items", 0, {"steps": [{**step(), "responsible_person": "王" * 51}]},
     "items[0].steps[0].responsible_person: too long (51 characters) (expected a text (may be empty) of at most 50 characters)"),
    ("a missing material count", "items", 0, {"materials": [{"name": "申请书", "required": True}]},
     "items[0].materials[0].copies: missing (expected a whole number of copies >= 1)"),
]


@pytest.mark.parametrize("what, section, index, change, expected", CASES, ids=[c[0] for c in CASES])
def test_it_refuses_bad_input_and_changes_nothing(imported, small, what, section, index, change, expected):
    small["regions"][0]["name"] = "锡林郭勒盟（新）"  # a valid change that must not be saved either
    small[section][index].update(change)
    before = db_state()
    with pytest.raises(CatalogError) as e:
        import_catalog(small, "test")
    assert any(line.startswith(expected) for line in e.value.errors), e.value.errors
    assert db_state() == before


def test_it_refuses_duplicate_codes_within_the_file(imported, small):
    small["items"].append(dict(small["items"][0]))
    small["halls"][1]["code"] = "H152500"
    with pytest.raises(CatalogError) as e:
        import_catalog(small, "test")
    assert e.value.errors == [
        "halls[1].code: duplicate code 'H152500', already at halls[0] (expected each code once per section of the file)",
        "items[2].code: duplicate code '152500-SCJG-001', already at items[0] (expected each code once per section of the file)",
    ]


def test_it_reports_every_error_not_just_the_first(db, small):
    del small["items"][0]["steps"][1]["limit_days"]
    small["items"][1]["fees"][0]["max_amount"] = "free"
    small["windows"][0]["hall"] = "H9"
    small["regions"][1]["level"] = "city"
    with pytest.raises(CatalogError) as e:
        import_catalog(small, "test")
    assert [line.split(":")[0] for line in e.value.errors] == [
        "regions[1].level", "items[0].steps[1].limit_days", "items[1].fees[0].max_amount", "windows[0].hall"]
    assert db_state()["counts"] == [0] * 7


def test_it_refuses_a_file_that_is_not_a_catalog(db):
    with pytest.raises(CatalogError) as e:
        import_catalog({"items": {}, "staff": []}, "test")
    assert e.value.errors == [
        "staff: unknown section (expected only regions, halls, departments, windows, items)",
        "items: an object instead of an array (expected an array of items)",
    ]
    with pytest.raises(CatalogError):
        import_catalog([], "test")
