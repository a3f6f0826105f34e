import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from catalog.importer import import_catalog
from catalog.models import Item

from .conftest import SMALL, db_state

DATA = "catalog/tests/data/small_catalog.json"


def run(*args):
    from io import StringIO
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_prints_the_summary(db):
    out, _ = run("import_catalog", DATA, "-v", "2")
    assert "items: 2 created, 0 updated, 0 unchanged" in out
    assert "item versions: 2 created" in out and "152500-SCJG-001 v1 from 2025-01-01" in out
    out, _ = run("import_catalog", DATA)
    assert "regions: 0 created, 0 updated, 2 unchanged" in out


def test_it_exits_non_zero_printing_every_error_and_importing_nothing(db, tmp_path):
    bad = json.loads(json.dumps(SMALL))
    bad["items"][0]["promised_limit_days"] = 30
    del bad["items"][1]["fees"][0]["max_amount"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    from io import StringIO
    err = StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_catalog", str(path), stderr=err)
    assert "items[0].promised_limit_days: promised limit 30 is above the legal limit 20" in err.getvalue()
    assert "items[1].fees[0].max_amount: missing" in err.getvalue()
    assert Item.objects.count() == 0


def test_it_refuses_a_file_that_is_not_json(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"items": [', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_catalog", str(path))


def test_it_round_trips_export_import_export(db, tmp_path):
    first = tmp_path / "first.json"
    with transaction.atomic():  # rolled back below: the database is empty again
        import_catalog(SMALL, "test")
        changed = json.loads(json.dumps(SMALL))
        changed["items"][0]["promised_limit_days"] = 8
        changed["items"][0]["effective_from"] = "2025-09-01"
        import_catalog(changed, "test")
        run("export_catalog", str(first))
        transaction.set_rollback(True)
    assert db_state()["counts"] == [0] * 7
    run("import_catalog", str(first))
    second, _ = run("export_catalog")
    assert second == first.read_text(encoding="utf-8")
    exported = json.loads(second)["items"][0]
    assert (exported["promised_limit_days"], exported["effective_from"]) == (8, "2025-09-01")


def test_it_exports_what_it_imported(imported):
    exported = json.loads(run("export_catalog")[0])
    assert [r["code"] for r in exported["regions"]] == ["152500", "152502"]
    query = exported["items"][1]
    assert query["fees"][0]["max_amount"] == "0.50" and query["result"] == "" and query["free"] is False
    # importing the export into the same database changes nothing
    summary = import_catalog(exported, "test")
    assert summary.versions == [] and not summary.sections["regions"].updated


def test_it_exports_one_region_with_what_it_needs(imported):
    exported = json.loads(run("export_catalog", "--region", "152502")[0])
    assert [r["code"] for r in exported["regions"]] == ["152500", "152502"]  # the parent, so it stands alone
    assert [h["code"] for h in exported["halls"]] == ["H152502"]
    assert [i["code"] for i in exported["items"]] == ["152502-ZRZY-004"]
    with pytest.raises(CommandError, match="unknown region '999'"):
        run("export_catalog", "--region", "999")


def test_it_documents_the_example_file_as_it_is():
    import re
    from pathlib import Path
    doc = Path("docs/catalog.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", doc, re.S).group(1)
    assert json.loads(example) == SMALL


def with_kinds(data):
    """The small catalog with the first item's steps given their kinds (承办 / 审核 / 审批)."""
    data = json.loads(json.dumps(data))
    for step, kind in zip(data["items"][0]["steps"], ("handle", "review", "approve")):
        step["kind"] = kind
    return data


def test_it_imports_and_exports_step_kinds_only_where_given(db, tmp_path):
    import_catalog(with_kinds(SMALL), "test")
    exported = json.loads(run("export_catalog")[0])
    assert [s["kind"] for s in exported["items"][0]["steps"]] == ["handle", "review", "approve"]
    assert all("kind" not in s for s in exported["items"][1]["steps"])  # a step without one is written as it was
    assert import_catalog(exported, "test").versions == []  # the export imports unchanged


def test_it_makes_a_new_version_when_a_step_gets_a_kind_and_none_for_a_null_kind(imported):
    unchanged = json.loads(json.dumps(SMALL))
    unchanged["items"][1]["steps"][0]["kind"] = None  # null is the same as no kind
    assert import_catalog(unchanged, "test").versions == []
    summary = import_catalog(with_kinds(SMALL), "test")
    assert [(code, number) for code, number, _ in summary.versions] == [("152500-SCJG-001", 2)]
    assert Item.objects.get(code="152500-SCJG-001").versions.get(number=2).steps[2]["kind"] == "approve"


def test_it_imports_and_exports_responsible_persons_only_where_given(db):
    import_catalog(SMALL, "test")
    exported = json.loads(run("export_catalog")[0])
    assert [s.get("responsible_person") for s in exported["items"][1]["steps"]] == ["李秀英", None]
    assert "responsible_person" not in exported["items"][1]["steps"][1]  # written only where named
    assert exported["items"][0]["steps"][2]["responsible_person"] == "巴特尔"
    assert import_catalog(exported, "test").versions == []  # the export imports unchanged


def test_it_makes_a_new_version_when_a_step_names_its_person_and_none_for_a_blank_one(imported):
    blank = json.loads(json.dumps(SMALL))
    blank["items"][1]["steps"][1]["responsible_person"] = " "  # blank is the same as none
    assert import_catalog(blank, "test").versions == []
    named = json.loads(json.dumps(SMALL))
    named["items"][1]["steps"][1]["responsible_person"] = " 张海峰 "
    summary = import_catalog(named, "test")
    assert [(code, number) for code, number, _ in summary.versions] == [("152502-ZRZY-004", 2)]
    assert Item.objects.get(code="152502-ZRZY-004").versions.get(number=2).steps[1]["responsible_person"] == "张海峰"
