import pytest
from django.urls import reverse

from . import data

pytestmark = pytest.mark.django_db


def page(client, code):
    return client.get(reverse("portal:item_detail", args=[code]))


def test_it_shows_every_published_field_of_the_current_version(client, catalog):
    response = page(client, data.BUILD_PERMIT)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("建筑工程施工许可证核发", "行政许可", "锡林郭勒盟住房和城乡建设局", "《中华人民共和国建筑法》第八条",
                 "5 个工作日", "20 个工作日", "网上或窗口提交申请", "建筑工程施工许可证", "锡林郭勒盟政务服务中心二楼",
                 "0479-8888001", "0479-8888002", "2025-01-01", data.BUILD_PERMIT):
        assert text in html, text


def test_it_does_not_show_a_version_not_yet_in_force(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    assert "新版" not in html


def test_it_shows_the_steps_table(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    for step in data.STEPS:
        assert step["name"] in html and step["responsible"] in html and step["duties"] in html
    assert "2 个工作日" in html


def test_it_shows_the_materials_table(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    for material in data.MATERIALS:
        assert material["name"] in html
    assert "必需" in html and "非必需" in html


def test_it_says_when_an_item_is_free(client, catalog):
    assert "不收费" in page(client, data.BUILD_PERMIT).content.decode()


def test_it_shows_fees_with_their_basis(client, catalog):
    html = page(client, data.FOOD_LICENCE).content.decode()
    assert "证书工本费" in html and "10.00 元" in html and "内价费字〔2019〕12号" in html
    assert "本事项不收取任何费用" not in html


def test_it_calls_a_zero_limit_an_immediate_item(client, catalog):
    assert "即办件" in page(client, data.FOOD_LICENCE).content.decode()


def test_it_shows_the_halls_and_windows_of_the_department(client, catalog):
    html = page(client, data.BUILD_PERMIT).content.decode()
    assert "锡林郭勒盟政务服务中心" in html and "12 号窗口" in html and "锡林大街 1 号" in html


def test_it_answers_404_for_unknown_or_unpublished_items(client, catalog):
    assert page(client, "NO-SUCH-CODE").status_code == 404
    assert page(client, data.HIDDEN).status_code == 404


def test_it_answers_404_for_an_item_with_no_version_in_force_yet(client, catalog):
    from datetime import timedelta

    from django.utils import timezone

    from catalog.models import Item
    item = Item.objects.create(code="FUTURE-1", department=catalog.housing)
    data.version(item, effective_from=timezone.localdate() + timedelta(days=3), name="明年的事项")
    assert page(client, "FUTURE-1").status_code == 404


def test_it_reads_an_item_page_in_a_few_queries(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert page(client, data.BUILD_PERMIT).status_code == 200


def test_it_explains_a_missing_item_in_the_portal_frame(client, catalog):
    response = page(client, data.HIDDEN)
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "锡林郭勒盟行政效能电子监察系统" in html
