import datetime as dt
import json

from django.urls import reverse

from catalog.models import Item
from core.models import AuditEntry


def form_data(response):
    """The POST data a browser would send back for an admin change form, as it stands."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def change_url(item):
    return reverse("admin:catalog_item_change", args=[item.pk])


def test_it_shows_versions_read_only_and_the_guide_completeness(admin_client, imported):
    item = Item.objects.get(code="152502-ZRZY-004")
    page = admin_client.get(change_url(item)).content.decode()
    assert "出具查询结果证明" in page  # the steps of the latest version, to edit
    assert 'name="versions-0-promised_limit_days"' not in page  # versions are not editable
    listing = admin_client.get(reverse("admin:catalog_item_changelist")).content.decode()
    assert "60%" in listing and "100%" in listing
    assert "环节责任人" in listing


def test_it_makes_a_new_version_when_an_admin_edits_an_item(admin_client, imported, admin_user):
    item = Item.objects.get(code="152500-SCJG-001")
    data = form_data(admin_client.get(change_url(item)))
    data.update(promised_limit_days="8", effective_from="2025-08-01", reason="压缩时限")
    response = admin_client.post(change_url(item), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    versions = list(item.versions.order_by("number"))
    assert [(v.number, v.promised_limit_days, v.effective_from) for v in versions] == [
        (1, 5, dt.date(2025, 1, 1)), (2, 8, dt.date(2025, 8, 1))]
    assert versions[1].steps == versions[0].steps
    entry = AuditEntry.objects.get(action="item.edit")
    assert (entry.actor, entry.reason, entry.after["number"]) == (admin_user, "压缩时限", 2)


def test_it_makes_no_version_when_nothing_changed(admin_client, imported):
    item = Item.objects.get(code="152500-SCJG-001")
    response = admin_client.post(change_url(item), form_data(admin_client.get(change_url(item))))
    assert response.status_code == 302
    assert item.versions.count() == 1


def test_it_shows_the_import_rules_as_form_errors(admin_client, imported):
    item = Item.objects.get(code="152500-SCJG-001")
    data = form_data(admin_client.get(change_url(item)))
    data.update(promised_limit_days="30", effective_from="2024-01-01")
    steps = json.loads(data["steps"])
    del steps[0]["limit_days"]
    data["steps"] = json.dumps(steps, ensure_ascii=False)
    response = admin_client.post(change_url(item), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "item.promised_limit_days: promised limit 30 is above the legal limit 20 " \
           "(expected promised_limit_days <= legal_limit_days)" in errors
    assert any(e.startswith("item.steps[0].limit_days: missing") for e in errors)
    assert item.versions.count() == 1


def test_it_creates_an_item_with_its_first_version(admin_client, imported):
    from orgs.models import Department
    data = {
        "code": "152502-ZRZY-009", "department": Department.objects.get(code="152502-ZRZY").pk, "published": "on",
        "name": "建设用地规划许可", "kind": "licensing", "legal_basis": "《城乡规划法》第三十七条",
        "legal_limit_days": "20", "promised_limit_days": "10", "warn_days": "2", "max_extension_days": "10",
        "steps": "[]", "fees": "[]", "free": "on", "materials": "[]", "effective_from": "2025-05-01",
        "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0", "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:catalog_item_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    version = Item.objects.get(code="152502-ZRZY-009").current_version()
    assert (version.number, version.name, version.effective_from, version.free) == (
        1, "建设用地规划许可", dt.date(2025, 5, 1), True)


def test_it_lists_items_in_a_number_of_queries_that_does_not_grow_with_them(admin_client, imported, small):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.importer import import_catalog

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert admin_client.get(reverse("admin:catalog_item_changelist")).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    more = [{**small["items"][0], "code": f"152500-SCJG-1{n:02d}"} for n in range(10)]
    import_catalog({"items": more}, "test")
    assert queries() == few <= 12


def test_it_shows_a_version_but_never_changes_it(admin_client, imported):
    version = Item.objects.get(code="152500-SCJG-001").current_version()
    url = reverse("admin:catalog_itemversion_change", args=[version.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"promised_limit_days": "1"})
    version.refresh_from_db()
    assert version.promised_limit_days == 5
