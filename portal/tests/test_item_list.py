import pytest
from django.urls import reverse

from catalog.models import Item, ItemVersion

from . import data

pytestmark = pytest.mark.django_db
URL = reverse("portal:item_list")


def names(response):
    return [v.name for v in response.context["page"].object_list]


def test_it_lists_published_items_in_their_current_version(client, catalog):
    response = client.get(URL)
    assert names(response) == ["建筑工程施工许可证核发", "食品经营许可"]
    assert "房地产开发企业资质核定" not in response.content.decode()


def test_it_finds_an_item_by_a_chinese_name_fragment(client, catalog):
    response = client.get(URL, {"q": "施工许可"})
    assert names(response) == ["建筑工程施工许可证核发"]
    assert "建筑工程施工许可证核发" in response.content.decode()


def test_it_finds_an_item_by_its_code(client, catalog):
    assert names(client.get(URL, {"q": "XK-0002"})) == ["食品经营许可"]
    assert names(client.get(URL, {"q": data.BUILD_PERMIT.lower()})) == ["建筑工程施工许可证核发"]


def test_it_requires_every_search_term(client, catalog):
    assert names(client.get(URL, {"q": "许可 食品"})) == ["食品经营许可"]
    assert names(client.get(URL, {"q": "资质核定"})) == []


def test_it_says_so_when_nothing_matches(client, catalog):
    html = client.get(URL, {"q": "不存在的事项"}).content.decode()
    assert "没有找到符合条件的事项" in html


def test_it_filters_by_region_subtree(client, catalog):
    assert names(client.get(URL, {"region": "152500"})) == ["建筑工程施工许可证核发", "食品经营许可"]
    assert names(client.get(URL, {"region": "152502"})) == ["食品经营许可"]
    assert names(client.get(URL, {"region": "152501"})) == []


def test_it_filters_by_hall_through_the_departments_sitting_there(client, catalog):
    response = client.get(URL, {"hall": "hC"})
    assert names(response) == ["食品经营许可"]
    assert [d.code for d in response.context["department_options"]] == ["dMarket"]


def test_it_filters_by_department(client, catalog):
    assert names(client.get(URL, {"department": "dHousing"})) == ["建筑工程施工许可证核发"]


def test_it_combines_filters_and_search(client, catalog):
    assert names(client.get(URL, {"hall": "hL", "q": "食品"})) == []
    assert names(client.get(URL, {"region": "152502", "q": "食品"})) == ["食品经营许可"]


def test_it_answers_404_for_an_unknown_filter_code(client, catalog):
    assert client.get(URL, {"hall": "nope"}).status_code == 404


def test_it_paginates_with_a_bounded_number_of_queries(client, catalog, django_assert_max_num_queries):
    data.many_items(catalog.market, 45)
    with django_assert_max_num_queries(8):
        first = client.get(URL, {"department": "dMarket"})
    assert first.context["page"].paginator.count == 46
    assert len(first.context["page"].object_list) == 20
    html = first.content.decode()
    assert "department=dMarket&amp;page=2" in html
    with django_assert_max_num_queries(8):
        last = client.get(URL, {"department": "dMarket", "page": 3})
    assert len(last.context["page"].object_list) == 6


def test_it_keeps_the_query_count_when_the_catalog_grows(client, catalog, django_assert_max_num_queries):
    data.many_items(catalog.housing, 200)
    with django_assert_max_num_queries(8):
        client.get(URL, {"q": "批量"})


def test_it_lists_the_item_named_as_typed_first_then_names_starting_then_holding_it_then_the_rest(client, catalog):
    """The citizen types an item's full name: that item comes first, then the names that start with it,
    then the names that hold it, then the items that only ask for it among their materials, whatever
    their codes (which here sort the other way round)."""
    def item(code, name, **fields):
        data.version(Item.objects.create(code=code, department=catalog.market), name=name, **fields)

    item("10152502MB0000001A-XK-0001", "餐饮服务备案", materials=[{"name": "食品经营许可证", "copies": 1}])
    item("10152502MB0000001A-XK-0002", "小餐饮食品经营许可")
    item("10152502MB0000001A-XK-0003", "食品经营许可变更")
    item("10152502MB0000001A-XK-0004", "食品经营许可延续")
    assert names(client.get(URL, {"q": "食品经营许可"})) == [
        "食品经营许可", "食品经营许可变更", "食品经营许可延续", "小餐饮食品经营许可", "餐饮服务备案"]
    # two terms: the names starting with the first and holding the second come first, by code
    assert names(client.get(URL, {"q": "食品 许可"})) == [
        "食品经营许可变更", "食品经营许可延续", "食品经营许可", "小餐饮食品经营许可", "餐饮服务备案"]
    # an item's code typed in full (Latin letters in either case) is an exact match too
    assert names(client.get(URL, {"q": "10152502mb0000001a-xk-0004"})) == ["食品经营许可延续"]


def test_it_ranks_a_department_match_above_a_match_in_the_materials_only(client, catalog):
    # 住房和城乡建设局's item matches 建设 through its department; 食品经营许可 only through a material
    ItemVersion.objects.filter(item__code=data.FOOD_LICENCE).update(search_text="建设工程规划许可证")
    assert names(client.get(URL, {"q": "城乡建设"})) == ["建筑工程施工许可证核发"]
    assert names(client.get(URL, {"q": "建设"})) == ["建筑工程施工许可证核发", "食品经营许可"]
