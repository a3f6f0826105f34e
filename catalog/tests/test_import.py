import datetime as dt

import pytest

from catalog.importer import import_catalog
from catalog.models import Item, ItemVersion, versions_in_force
from catalog.schema import CatalogError
from core.models import AuditEntry
from orgs.models import Department, Hall, Region, Window

D = dt.date


def counts(summary, section):
    c = summary.sections[section]
    return len(c.created), len(c.updated), len(c.unchanged)


def test_it_imports_a_small_catalog_and_says_what_it_created(db, small):
    summary = import_catalog(small, "test")
    for section in ("regions", "halls", "departments", "windows", "items"):
        assert counts(summary, section) == (2, 0, 0)
    assert summary.versions == [("152500-SCJG-001", 1, D(2025, 1, 1)), ("152502-ZRZY-004", 1, D(2025, 3, 1))]
    assert Region.objects.get(code="152502").path == "152500/152502/"
    window = Window.objects.get(code="H152502-W07")
    assert (window.hall.code, window.department.code) == ("H152502", "152502-ZRZY")
    assert Hall.objects.get(code="H152500").hours.startswith("周一至周五")


def test_it_stores_each_item_as_version_one_with_defaults_filled_in(imported):
    food = Item.objects.get(code="152500-SCJG-001").current_version()
    assert (food.number, food.promised_limit_days, food.legal_limit_days) == (1, 5, 20)
    assert (food.warn_days, food.max_extension_days, food.free) == (2, 10, True)
    assert [s["code"] for s in food.steps] == ["accept", "review", "approve"]
    assert all(s["required"] for s in food.steps)
    query = Item.objects.get(code="152502-ZRZY-004").current_version()
    assert (query.warn_days, query.max_extension_days) == (0, 0)
    assert query.fees == [{"code": "copy", "name": "复印费", "max_amount": "0.50", "basis": "锡发改收费〔2019〕12号"}]
    assert query.steps[1]["required"] is False


def test_it_changes_nothing_when_the_same_file_is_imported_again(imported, small):
    summary = import_catalog(small, "test")
    for section in ("regions", "halls", "departments", "windows", "items"):
        assert counts(summary, section) == (0, 0, 2)
    assert summary.versions == []
    assert ItemVersion.objects.count() == 2


def test_it_makes_a_new_version_of_a_changed_item_and_keeps_the_old_one(imported, small):
    small["items"][0]["promised_limit_days"] = 8
    small["items"][0]["effective_from"] = "2025-07-01"
    summary = import_catalog(small, "test")
    assert counts(summary, "items") == (0, 1, 1)
    assert summary.versions == [("152500-SCJG-001", 2, D(2025, 7, 1))]
    item = Item.objects.get(code="152500-SCJG-001")
    assert [(v.number, v.promised_limit_days) for v in item.versions.order_by("number")] == [(1, 5), (2, 8)]
    assert item.version_on(D(2025, 6, 30)).promised_limit_days == 5
    assert item.version_on(D(2025, 7, 1)).promised_limit_days == 8
    assert item.version_on(D(2024, 12, 31)) is None


def test_it_accepts_a_changed_item_from_the_same_day_as_its_latest_version(imported, small):
    small["items"][0]["name"] = "食品经营许可（新办）"
    import_catalog(small, "test")
    item = Item.objects.get(code="152500-SCJG-001")
    assert item.version_on(D(2025, 1, 1)).name == "食品经营许可（新办）"
    assert item.versions.count() == 2


def test_it_refuses_a_changed_item_effective_before_its_latest_version(imported, small):
    small["items"][0]["promised_limit_days"] = 8
    small["items"][0]["effective_from"] = "2024-12-01"
    with pytest.raises(CatalogError) as e:
        import_catalog(small, "test")
    assert e.value.errors == [
        "items[0].effective_from: 2024-12-01 is earlier than the latest version v1, in force from 2025-01-01; "
        "changed content needs a new version (expected a date on or after 2025-01-01)"]


def test_it_makes_no_version_when_only_the_date_changed(imported, small):
    small["items"][0]["effective_from"] = "2026-01-01"
    summary = import_catalog(small, "test")
    assert summary.versions == [] and counts(summary, "items") == (0, 0, 2)


def test_it_updates_organisations_by_code(imported, small):
    small["departments"][1]["name"] = "锡林浩特市自然资源和规划局"
    small["windows"][0]["name"] = "一号窗口"
    small["items"][1]["published"] = False
    summary = import_catalog(small, "test")
    assert counts(summary, "departments") == (0, 1, 1)
    assert counts(summary, "windows") == (0, 1, 1)
    assert counts(summary, "items") == (0, 1, 1) and summary.versions == []
    assert Department.objects.get(code="152502-ZRZY").name == "锡林浩特市自然资源和规划局"
    assert Item.objects.get(code="152502-ZRZY-004").published is False


def test_it_moves_a_region_with_its_subtree(imported):
    import_catalog({"regions": [
        {"code": "152900", "name": "阿拉善盟", "level": "league", "parent": None},
        {"code": "152502001", "name": "宝力根街道", "level": "township", "parent": "152502"},
    ]}, "test")
    import_catalog({"regions": [{"code": "152502", "name": "锡林浩特市", "level": "county", "parent": "152900"}]}, "test")
    assert Region.objects.get(code="152502001").path == "152900/152502/152502001/"


def test_it_accepts_references_to_what_the_database_already_holds(imported):
    summary = import_catalog({"departments": [{"code": "152502-SCJG", "name": "锡林浩特市市场监督管理局", "region": "152502"}],
                              "windows": [{"code": "H152502-W08", "name": "8号窗口", "hall": "H152502",
                                           "department": "152502-SCJG"}]}, "test")
    assert counts(summary, "windows") == (1, 0, 0)


def test_it_writes_audit_rows(imported, small):
    assert AuditEntry.objects.filter(action="item.create", object_id="152500-SCJG-001").count() == 1
    assert AuditEntry.objects.filter(action="catalog.import").count() == 1
    small["items"][0]["promised_limit_days"] = 6
    import_catalog(small, "test")
    entry = AuditEntry.objects.get(action="item.new_version")
    assert (entry.actor_name, entry.before["promised_limit_days"], entry.after["promised_limit_days"]) == ("test", 5, 6)
    assert entry.after["number"] == 2


def test_it_saves_nothing_on_a_dry_run(db, small):
    summary = import_catalog(small, "test", dry_run=True)
    assert counts(summary, "items") == (2, 0, 0)
    assert Item.objects.count() == 0 and Region.objects.count() == 0
    assert not AuditEntry.objects.exclude(action="calendar.seed").exists()  # (migrate audited the calendar)


def test_it_finds_the_versions_in_force_on_a_day_in_one_query(imported, small, django_assert_num_queries):
    small["items"][0]["promised_limit_days"] = 8
    small["items"][0]["effective_from"] = "2025-07-01"
    import_catalog(small, "test")
    with django_assert_num_queries(1):
        found = versions_in_force(["152500-SCJG-001", "152502-ZRZY-004", "NOPE"], D(2025, 2, 1))
    assert {code: v.number for code, v in found.items()} == {"152500-SCJG-001": 1}
    assert versions_in_force(["152500-SCJG-001"], D(2025, 7, 1))["152500-SCJG-001"].number == 2


def test_it_never_changes_a_saved_version(imported):
    version = ItemVersion.objects.first()
    version.promised_limit_days = 1
    with pytest.raises(ValueError):
        version.save()
