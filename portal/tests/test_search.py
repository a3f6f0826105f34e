"""The public guide search on the demo catalog (docs/catalog.md, "Guide search")."""
import pytest
from django.urls import reverse

from catalog.importer import import_catalog
from demo.region import build

pytestmark = pytest.mark.django_db
URL = reverse("portal:item_list")


@pytest.fixture
def demo_catalog(db):
    catalog = build()["catalog"]
    import_catalog(catalog, "test")
    return catalog


def found(client, q, pages=True):
    """Every item code the search lists, page after page, in order."""
    codes, number = [], 1
    while True:
        response = client.get(URL, {"q": q, "page": number})
        assert response.status_code == 200
        page = response.context["page"]
        codes += [v.item.code for v in page.object_list]
        if not (pages and page.has_next()):
            return codes
        number += 1


def test_it_finds_the_items_that_ask_for_a_business_licence(client, demo_catalog):
    expected = {i["code"] for i in demo_catalog["items"] if any("营业执照" in m["name"] for m in i["materials"])}
    assert len(expected) > 20
    assert set(found(client, "营业执照")) == expected
    html = client.get(URL, {"q": "营业执照"}).content.decode()
    assert "没有找到符合条件的事项" not in html


def test_it_finds_the_market_regulators_items_by_their_short_name(client, demo_catalog):
    regulators = {d["code"] for d in demo_catalog["departments"] if d["name"].endswith("市场监督管理局")}
    expected = {i["code"] for i in demo_catalog["items"] if i["department"] in regulators}
    assert len(regulators) > 1 and expected
    assert set(found(client, "市场监管")) == expected
    assert set(found(client, "市场监督管理局")) == expected


def test_it_ranks_names_above_materials_and_legal_basis(client, demo_catalog):
    # 许可 is in the name of the licences and in the legal basis (行政许可法) of every licensing item
    codes = found(client, "许可")
    names = {i["code"]: i["name"] for i in demo_catalog["items"]}
    in_name = [c for c in codes if "许可" in names[c]]
    assert in_name and codes[:len(in_name)] == in_name
    assert len(codes) > len(in_name)
    assert found(client, "食品经营许可", pages=False)[0].endswith(
        next(i["code"] for i in demo_catalog["items"] if i["name"] == "食品经营许可"))


def test_it_needs_every_term_department_and_material_together(client, demo_catalog):
    regulators = {d["code"] for d in demo_catalog["departments"] if d["name"].endswith("市场监督管理局")}
    expected = {i["code"] for i in demo_catalog["items"] if i["department"] in regulators
                and any("营业执照" in m["name"] for m in i["materials"])}
    assert expected and set(found(client, "市场监管 营业执照")) == expected


def test_it_reads_a_bounded_query_and_says_so(client, demo_catalog):
    response = client.get(URL, {"q": "营业执照" * 40})
    assert response.status_code == 200
    assert len(response.context["q"]) == 50
    assert "关键词过长" in response.content.decode()
    response = client.get(URL, {"q": "一 二 三 四 五 六 七"})
    assert response.context["q"] == "一 二 三 四 五"
    assert "关键词过长" in response.content.decode()


def test_it_keeps_the_query_count_of_a_search_bounded(client, demo_catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        client.get(URL, {"q": "市场监管 营业执照 许可"})


def test_it_lists_names_starting_with_the_word_then_holding_it_then_the_department_then_the_texts(
        client, demo_catalog):
    """医疗 starts 医疗机构执业登记…, is inside 基本医疗保险参保登记…, in 医疗保障局 (whose other items
    follow) and in the texts of an item of another department (last). Each group in code order."""
    items = {i["code"]: i for i in demo_catalog["items"]}
    departments = {d["code"]: d["name"] for d in demo_catalog["departments"]}

    def group(code):
        item = items[code]
        if item["name"].startswith("医疗"):
            return 0
        if "医疗" in item["name"]:
            return 1
        return 2 if "医疗" in departments[item["department"]] else 3

    codes = found(client, "医疗")
    groups = [group(c) for c in codes]
    assert groups == sorted(groups) and set(groups) == {0, 1, 2, 3}
    for g in (0, 1, 2, 3):
        in_group = [c for c in codes if group(c) == g]
        assert in_group == sorted(in_group)
    html = client.get(URL, {"q": "医疗"}).content.decode()
    assert html.index("医疗机构执业登记") < html.index("基本医疗保险参保登记")

