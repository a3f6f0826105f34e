"""The English admin as a screen reader meets it (issue 19, WCAG 3.1.2): Chinese data on a record's change
form (a text field's value, a read-only value, an inline row) is inside an element whose language is
Chinese, so it is read with a Chinese voice; a list row's select box is named after its row, in the page's
language. Screenshots: test-artifacts/admin-english-<page>.png."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.testing.browser import browser_fixtures, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
browser, new_page = browser_fixtures()

LANG_OF = "e => (e.closest('[lang]') || document.documentElement).lang"


def admin_page(live_server, new_page, lang):
    get_user_model().objects.create_superuser("root", password="pw-12345")
    page = new_page(1440, 900)
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    log_in(page, live_server.url, "root", next_url="/admin/")
    return page


def test_the_english_change_form_marks_chinese_values(live_server, new_page, world):
    from catalog.models import ItemVersion
    from orgs.models import Department

    page = admin_page(live_server, new_page, "en")
    assert page.evaluate("document.documentElement.lang") == "en"

    dept = Department.objects.order_by("pk").first()
    page.goto(live_server.url + reverse("admin:orgs_department_change", args=[dept.pk]))
    name = page.locator("input#id_name")
    assert name.input_value() == dept.name
    assert name.evaluate(LANG_OF) == "zh-CN"
    assert page.locator(".breadcrumbs").get_by_text(dept.name).evaluate(LANG_OF) == "zh-CN"
    assert page.get_by_role("button", name="Save", exact=True).evaluate(LANG_OF) == "en"  # the page stays English
    screenshot(page, "admin-english-department", full_page=False)

    version = ItemVersion.objects.select_related("item").order_by("pk").first()
    page.goto(live_server.url + reverse("admin:catalog_item_change", args=[version.item_id]))
    row = page.locator("#versions-group tbody tr.has_original").first  # the item's versions, an inline
    assert row.locator("td.field-name p").inner_text().strip() == version.name
    assert row.locator("td.field-name p span").evaluate(LANG_OF) == "zh-CN"
    screenshot(page, "admin-english-item")

    page.goto(live_server.url + reverse("admin:catalog_itemversion_change", args=[version.pk]))
    readonly = page.locator(".form-row.field-name div.readonly")
    assert readonly.inner_text().strip() == version.name
    assert readonly.locator("span").evaluate(LANG_OF) == "zh-CN"
    assert page.locator(".form-row.field-name label").evaluate(LANG_OF) == "en"  # its label is English
    screenshot(page, "admin-english-item-version")


@pytest.mark.parametrize("lang, label", [("en", "Select this object for an action - {}"),
                                          ("zh-hans", "选择此对象执行操作 - {}")])
def test_a_list_rows_select_box_names_its_row(live_server, new_page, world, lang, label):
    from orgs.models import Department

    page = admin_page(live_server, new_page, lang)
    page.goto(live_server.url + reverse("admin:orgs_department_changelist"))
    boxes = page.locator("#result_list tbody input.action-select")
    assert boxes.count() == min(Department.objects.count(), 100)
    for dept in Department.objects.order_by("pk")[:3]:
        assert page.get_by_role("checkbox", name=label.format(dept), exact=True).count() == 1
    assert page.locator("#action-toggle").get_attribute("aria-label")  # the select-all box is named too
